/**
 * The nurse's and the doctor's day in real Chromium on real IndexedDB: a simulated ID card placed on
 * the demo agent's reader creates the patient and queues a visit; the doctor records a diagnosis and
 * orders a test; after a reload everything is still there. Run twice: with the demo hub, and with the
 * hub unreachable for the whole clinic day (nothing may wait for the network). Sign-in goes through the
 * login screen; offline it needs one earlier online sign-in on this workstation (as at installation).
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { requireSystemDependency } from '../support/system-deps.ts';
import { saveScreen } from './support/screens.ts';
import { startDemoStackWithStoppableHub } from './support/demo.ts';
import { useFreshDemo } from './support/fresh-demo.ts';
import { openSignedIn, reloadSignedIn } from './support/sign-in.ts';
import { expectInViewport } from './support/viewport.ts';
import { chooseOption, shownOption } from './support/antd.ts';
import { LoginPage } from './page-models/login-page.ts';
import { ConsultationPage } from './page-models/consultation-page.ts';
import { RegistrationPage } from './page-models/registration-page.ts';
import { SyncPage } from './page-models/sync-page.ts';

/** The demo agent's first sample card (devices/id-card/samples.ts): an invented person. */
const SAMPLE = { id: 'resident-han-male', name: '张建国' };

