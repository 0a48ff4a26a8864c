import { openBrowser } from './support/browser.ts';
import { startTestDemoStack } from './support/demo.ts';
import { LoginPage } from './page-models/login-page.ts';
const t = () => performance.now();
for (let i = 0; i < 2; i++) {
let t0 = t();
const stack = await startTestDemoStack();
const t1 = t();
const browser = await openBrowser();
const t2 = t();
const page = await browser.context.newPage();
await page.goto(stack.uiUrl);
const login = new LoginPage(page);
await login.waitForScreen();
const t3 = t();
await login.submit('doctor', 'demo1234');
await page.getByRole('navigation').waitFor({ timeout: 30_000 });
const t4 = t();
await page.reload();
await login.unlockButton().waitFor();
await login.unlock('demo1234');
await page.getByRole('navigation').waitFor({ timeout: 30_000 });
const t5 = t();
await browser.close(); const t6 = t();
await stack.close(); const t7 = t();
console.log({ stack: t1 - t0, browser: t2 - t1, loginScreen: t3 - t2, signIn: t4 - t3, reloadUnlock: t5 - t4, browserClose: t6 - t5, stackClose: t7 - t6 });
}
