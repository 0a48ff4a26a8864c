/**
 * Finding 5 (poison records): no request body can make the hub answer 5xx. fast-check sends every
 * push, FHIR, auth and admin body — valid templates with one string replaced by a NUL or a lone
 * surrogate, poisoned object keys, and arbitrary JSON — and every answer must be below 500. A
 * poisoned push row is refused with 400 naming the field and the row's document id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeEcgReport, makeEcgStudy, makeOrder, makePatient, makeRecognitionEvent, makeResult, makeVisit } from '../../core/records/builders.ts';
import { collectionNames, type CollectionName } from '../../core/records/index.ts';
import { paths } from '../../sync/protocol/wire.ts';
import { makeFhirBundle, makeFhirDiagnosticReport } from '../support/fhir.ts';
import { backends, startDemoHub, type DemoHub } from '../integration/hub/support/backends.ts';
import { call, demoWorkstation, login, type Session } from '../integration/hub/support/client.ts';
import { countRows, insertRow } from '../integration/hub/support/sync.ts';

const POISON = ['\u0000', '\uD800', '\uDC00', 'a\u0000b', '名\uDBFF', '\uDFFFx'];
const poison = fc.tuple(fc.string({ maxLength: 5 }), fc.constantFrom(...POISON), fc.string({ maxLength: 5 })).map((p) => p.join(''));

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Paths of every string leaf (and every object key) of a JSON value. */
function leaves(value: Json, at: (string | number)[] = []): { path: (string | number)[]; key: boolean }[] {
  if (typeof value === 'string') return [{ path: at, key: false }];
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...at, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [{ path: [...at, k], key: true }, ...leaves(v, [...at, k])]);
  return [];
}

/** A copy of `value` with the string (or key) at `path` replaced by `by`. */
function replaced(value: Json, path: (string | number)[], key: boolean, by: string): Json {
  const copy = structuredClone(value);
  const parent = path.slice(0, -1).reduce<Json>((v, p) => (v as Record<string | number, Json>)[p]!, copy) as Record<string | number, Json>;
  const last = path.at(-1)!;
  if (key) {
    parent[by] = parent[last]!;
    delete parent[last];
  } else parent[last] = by;
  return copy;
}

/** Bodies for one endpoint: a valid template poisoned in one place, or arbitrary JSON. */
const bodiesFrom = (template: Json) => {
  const spots = leaves(template);
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...spots), poison).map(([spot, p]) => replaced(template, spot.path, spot.key, p)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
  );
};

const records: Record<CollectionName, () => object> = {
  patients: () => makePatient({ institutionId: 'chengguan' }),
  visits: () => makeVisit({ institutionId: 'chengguan' }),
  orders: () => makeOrder({ institutionId: 'chengguan' }),
  results: () => makeResult({ institutionId: 'chengguan' }),
  ecgStudies: () => makeEcgStudy({ institutionId: 'chengguan' }),
  ecgReports: () => makeEcgReport({ institutionId: 'ecg-center' }),
  recognitionEvents: () => makeRecognitionEvent({ institutionId: 'chengguan' }),
};

