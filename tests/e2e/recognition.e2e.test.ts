/**
 * Mutual recognition end to end in real Chromium, on the demo stack: the county hospital posts a lipid
 * panel (FHIR R4) for a patient registered at 城关镇卫生院 → the clinic syncs it → the doctor orders
 * the same item → a result from day 31 gives no reminder; one from day 30 does → the doctor views and
 * recognizes it → the clinic's administrator sees the indicators and exports them as CSV. "Now" is
 * controlled through the results' effectiveDateTime, never by faking the clock.
 */
import { describe, expect, it } from 'vitest';
import { requireSystemDependency } from '../support/system-deps.ts';
import { daysAgo, makeFhirDiagnosticReport } from '../support/fhir.ts';
import { recognitionPaths } from '../../sync/protocol/recognition.ts';
import { saveScreen } from './support/screens.ts';
import { expectInViewport } from './support/viewport.ts';
import { useFreshDemo } from './support/fresh-demo.ts';
import { LoginPage } from './page-models/login-page.ts';
import { ConsultationPage } from './page-models/consultation-page.ts';
import { RegistrationPage } from './page-models/registration-page.ts';
import { RecognitionPage } from './page-models/recognition-page.ts';

/** The demo agent's first sample card (devices/id-card/samples.ts): an invented person. */
const SAMPLE = { id: 'resident-han-male', name: '张建国' };

/** Signs in to the hub with the public demo credentials (sync/hub/README.md) and returns a token. */
async function hubToken(hubUrl: string, workstation: 'chengguan' | 'county', username: 'doctor' | 'admin'): Promise<string> {
  const ws = workstation === 'chengguan' ? { workstationId: 'ws-demo-chengguan', workstationCredential: 'demo-workstation-credential-chengguan' } : { workstationId: 'ws-demo-county', workstationCredential: 'demo-workstation-credential-county' };
  const reply = await fetch(new URL('/auth/login', hubUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...ws, username, password: 'demo1234' }) });
  return ((await reply.json()) as { accessToken: string }).accessToken;
}

async function pull(hubUrl: string, token: string, collection: string): Promise<Array<Record<string, unknown>>> {
  const reply = await fetch(new URL(`/sync/${collection}/pull?checkpoint=0&limit=1000`, hubUrl), { headers: { authorization: `Bearer ${token}` } });
  return ((await reply.json()) as { documents: Array<Record<string, unknown>> }).documents;
}

/** The county hospital's LIS posts a lipid panel performed `days` calendar days ago. */
async function postLipidPanel(hubUrl: string, idNumber: string, days: number): Promise<void> {
  const token = await hubToken(hubUrl, 'county', 'doctor');
  const reply = await fetch(new URL(recognitionPaths.fhirDiagnosticReport, hubUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json', authorization: `Bearer ${token}` },
    body: JSON.stringify(makeFhirDiagnosticReport({ idNumber, effectiveDateTime: daysAgo(days) })),
  });
  expect(reply.status).toBe(201);
}

describe.runIf(requireSystemDependency('chromium'))('mutual recognition in Chromium', () => {
  const demo = useFreshDemo();

  it('reminds of a hospital result within 30 days, not on day 31, records the recognition, and counts it for the administrator', async () => {
    const { stack, page } = await demo.openSignedIn('doctor');

    // The nurse's step: the patient is registered and queued, and reaches the hub.
    const registration = new RegistrationPage(page);
    expect(await registration.registerSampleCard(SAMPLE)).toContain(SAMPLE.name);
    const clinicToken = await hubToken(stack.hubUrl, 'chengguan', 'doctor');
    let idNumber = '';
    await expect
      .poll(async () => (idNumber = String((await pull(stack.hubUrl, clinicToken, 'patients')).find((p) => p.name === SAMPLE.name)?.idNumber ?? '')), { timeout: 20_000 })
      .not.toBe('');

    const consultation = new ConsultationPage(page);
    const recognition = new RecognitionPage(page);
    await consultation.open();
    await consultation.openPatient(SAMPLE.name);

    // Day 31: the result syncs to the clinic but is outside the 30-day window — no reminder.
    await postLipidPanel(stack.hubUrl, idNumber, 31);
    await recognition.historyResults().filter({ hasText: '血脂四项' }).waitFor({ timeout: 20_000 });
    await recognition.startOrder('xzsx', '血脂四项');
    await consultation.orders().filter({ hasText: '血脂四项 LAB-LIPID · 已开单' }).waitFor();
    expect(await recognition.reminder().count()).toBe(0);

    // Day 30: within the window — the reminder shows the prior result; the doctor recognizes it.
    await postLipidPanel(stack.hubUrl, idNumber, 30);
    await expect.poll(() => recognition.historyResults().locator('li').count(), { timeout: 20_000 }).toBe(2);
    await recognition.startOrder('xzsx', '血脂四项');
    await recognition.reminder().waitFor();
    await saveScreen(page, 'recognition-reminder');
    expect(await recognition.reminder().textContent()).toMatch(/该患者 30 天前已在 县人民医院 做过此项目.*HR 互认标识/);
    await recognition.viewPriorResult();
    // The reminder and the opened result push the record below the fold; its actions stay on screen.
    await expectInViewport(consultation.saveButton(), '保存 under the 互认 reminder');
    await expectInViewport(consultation.closeButton(), '结束就诊 under the 互认 reminder');
    // As a lab report prints it: value, flag in words, unit, range — never "6.2mmol/L H".
    expect(await recognition.priorResultRow('总胆固醇').locator('td').allTextContents()).toEqual(['总胆固醇', '6.2', '↑ 偏高', 'mmol/L', '2.8–5.2']);
    await recognition.recognize();
    expect(await consultation.orders().textContent()).toContain('已互认，未重复检查（节省 ¥40.00）');

    // The clinic syncs its events to the hub.
    await expect
      .poll(async () => (await pull(stack.hubUrl, clinicToken, 'recognitionEvents')).map((e) => e.kind).sort(), { timeout: 20_000 })
      .toEqual(['recognized', 'reminder', 'view']);

    // The clinic's administrator sees the indicators and exports them.
    await new LoginPage(page).signOut();
    await new LoginPage(page).signIn('admin', 'demo1234');
    await recognition.openIndicators();
    await recognition.indicatorRow('chengguan').waitFor({ timeout: 15_000 });
    expect(await recognition.cell('chengguan', 'reminders')).toBe('1');
    expect(await recognition.cell('chengguan', 'views')).toBe('1');
    expect(await recognition.cell('chengguan', 'recognitions')).toBe('1');
    expect(await recognition.cell('chengguan', 'rate')).toBe('100.0%');
    expect(await recognition.cell('chengguan', 'saved')).toBe('40.00');
    await saveScreen(page, 'admin-indicators');
    const csv = await recognition.exportCsv();
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString('utf8')).toMatch(/城关镇卫生院,\d{4}-\d{2},1,1,1,0,100\.0%,40\.00/);
  });
});
