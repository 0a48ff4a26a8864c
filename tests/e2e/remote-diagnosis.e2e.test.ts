/**
 * Remote diagnosis end to end, in two real Chromium profiles against one real hub: the clinic records
 * a chest-pain ECG from the simulator and sends it urgent; the reading room (served by the hub at
 * /reading-room/) beeps and shows it first; the cardiologist claims it, reads it and signs a report
 * with a critical finding; the clinic sees the state advance, gets the 危急值 alert, acknowledges it
 * (recorded at the hub) and prints the report with the tracing. A second case cuts the clinic's link
 * to the hub while sending: the study waits, queued, and arrives once the link is back.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { requireSystemDependency } from '../support/system-deps.ts';
import type { BrowserSession } from './support/browser.ts';
import { useFreshDemo } from './support/fresh-demo.ts';
import { saveScreen } from './support/screens.ts';
import { expectInViewport } from './support/viewport.ts';
import { startRemoteDiagnosisStack } from './support/remote-diagnosis-stack.ts';
import { DEMO_PASSWORD, openSignedIn, reloadSignedIn } from './support/sign-in.ts';
import { EcgPage } from './page-models/ecg-page.ts';
import { ReadingRoomPage } from './page-models/reading-room-page.ts';
import { RegistrationPage } from './page-models/registration-page.ts';
import { RemoteDiagnosisPage } from './page-models/remote-diagnosis-page.ts';
import { SyncPage } from './page-models/sync-page.ts';

/** The demo agent's first sample card (devices/id-card/samples.ts): an invented person. */
const SAMPLE = { id: 'resident-han-male', name: '张建国' };

/** Registers the sample patient, records 10 s from the ECG simulator and leaves the review open, urgent. */
async function captureUrgentEcg(page: Page, clinicUrl: string): Promise<void> {
  await openSignedIn(page, clinicUrl, 'doctor');
  await new RegistrationPage(page).registerSampleCard(SAMPLE);
  const ecg = new EcgPage(page);
  await ecg.open();
  await ecg.chooseVisit(SAMPLE.name);
  await ecg.connect();
  await ecg.capture();
  await ecg.setUrgent('胸痛 40 分钟，大汗');
}

async function openReadingRoom(session: BrowserSession, hubUrl: string): Promise<ReadingRoomPage> {
  const room = new ReadingRoomPage(await session.context.newPage());
  await room.open(hubUrl);
  await room.signIn('cardiologist', DEMO_PASSWORD);
  return room;
}