for (const backend of backends) {
  describe.runIf(backend.available)(`no body produces a 5xx on ${backend.name}`, () => {
    let hub: DemoHub;
    let doctor: Session;
    let admin: Session;
    const ws = demoWorkstation('ws-demo-chengguan');

    beforeAll(async () => {
      hub = await startDemoHub(backend);
      doctor = await login(hub.url, ws, 'doctor');
      admin = await login(hub.url, demoWorkstation('ws-demo-county'), 'admin');
    });
    afterAll(() => hub?.close());

    const endpoints = (): { name: string; method: string; path: string; token?: () => string; template: Json }[] => [
      ...collectionNames.map((c) => ({ name: `push ${c}`, method: 'POST', path: paths.push(c), token: () => doctor.accessToken, template: { rows: [insertRow(records[c]())] } as Json })),
      { name: 'FHIR DiagnosticReport', method: 'POST', path: '/fhir/r4/DiagnosticReport', token: () => doctor.accessToken, template: makeFhirDiagnosticReport({ idNumber: makePatient().idNumber }) as Json },
      { name: 'FHIR Bundle', method: 'POST', path: '/fhir/r4', token: () => doctor.accessToken, template: makeFhirBundle([makeFhirDiagnosticReport({ idNumber: makePatient().idNumber })]) as Json },
      { name: 'enrol', method: 'POST', path: '/auth/enrol', template: { code: 'ABCD-EFGH-JKLM' } },
      { name: 'login', method: 'POST', path: '/auth/login', template: { ...ws, username: 'doctor', password: 'wrong-password' } },
      { name: 'refresh', method: 'POST', path: '/auth/refresh', template: { refreshToken: 'x'.repeat(43), workstationCredential: ws.workstationCredential } },
      { name: 'logout', method: 'POST', path: '/auth/logout', template: { refreshToken: 'x'.repeat(43) } },
      { name: 'admin workstation', method: 'POST', path: '/admin/workstations', token: () => admin.accessToken, template: { name: '门诊 PC', institutionId: 'hekou' } },
      { name: 'admin user', method: 'POST', path: '/admin/users', token: () => admin.accessToken, template: { username: 'x', displayName: '某', role: 'nurse', password: 'long-enough-1', institutionId: 'hekou' } },
      { name: 'ECG report', method: 'POST', path: '/ecg/studies/s-1/report', token: () => doctor.accessToken, template: { report: makeEcgReport() } as unknown as Json },
      { name: 'ECG acknowledge', method: 'POST', path: '/ecg/reports/r-1/acknowledge', token: () => doctor.accessToken, template: { acknowledgedAt: new Date().toISOString() } },
    ];

    it('answers every poisoned or arbitrary body below 500', async () => {
      const failures: string[] = [];
      for (const endpoint of endpoints()) {
        await fc.assert(
          fc.asyncProperty(bodiesFrom(endpoint.template), async (body) => {
            const reply = await call(hub.url, endpoint.method, endpoint.path, { body, ...(endpoint.token ? { token: endpoint.token() } : {}) });
            if (reply.status >= 500) failures.push(`${endpoint.name}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`);
            return reply.status < 500;
          }),
          { numRuns: 20, seed: 13 },
        );
      }
      expect(failures).toEqual([]);
    });

    it('answers poisoned query strings and paths below 500', async () => {
      for (const q of ['/admin/audit?patientId=%00', '/admin/audit?userId=a%00', '/sync/patients/pull?checkpoint=%00', '/ecg/turnaround?clinicId=%00', '/admin/users/%00/disable', '/blobs/%00/status']) {
        const reply = await call(hub.url, q.includes('disable') ? 'POST' : 'GET', q, { token: admin.accessToken });
        expect(reply.status, q).toBeGreaterThanOrEqual(400);
        expect(reply.status, q).toBeLessThan(500);
      }
      // Bytes that are not UTF-8 reach the hub as U+FFFD (well-formed): answered normally.
      expect((await call(hub.url, 'GET', '/admin/audit?userId=%ED%A0%80', { token: admin.accessToken })).status).toBe(200);
    });

    it('refuses a poisoned push row with 400 naming the field and the document id, and the rest of the batch waits', async () => {
      const good = makePatient({ institutionId: 'chengguan' });
      const bad = { ...makePatient({ institutionId: 'chengguan' }), address: '城关镇\u0000' };
      const lone = { ...makePatient({ institutionId: 'chengguan' }), name: '\uD800' };
      const before = await countRows(hub, 'records');
      const reply = await call(hub.url, 'POST', paths.push('patients'), { token: doctor.accessToken, body: { rows: [insertRow(good), insertRow(bad), insertRow(lone)] } });
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe('validation-failed');
      expect(reply.body.error.details.documentIds).toEqual([bad.id, lone.id]);
      const fields = reply.body.error.details.issues.map((i: { path: string }) => i.path);
      expect(fields).toEqual(expect.arrayContaining([expect.stringMatching(/address$/), expect.stringMatching(/name$/)]));
      expect(reply.body.error.messageZh).toMatch(/[\u4e00-\u9fff]/);
      expect(await countRows(hub, 'records')).toBe(before);
    });
  });
}
