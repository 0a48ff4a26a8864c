/**
 * The county patient-index administrator's queue (issue 13 item 2) in real Chromium against the real
 * hub: 城关 registers two patients; 河口 then registers the same ID numbers under other names, one from
 * an ID card read, one typed by hand. The hub keeps 城关's identities and files both differences; the
 * county administrator, signed in on the county hospital's workstation, sees each with its current and
 * proposed values and who reported it, accepts one (the master takes the card's name, and 城关 pulls
 * it) and rejects the other (nothing changes), and the queue no longer holds them after a refresh.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rendererDist } from '../../build/demo/renderer-build.ts';
import { startUiServer } from '../../build/demo/ui-server.ts';
import { makePatient } from '../../core/records/builders.ts';
import { startHub } from '../../sync/hub/start.ts';
import { requireSystemDependency } from '../support/system-deps.ts';
import { demoWorkstation, enrolWorkstation, login } from '../integration/hub/support/client.ts';
import { insertRow, pullAll, pushOk } from '../integration/hub/support/sync.ts';
import { useFreshDemo } from './support/fresh-demo.ts';
import { copyPgliteTemplate } from '../support/pglite-template.ts';
import { saveScreen } from './support/screens.ts';
import { DEMO_PASSWORD } from './support/sign-in.ts';
import { AdminPage } from './page-models/admin-page.ts';
import { LoginPage } from './page-models/login-page.ts';

/** The county hospital's IT-office PC of the demo community (sync/hub/demo-seed.ts), as browser mode keeps its enrolment. */
const countyWorkstationSettings = (hubUrl: string) => ({
  hubUrl,
  enrolment: {
    workstationId: 'ws-demo-county',
    workstationName: '县人民医院 信息科',
    institution: { id: 'county-hospital', name: '县人民医院', kind: 'county_hospital' },
    workstationCredential: 'demo-workstation-credential-county',
  },
  printerName: null,
});

describe.runIf(requireSystemDependency('chromium'))('the county patient-index queue in Chromium', () => {
  const demo = useFreshDemo();

  it('shows the identity another clinic reported, accepts one difference and rejects the other', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cw-patient-index-'));
    demo.onClose(() => rm(dataDir, { recursive: true, force: true }));
    await copyPgliteTemplate(dataDir);
    const hub = await startHub({ dataDir, port: 0, host: '127.0.0.1', demo: true, logLevel: 'warn' });
    demo.onClose(hub.close);
    const ui = await startUiServer({ root: rendererDist, port: 0, runtimeConfig: { hubUrl: hub.url, demo: false } });
    demo.onClose(ui.close);

    // 城关 owns two patients; 河口 registers both ID numbers with other names.
    const countyAdmin = await login(hub.url, demoWorkstation('ws-demo-county'), 'admin');
    const nurseA = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'nurse');
    const nurseB = await login(hub.url, await enrolWorkstation(hub.url, countyAdmin, 'hekou'), 'nurse');
    const [toAccept, toReject] = [makePatient({ institutionId: 'chengguan', name: '赵秀英' }), makePatient({ institutionId: 'chengguan', name: '王伟' })];
    await pushOk(hub.url, nurseA, 'patients', [insertRow(toAccept), insertRow(toReject)]);
    const fromCard = makePatient({ institutionId: 'hekou', idNumber: toAccept.idNumber, name: '赵秀瑛', sex: toAccept.sex, birthDate: toAccept.birthDate });
    const typed = makePatient({ institutionId: 'hekou', idNumber: toReject.idNumber, name: '王玮', sex: toReject.sex, birthDate: toReject.birthDate });
    const cardReadRow = { ...insertRow(fromCard), registration: 'card-read' as const }; // sync/protocol/wire.ts pushRowSchema
    await pushOk(hub.url, nurseB, 'patients', [cardReadRow, insertRow(typed)]);
    const namesAtChengguan = async () => {
      const docs = (await pullAll(hub.url, nurseA, 'patients')).documents;
      return [toAccept.id, toReject.id].map((id) => docs.find((d) => d.id === id)?.name);
    };
    expect(await namesAtChengguan()).toEqual(['赵秀英', '王伟']); // kept, not overwritten

    const browser = await demo.openBrowser();
    await browser.context.addInitScript((settings) => localStorage.setItem('clinic-workstation.settings', settings), JSON.stringify(countyWorkstationSettings(hub.url)));
    const page = await browser.context.newPage();
    await page.goto(ui.url);
    const loginPage = new LoginPage(page);
    await loginPage.waitForScreen();
    expect(await page.getByTestId('login-institution').textContent()).toBe('本工作站：县人民医院');
    await loginPage.signIn('admin', DEMO_PASSWORD);

    const admin = new AdminPage(page);
    await admin.open();
    await page.getByRole('tab', { name: '患者主索引' }).click();
    const entry = (name: string) => page.getByTestId('discrepancy').filter({ has: page.getByRole('heading', { name: new RegExp(`患者：${name}`) }) });
    await entry('赵秀英').waitFor({ timeout: 20_000 });
    const accepted = await entry('赵秀英').textContent();
    expect(accepted).toContain('报告：河口乡卫生院');
    expect(accepted).toContain('读身份证登记');
    expect(await entry('赵秀英').getByRole('row', { name: /姓名/ }).textContent()).toBe('姓名赵秀英赵秀瑛'); // field, current, proposed
    expect(await entry('王伟').getByTestId('discrepancy-how').textContent()).toBe('手工录入登记');
    await saveScreen(page, 'patient-index-queue');

    await entry('赵秀英').getByRole('button', { name: '接受（更新主索引）' }).click();
    await expect.poll(() => page.getByTestId('patient-index-status').textContent(), { timeout: 15_000 }).toBe('已接受：赵秀英 的主索引已更新。');
    await entry('王伟').getByRole('button', { name: '驳回（保持不变）' }).click();
    await expect.poll(() => page.getByTestId('patient-index-status').textContent(), { timeout: 15_000 }).toBe('已驳回：王伟 的主索引保持不变。');

    // The hub holds the decisions: 城关 pulls the card's name for one, the old name for the other…
    await expect.poll(namesAtChengguan, { timeout: 15_000 }).toEqual(['赵秀瑛', '王伟']);
    // …and the queue, loaded again from the hub, no longer lists either.
    await page.locator('section.patient-index').getByRole('button', { name: '刷新' }).click();
    await page.getByTestId('patient-index-empty').or(page.getByTestId('discrepancy').first()).waitFor({ timeout: 15_000 });
    expect(await entry('赵秀英').count()).toBe(0);
    expect(await entry('王伟').count()).toBe(0);
  });
});
