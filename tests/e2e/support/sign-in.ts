/**
 * Every E2E session starts at the real login screen, as a nurse's day does. The demo hub's accounts
 * are public (sync/hub/README.md): nurse, doctor, cardiologist, admin — password demo1234.
 */
import type { Page } from 'playwright-core';
import { LoginPage } from '../page-models/login-page.ts';

export const DEMO_PASSWORD = 'demo1234';
export type DemoUsername = 'nurse' | 'doctor' | 'cardiologist' | 'admin';

/** Opens the UI and signs in through the login screen; resolves on the home screen. */
export async function openSignedIn(page: Page, uiUrl: string, username: DemoUsername = 'doctor'): Promise<void> {
  await page.goto(uiUrl);
  await new LoginPage(page).signIn(username, DEMO_PASSWORD);
}

/**
 * Reloads the window. A reload keeps the session but locks it (the records' key needs the password,
 * docs/security-local-data.md): unlocks with the password, or signs in again as `username` if asked.
 */
export async function reloadSignedIn(page: Page, username: DemoUsername): Promise<void> {
  await page.reload();
  const login = new LoginPage(page);
  await login.signInButton().or(login.unlockButton()).or(page.getByRole('navigation')).first().waitFor({ timeout: 30_000 });
  if (await login.unlockButton().isVisible()) {
    await login.unlock(DEMO_PASSWORD);
    await page
      .getByRole('navigation')
      .waitFor({ timeout: 30_000 })
      .catch(async (error: unknown) => {
        // Say what the screen shows instead (the lock screen's error, the sign-in screen after the hub
        // ended the session), so a failure here can be explained from the log alone.
        const shown = (await page.locator('body').innerText().catch(() => '')).replace(/\s+/g, ' ').slice(0, 300);
        throw new Error(`No home screen 30 s after unlocking; the screen shows: ${shown}`, { cause: error });
      });
  } else if (await login.signInButton().isVisible()) await login.signIn(username, DEMO_PASSWORD);
}