/** What the hub stores, read as the demo workstation would (public demo credentials, demo-seed.ts). */
async function pullFromHub(hubUrl: string, collection: 'visits' | 'orders'): Promise<Array<Record<string, unknown>>> {
  const login = await fetch(new URL('/auth/login', hubUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ workstationId: 'ws-demo-chengguan', workstationCredential: 'demo-workstation-credential-chengguan', username: 'doctor', password: 'demo1234' }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const response = await fetch(new URL(`/sync/${collection}/pull?checkpoint=0&limit=100`, hubUrl), { headers: { authorization: `Bearer ${accessToken}` } });
  return ((await response.json()) as { documents: Array<Record<string, unknown>> }).documents;
}

async function registerDoctorAndReload(page: Page, uiUrl: string, afterRegistration?: (registration: RegistrationPage) => Promise<void>) {
  await openSignedIn(page, uiUrl, 'doctor');
  const registration = new RegistrationPage(page);
  await registration.open();
  // 民族 is a searchable antd Select: typed into, then chosen; the card read then puts the card's nation there.
  await chooseOption(page, '民族', '维吾尔族');
  expect(await shownOption(page, '民族')).toBe('维吾尔族');

  await registration.placeSampleCard(SAMPLE.id);
  await registration.waitForName(SAMPLE.name);
  expect(await shownOption(page, '民族')).toBe('汉族');
  await expect.poll(() => registration.patientMatch().getAttribute('data-match')).toBe('new');
  // At 1366×768 the card read leaves 登记并排队 in view and focused: Enter registers.
  const submit = page.getByRole('button', { name: '登记并排队' });
  await expectInViewport(submit, '登记并排队');
  await expect.poll(() => submit.evaluate((button) => button === document.activeElement)).toBe(true);
  await saveScreen(page, 'registration');
  const outcome = await registration.registerWithEnter();
  expect(outcome).toContain(`已保存：${SAMPLE.name}，排队号 1`);
  expect(outcome).toContain('已新建患者档案');
  expect(await registration.queueNumber().textContent()).toBe('1');
  await afterRegistration?.(registration);

  // The same card again: the existing record is found, and the patient is not queued twice.
  await registration.removeCards();
  await registration.placeSampleCard(SAMPLE.id);
  await registration.waitForName(SAMPLE.name);
  await expect.poll(() => registration.patientMatch().getAttribute('data-match')).toBe('existing');
  expect(await registration.registerAndQueue()).toContain('该患者今日已在队列中，排队号 1');
  expect(await registration.search('zjg')).toEqual([expect.stringContaining(SAMPLE.name)]);

  const consultation = new ConsultationPage(page);
  await consultation.open();
  expect(await consultation.queueGroup('waiting').textContent()).toContain(SAMPLE.name);
  await consultation.openPatient(SAMPLE.name);
  await consultation.complaint().fill('头晕三天');
  await consultation.addDiagnosis('gxy', 'I10 原发性高血压');
  await consultation.orderItem('xcg', '血常规');
  await saveScreen(page, 'consultation');
  // 1366×768: the record's actions are on screen without scrolling.
  await expectInViewport(consultation.saveButton(), '保存');
  await expectInViewport(consultation.closeButton(), '结束就诊');
  expect(await consultation.save()).toBe('已保存');

  await reloadSignedIn(page, 'doctor');
  await consultation.open();
  expect(await consultation.queueGroup('in-consultation').textContent()).toContain(SAMPLE.name);
  await consultation.openPatient(SAMPLE.name);
  expect(await consultation.complaint().inputValue()).toBe('头晕三天');
  expect(await consultation.diagnoses().textContent()).toContain('I10 原发性高血压');
  expect(await consultation.orders().textContent()).toContain('血常规');
}

describe.runIf(requireSystemDependency('chromium'))('registration and consultation in Chromium', () => {
  const demo = useFreshDemo();

  it('registers a patient from a simulated ID card, records the visit, keeps it across a reload, and syncs it to the hub', async () => {
    const { stack, page } = await demo.open();
    await registerDoctorAndReload(page, stack.uiUrl);

    const sync = new SyncPage(page);
    await sync.open();
    await expect.poll(() => sync.pending().textContent(), { timeout: 30_000 }).toBe('无待上传');
    await expect.poll(() => sync.lastSync().textContent(), { timeout: 30_000 }).toMatch(/^上次同步：/);

    // The hub holds the closed loop too: the visit with its diagnosis, and the order.
    const visits = await pullFromHub(stack.hubUrl, 'visits');
    expect(visits).toEqual([expect.objectContaining({ queueNumber: 1, complaint: '头晕三天', diagnoses: [{ code: 'I10', name: '原发性高血压' }] })]);
    expect(await pullFromHub(stack.hubUrl, 'orders')).toEqual([expect.objectContaining({ itemCode: 'LAB-CBC', itemName: '血常规' })]);
  });

  it('does all of it with the hub unreachable the whole day, and says the changes wait to be sent', async () => {
    const withHub = await startDemoStackWithStoppableHub();
    demo.onClose(withHub.close);
    const page = await demo.openPage();
    // Installation day: the doctor signs in once online; then the county network goes down.
    await openSignedIn(page, withHub.uiUrl, 'doctor');
    await new LoginPage(page).signOut();
    await withHub.stopHub();

    await registerDoctorAndReload(page, withHub.uiUrl, async (registration) => {
      // The queue ticket prints alone: in print media only the ticket is visible, and it renders to PDF.
      await page.emulateMedia({ media: 'print' });
      expect(await registration.ticket().isVisible()).toBe(true);
      // Polled: with the antd form, the name field was once still reported visible right after the switch to print media.
      await expect.poll(() => page.getByRole('navigation').isVisible()).toBe(false);
      await expect.poll(() => registration.field('姓名').isVisible()).toBe(false);
      const pdf = await page.pdf({ width: '58mm', height: '90mm' });
      expect(new TextDecoder().decode(pdf.subarray(0, 5))).toBe('%PDF-');
      await page.emulateMedia({ media: 'screen' });
    });

    const sync = new SyncPage(page);
    await sync.open();
    // patient + visit + order, at least: nothing was lost, nothing was sent.
    await expect.poll(async () => Number((await sync.pending().textContent())?.match(/\d+/)?.[0] ?? 0)).toBeGreaterThanOrEqual(3);
    await expect.poll(() => sync.problem().textContent(), { timeout: 30_000 }).toContain('无法连接县级平台');
  });
});
