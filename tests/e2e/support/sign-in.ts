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

/** Reloads the window; a reload keeps the session, but signs in again as `username` if the build asks. */
export async function reloadSignedIn(page: Page, username: DemoUsername): Promise<void> {
  await page.reload();
  const login = new LoginPage(page);
  await login.signInButton().or(page.getByRole('navigation')).first().waitFor({ timeout: 30_000 });
  if (await login.signInButton().isVisible()) await login.signIn(username, DEMO_PASSWORD);
}