describe.runIf(requireSystemDependency('chromium'))('remote diagnosis: clinic → reading room → report back', () => {
  const demo = useFreshDemo();

  it('sends an urgent ECG that beeps in the reading room, is signed with a critical finding, and alerts the clinic until acknowledged', async () => {
    const stack = await startRemoteDiagnosisStack();
    demo.onClose(stack.close);
    const [clinicBrowser, centerBrowser] = await Promise.all([demo.openBrowser(), demo.openBrowser()]);
    const clinicPage = await clinicBrowser.context.newPage();
    const room = await openReadingRoom(centerBrowser, stack.hub.url);
    expect(await room.beeps()).toBe(0);

    await captureUrgentEcg(clinicPage, stack.clinicUrl);
    const remote = new RemoteDiagnosisPage(clinicPage);
    expect(await remote.send()).toContain(`已加入发送队列：${SAMPLE.name}`);
    await remote.backToLiveView();

    // The center: the study arrives by the live stream, first in the list, with a banner and a beep.
    await room.row(SAMPLE.name).waitFor({ timeout: 20_000 });
    expect(await room.row(SAMPLE.name).getAttribute('data-priority')).toBe('urgent');
    // Names, never ids: the clinic that sent it by name, the patient's age and sex, the state in words.
    const rowText = await room.row(SAMPLE.name).textContent();
    expect(rowText).toContain('紧急');
    expect(rowText).toContain('城关镇卫生院');
    expect(rowText).toMatch(/\d+岁 · 男/);
    expect(rowText).toContain('已送达');
    await room.urgentAlert().waitFor({ timeout: 10_000 });
    expect(await room.urgentAlert().textContent()).toContain(SAMPLE.name);
    expect(await room.beeps()).toBe(1);
    await saveScreen(room.page, 'reading-room-worklist');
    await expect.poll(() => remote.stateOf(SAMPLE.name), { timeout: 15_000 }).toBe('已送达');

    await room.openStudy(SAMPLE.name);
    expect(await room.page.getByTestId('ecg-hints').textContent()).toContain('机器提示，需医生确认');
    await room.zoomLead('V2');
    await expect.poll(() => remote.stateOf(SAMPLE.name), { timeout: 15_000 }).toBe('阅片中');

    await room.chooseStatement('窦性心律');
    await room.chooseStatement('急性 ST 段抬高型心肌梗死');
    expect(await room.criticalFlag().isChecked()).toBe(true); // suggested by the 危急值 statement
    await room.writeFreeText('V1–V4 导联 ST 段抬高 0.3 mV');
    await saveScreen(room.page, 'reading-room');
    // However far the statement list pushed the form, the flag and the signature are on screen.
    await expectInViewport(room.page.getByRole('button', { name: '签发报告' }), '签发报告');
    await expectInViewport(room.criticalFlag(), '危急值 flag');
    expect(await room.sign()).toBe(`已签发 ${SAMPLE.name} 的报告，已回传送检机构`);
    await expect.poll(() => room.row(SAMPLE.name).count()).toBe(0);

    // The clinic: the critical-finding alert on whatever screen is open, until acknowledged.
    await remote.criticalAlert().waitFor({ timeout: 15_000 });
    expect(await remote.criticalAlert().textContent()).toContain('急性 ST 段抬高型心肌梗死');
    // A doctor scrolled to the bottom of a long screen still has it in front of them, with the header
    // badge, and the rest of the window takes no clicks until it is acknowledged.
    await clinicPage.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const box = await remote.criticalAlert().boundingBox();
    const viewport = clinicPage.viewportSize()!;
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height);
    expect(await clinicPage.getByTestId('critical-badge').textContent()).toBe('危急值 1');
    expect(await clinicPage.locator('.app').evaluate((app) => (app as HTMLElement).inert)).toBe(true);
    await saveScreen(clinicPage, 'critical-alert');
    expect(await remote.stateOf(SAMPLE.name)).toBe('已出报告');
    expect(await remote.sentRow(SAMPLE.name).getByTestId('sent-study-diagnosis').textContent()).toContain('危急值 窦性心律；急性 ST 段抬高型心肌梗死；V1–V4 导联 ST 段抬高 0.3 mV');
    await remote.acknowledgeCritical();
    expect(await clinicPage.getByTestId('critical-badge').count()).toBe(0);
    expect(await clinicPage.locator('.app').evaluate((app) => (app as HTMLElement).inert)).toBe(false);
    await expect
      .poll(async () => (await stack.hub.context.db.query<{ user_id: string }>('select user_id from ecg_critical_acknowledgements')).rows.map((r) => r.user_id), { timeout: 15_000 })
      .toEqual(['chengguan-doctor']);
    // Acknowledged stays acknowledged after a reload (the list below loads from the same records).
    await reloadSignedIn(clinicPage, 'doctor');
    await new EcgPage(clinicPage).open();
    await expect.poll(() => remote.stateOf(SAMPLE.name), { timeout: 15_000 }).toBe('已出报告');
    expect(await remote.criticalAlert().count()).toBe(0);

    // The report prints with the tracing and the diagnosis.
    await clinicPage.evaluate(() => {
      window.print = () => undefined; // headless Chromium has no print dialog; the page's print view is what counts
    });
    await remote.sentRow(SAMPLE.name).getByRole('button', { name: '打印报告' }).click();
    const printed = clinicPage.getByTestId('ecg-print-diagnosis');
    await printed.waitFor({ state: 'attached', timeout: 10_000 });
    await clinicPage.emulateMedia({ media: 'print' });
    expect(await printed.isVisible()).toBe(true);
    expect(await printed.textContent()).toContain('急性 ST 段抬高型心肌梗死');
    expect(await clinicPage.locator('.ecg-print-report canvas').count()).toBe(1);
  });

  it('keeps a study queued while the clinic is cut off from the hub and delivers it when the link is back', async () => {
    const stack = await startRemoteDiagnosisStack();
    demo.onClose(stack.close);
    const [clinicBrowser, centerBrowser] = await Promise.all([demo.openBrowser(), demo.openBrowser()]);
    const clinicPage = await clinicBrowser.context.newPage();
    const room = await openReadingRoom(centerBrowser, stack.hub.url);
    await captureUrgentEcg(clinicPage, stack.clinicUrl);

    stack.cutClinicLink();
    const remote = new RemoteDiagnosisPage(clinicPage);
    expect(await remote.send()).toContain('已加入发送队列'); // no waiting on the network
    await remote.backToLiveView();
    expect(['排队中', '上传中 0%']).toContain(await remote.stateOf(SAMPLE.name));
    await clinicPage.waitForTimeout(2_000); // a few failed attempts
    expect(await room.row(SAMPLE.name).count()).toBe(0);

    stack.restoreClinicLink();
    const sync = new SyncPage(clinicPage);
    await sync.open();
    await clinicPage.getByRole('button', { name: '立即同步' }).click();
    await room.row(SAMPLE.name).waitFor({ timeout: 30_000 });
    expect(await room.row(SAMPLE.name).getAttribute('data-priority')).toBe('urgent');
  });
});
