/**
 * Mutual recognition on the hub, on each store: results posted as FHIR R4 by a member hospital reach
 * the clinics treating the patient through their ordinary pull; bad FHIR bodies are refused with a
 * clear bilingual 400 and nothing stored; the indicators count the clinics' events, scoped per
 * administrator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadHubConfig } from '../../../sync/hub/config.ts';
import { makePatient, makeRecognitionEvent } from '../../../core/records/builders.ts';
import { startHub, type StartedHub } from '../../../sync/hub/start.ts';
import { startTestHub } from '../../support/pglite-template.ts';
import { recognitionPaths } from '../../../sync/protocol/recognition.ts';
import { backends, type BackendStore } from './support/backends.ts';
import { call, demoWorkstation, enrolWorkstation, login, type Session } from './support/client.ts';
import { countRows, insertRow, pullAll, pushOk } from './support/sync.ts';
import { daysAgo, makeFhirBundle, makeFhirDiagnosticReport } from '../../support/fhir.ts';

for (const backend of backends) {
  describe.runIf(backend.available)(`mutual recognition on ${backend.name}`, () => {
    let store: BackendStore;
    let hub: StartedHub;
    let hospital: Session; // 县人民医院 doctor: posts results
    let countyAdmin: Session;
    let chengguan: Session; // treats the patient
    let chengguanAdmin: Session;
    let hekou: Session; // does not
    const patient = makePatient({ institutionId: 'chengguan' });

    const post = (body: unknown, session = hospital, path: string = recognitionPaths.fhirDiagnosticReport) =>
      call(hub.url, 'POST', path, { token: session.accessToken, body });
    const resultCount = () => countRows(hub, 'records', "collection = 'results'");

    beforeAll(async () => {
      store = await backend.createStore();
      hub = await startHub({ ...store.options, port: 0, demo: true, logLevel: 'silent' });
      countyAdmin = await login(hub.url, demoWorkstation('ws-demo-county'), 'admin');
      hospital = await login(hub.url, demoWorkstation('ws-demo-county'), 'doctor');
      chengguan = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'doctor');
      chengguanAdmin = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'admin');
      hekou = await login(hub.url, await enrolWorkstation(hub.url, countyAdmin, 'hekou'), 'doctor');
      await pushOk(hub.url, chengguan, 'patients', [insertRow(patient)]);
    });
    afterAll(async () => {
      await hub?.close();
      await store?.dispose();
    });

    it('stores a posted DiagnosticReport as a result that the treating clinic pulls, with values and the HR mark', async () => {
      const reply = await post(makeFhirDiagnosticReport({ id: 'lis-1001', idNumber: patient.idNumber, effectiveDateTime: daysAgo(3) }));
      expect(reply.status).toBe(201);
      const resultId = reply.body.stored[0].resultId;
      const pulled = (await pullAll(hub.url, chengguan, 'results')).documents.find((d) => d.id === resultId);
      expect(pulled).toMatchObject({
        institutionId: 'county-hospital',
        patientId: patient.id,
        itemCode: 'LAB-LIPID',
        itemName: '血脂四项',
        hrMark: true,
        values: [
          { code: '2093-3', name: '总胆固醇', value: 6.2, unit: 'mmol/L', referenceRange: '2.8-5.2', flag: 'H' },
          { code: '2571-8', name: '甘油三酯', value: 1.4, unit: 'mmol/L', referenceRange: '0.56-1.7', flag: '' },
        ],
      });
      // Another clinic that never treated the patient receives nothing.
      expect((await pullAll(hub.url, hekou, 'results')).documents.map((d) => d.id)).not.toContain(resultId);
    });

    it('updates, never duplicates, when the hospital posts the same report again (amended)', async () => {
      const before = await resultCount();
      const reply = await post({ ...makeFhirDiagnosticReport({ id: 'lis-1001', idNumber: patient.idNumber, conclusion: '复核无误' }), status: 'amended' });
      expect(reply.status).toBe(201);
      expect(await resultCount()).toBe(before);
    });

    it('accepts a transaction Bundle of reports with observations referenced by fullUrl, as application/fhir+json', async () => {
      const bundle = makeFhirBundle([
        makeFhirDiagnosticReport({ idNumber: patient.idNumber, itemCode: 'LAB-LFT' }),
        makeFhirDiagnosticReport({ idNumber: patient.idNumber, itemCode: 'LAB-RFT', hrMark: false }),
      ]);
      const reply = await call(hub.url, 'POST', recognitionPaths.fhirBundle, { token: hospital.accessToken, rawBody: JSON.stringify(bundle), contentType: 'application/fhir+json' });
      expect(reply.status).toBe(201);
      expect(reply.body.stored.map((s: { itemCode: string }) => s.itemCode)).toEqual(['LAB-LFT', 'LAB-RFT']);
      const results = (await pullAll(hub.url, chengguan, 'results')).documents;
      expect(results.find((d) => d.itemCode === 'LAB-RFT')).toMatchObject({ hrMark: false });
      expect(results.find((d) => d.itemCode === 'LAB-LFT')?.values).toHaveLength(2);
    });

    describe('refuses a bad body with a 400 naming the problem in Chinese and English, storing nothing', () => {
      const refused = async (body: unknown, path?: string) => {
        const before = await resultCount();
        const auditBefore = await countRows(hub, 'audit_log', "collection = 'results'");
        const reply = await post(body, hospital, path);
        expect(reply.status).toBe(400);
        expect(reply.body.error.code).toBe('validation-failed');
        expect(reply.body.error.messageZh).toContain('未保存任何内容');
        expect(await resultCount()).toBe(before);
        expect(await countRows(hub, 'audit_log', "collection = 'results'")).toBe(auditBefore);
        return reply.body.error as { message: string; messageZh: string; details: { issues: Array<{ path: string }> } };
      };

      it('a resource that is not a DiagnosticReport or Bundle', async () => {
        const error = await refused({ resourceType: 'Patient', id: 'x', name: [{ text: '张三' }] });
        expect(error.message).toContain('resourceType must be DiagnosticReport or Bundle');
        expect(error.messageZh).toContain('resourceType 必须是 DiagnosticReport');
        expect(error.message).not.toContain('张三');
      });

      it('a report without a subject', async () => {
        const { subject, ...noSubject } = makeFhirDiagnosticReport({ idNumber: patient.idNumber });
        void subject;
        const error = await refused(noSubject);
        expect(error.details.issues.map((i) => i.path)).toContain('body.subject');
      });

      it('a subject that names the patient neither by resident ID nor by Patient reference', async () => {
        const error = await refused({ ...makeFhirDiagnosticReport({ idNumber: patient.idNumber }), subject: { display: '张三' } });
        expect(error.message).toMatch(/body\.subject name the patient by identifier/);
        expect(error.messageZh).toContain('居民身份证号码');
      });

      it('an item code the county catalogue does not know', async () => {
        const error = await refused(makeFhirDiagnosticReport({ idNumber: patient.idNumber, itemCode: 'LAB-NOPE' }));
        expect(error.message).toContain('unknown item code LAB-NOPE');
        expect(error.messageZh).toContain('项目编码 LAB-NOPE 不在县域检查检验项目目录中');
      });

      it('a report that does not state its quality-control (HR) status', async () => {
        const error = await refused(makeFhirDiagnosticReport({ idNumber: patient.idNumber, hrMark: undefined }));
        expect(error.messageZh).toContain('质控');
      });

      it('a preliminary report, and a reference to an Observation that is not there', async () => {
        await refused({ ...makeFhirDiagnosticReport({ idNumber: patient.idNumber }), status: 'preliminary' });
        const error = await refused({ ...makeFhirDiagnosticReport({ idNumber: patient.idNumber }), result: [{ reference: '#missing' }] });
        expect(error.details.issues[0]!.path).toBe('body.result.0.reference');
      });

      it('a Bundle in which one report is bad: the good one is not stored either', async () => {
        await refused(
          makeFhirBundle([makeFhirDiagnosticReport({ idNumber: patient.idNumber }), makeFhirDiagnosticReport({ idNumber: patient.idNumber, itemCode: 'LAB-NOPE' })]),
          recognitionPaths.fhirBundle,
        );
      });
    });

    it('answers a result for an unknown person exactly like a known one, holds it, and files it when the patient is registered', async () => {
      const stranger = makePatient({ institutionId: 'chengguan' });
      const known = await post(makeFhirDiagnosticReport({ idNumber: patient.idNumber }));
      const unknown = await post(makeFhirDiagnosticReport({ idNumber: stranger.idNumber }));
      expect(unknown.status).toBe(known.status);
      expect(Object.keys(unknown.body.stored[0])).toEqual(Object.keys(known.body.stored[0]));
      const resultId = unknown.body.stored[0].resultId;
      expect(await countRows(hub, 'records', 'id = $1', [resultId])).toBe(0);
      // 城关 registers the person: the held result is filed under them and reaches 城关's pull.
      await pushOk(hub.url, chengguan, 'patients', [insertRow(stranger)]);
      expect((await pullAll(hub.url, chengguan, 'results')).documents).toContainEqual(expect.objectContaining({ id: resultId, patientId: stranger.id }));
      // The posting hospital owns its result but gains nothing of the patient's record.
      expect((await pullAll(hub.url, hospital, 'patients')).documents.map((d) => d.id)).not.toContain(stranger.id);
    });

    it('refuses results from the registration desk (403) and from no one signed in (401)', async () => {
      const nurse = await login(hub.url, demoWorkstation('ws-demo-county'), 'nurse');
      expect((await post(makeFhirDiagnosticReport({ idNumber: patient.idNumber }), nurse)).status).toBe(403);
      expect((await call(hub.url, 'POST', recognitionPaths.fhirDiagnosticReport, { body: makeFhirDiagnosticReport({ idNumber: patient.idNumber }) })).status).toBe(401);
    });

    it("counts the clinics' reminders, views, recognitions and money saved, per institution and month", async () => {
      const at = '2026-11-10T02:00:00.000Z';
      const ev = (o: Parameters<typeof makeRecognitionEvent>[0]) => makeRecognitionEvent({ institutionId: 'chengguan', patientId: patient.id, at, by: chengguan.userId, ...o });
      await pushOk(hub.url, chengguan, 'recognitionEvents', [
        insertRow(ev({ kind: 'reminder' })),
        insertRow(ev({ kind: 'view' })),
        insertRow(ev({ kind: 'recognized', orderId: 'order-1', priceSavedFen: 4000 })),
        insertRow(ev({ kind: 'reminder' })),
        insertRow(ev({ kind: 'refused', orderId: 'order-2', reason: 'condition-changed' })),
        // 23:30 UTC on 31 Oct is 1 November in China: counted in November.
        insertRow(ev({ kind: 'reminder', at: '2026-10-31T23:30:00.000Z' })),
      ]);
      const hekouPatient = makePatient({ institutionId: 'hekou' });
      await pushOk(hub.url, hekou, 'patients', [insertRow(hekouPatient)]);
      await pushOk(hub.url, hekou, 'recognitionEvents', [insertRow(makeRecognitionEvent({ institutionId: 'hekou', patientId: hekouPatient.id, at, kind: 'reminder', by: hekou.userId }))]);

      const query = `${recognitionPaths.indicators}?from=2026-11-01&to=2026-11-30&period=month`;
      const own = await call(hub.url, 'GET', query, { token: chengguanAdmin.accessToken });
      expect(own.status).toBe(200);
      expect(own.body.rows).toEqual([
        { institutionId: 'chengguan', institutionName: '城关镇卫生院', period: '2026-11', reminders: 3, views: 1, recognitions: 1, refusals: 1, recognitionRate: 1 / 3, savedFen: 4000 },
      ]);

      const county = await call(hub.url, 'GET', query, { token: countyAdmin.accessToken });
      expect(county.body.rows.map((r: { institutionId: string }) => r.institutionId)).toEqual(['chengguan', 'hekou']);
      expect(county.body.totals).toMatchObject({ reminders: 4, recognitions: 1, savedFen: 4000 });

      const october = await call(hub.url, 'GET', `${recognitionPaths.indicators}?from=2026-10-01&to=2026-10-31`, { token: chengguanAdmin.accessToken });
      expect(october.body.rows).toEqual([]);
      expect(october.body.totals.recognitionRate).toBeNull();
    });

    it('shows indicators to administrators only, each to their own institution unless county-wide', async () => {
      const query = `${recognitionPaths.indicators}?from=2026-11-01&to=2026-11-30`;
      expect((await call(hub.url, 'GET', query, { token: chengguan.accessToken })).status).toBe(403);
      expect((await call(hub.url, 'GET', `${query}&institutionId=hekou`, { token: chengguanAdmin.accessToken })).status).toBe(403);
      expect((await call(hub.url, 'GET', `${query}&institutionId=hekou`, { token: countyAdmin.accessToken })).body.rows).toHaveLength(1);
      const bad = await call(hub.url, 'GET', `${recognitionPaths.indicators}?from=2026-12-01&to=2026-11-01`, { token: countyAdmin.accessToken });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('from must not be after to');
    });
  });
}

describe("the hub's item catalogue, replaceable by the administrator", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hub-catalog-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('checks posted results against the file named by HUB_ITEM_CATALOG instead of the starter set', async () => {
    const file = join(dir, 'items.json');
    await writeFile(file, JSON.stringify({ version: 7, items: [{ code: 'LAB-LOCAL', name: '本县特色检验', category: 'lab', priceYuan: 18, recognitionScope: 'community' }] }));
    expect(loadHubConfig({ HUB_ITEM_CATALOG: file })).toMatchObject({ itemCatalogFile: file });
    const hub = await startTestHub({ port: 0, demo: true, logLevel: 'silent', itemCatalogFile: file });
    try {
      const clinic = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'doctor');
      const doctor = await login(hub.url, demoWorkstation('ws-demo-county'), 'doctor');
      const patient = makePatient({ institutionId: 'chengguan' });
      await pushOk(hub.url, clinic, 'patients', [insertRow(patient)]);
      const post = (itemCode: string) => call(hub.url, 'POST', recognitionPaths.fhirDiagnosticReport, { token: doctor.accessToken, body: makeFhirDiagnosticReport({ idNumber: patient.idNumber, itemCode }) });
      expect((await post('LAB-LOCAL')).status).toBe(201);
      expect((await post('LAB-LIPID')).body.error.message).toContain('unknown item code LAB-LIPID');
    } finally {
      await hub.close();
    }
  });

  it('refuses to start on a bad catalogue file, naming the item and field', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ version: 1, items: [{ code: 'LAB-X', name: '某项', category: 'lab', priceYuan: -1, recognitionScope: 'city' }] }));
    await expect(startHub({ port: 0, logLevel: 'silent', itemCatalogFile: file })).rejects.toThrow(/items\.0\.priceYuan/);
  });
});
