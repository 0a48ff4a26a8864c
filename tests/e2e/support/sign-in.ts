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
