/**
 * Mutual recognition figures on the embedded hub (in-memory PGlite) and in the workstation's rules:
 *  - FHIR ingest: DiagnosticReports (two contained Observations) posted one after another by the
 *    county hospital: reports per second and latency percentiles;
 *  - indicators: the county administrator's query over BENCH_EVENTS recognition events of four
 *    institutions across a year, by month and by day;
 *  - order time: findQualifyingResult over a patient's BENCH_RESULTS synced results (pure, no I/O).
 *
 *   npm run bench -- recognition   (BENCH_REPORTS, BENCH_EVENTS, BENCH_RESULTS change the load)
 *
 * Setup shortcut: the events are inserted straight into the records table in multi-row inserts, so
 * the figure measures the aggregation, not 20,000 pushes.
 */
import { makePatient, makeRecognitionEvent, makeResult } from '../../core/records/builders.ts';
import { starterItemCatalog } from '../../core/catalog/index.ts';
import { findQualifyingResult } from '../../core/recognition/index.ts';
import { startHub } from '../../sync/hub/start.ts';
import { issueAccessToken } from '../../sync/hub/auth/tokens.ts';
import { recognitionPaths } from '../../sync/protocol/recognition.ts';
import { paths } from '../../sync/protocol/wire.ts';
import { daysAgo, makeFhirDiagnosticReport } from '../support/fhir.ts';
import { figure } from './support/figures.ts';

const REPORTS = Number(process.env.BENCH_REPORTS ?? 200);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const RESULTS = Number(process.env.BENCH_RESULTS ?? 1000);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;

const hub = await startHub({ port: 0, demo: true, logLevel: 'silent' });
try {
  const token = (userId: string, institutionId: string, role: 'doctor' | 'administrator', workstationId: string) =>
    issueAccessToken(hub.context.keys, { userId, workstationId, institutionId, role }, 3600);
  const clinic = await token('chengguan-doctor', 'chengguan', 'doctor', 'ws-demo-chengguan');
  const hospital = await token('county-hospital-doctor', 'county-hospital', 'doctor', 'ws-demo-county');
  const countyAdmin = await token('county-hospital-admin', 'county-hospital', 'administrator', 'ws-demo-county');
  const json = (t: string) => ({ authorization: `Bearer ${t}`, 'content-type': 'application/json' });

  const patients = Array.from({ length: 20 }, () => makePatient({ institutionId: 'chengguan' }));
  const pushed = await fetch(hub.url + paths.push('patients'), { method: 'POST', headers: json(clinic), body: JSON.stringify({ rows: patients.map((p) => ({ newDocumentState: { ...p, _deleted: false }, assumedMasterState: null })) }) });
  if (pushed.status !== 200) throw new Error(`push patients: ${pushed.status}`);

  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < REPORTS; i++) {
    const t0 = performance.now();
    const reply = await fetch(hub.url + recognitionPaths.fhirDiagnosticReport, {
      method: 'POST',
      headers: json(hospital),
      body: JSON.stringify(makeFhirDiagnosticReport({ idNumber: patients[i % patients.length]!.idNumber, effectiveDateTime: daysAgo(i % 40) })),
    });
    if (reply.status !== 201) throw new Error(`FHIR post: ${reply.status} ${await reply.text()}`);
    latencies.push(performance.now() - t0);
  }
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  figure({ name: 'FHIR result ingest', value: REPORTS / seconds, unit: 'reports/s' });
  figure({ name: 'FHIR result ingest latency p95', value: percentile(latencies, 95), unit: 'ms' });
  console.log(`FHIR ingest: ${REPORTS} DiagnosticReports in ${seconds.toFixed(2)} s = ${(REPORTS / seconds).toFixed(0)} reports/s; latency p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, max ${ms(latencies.at(-1)!)}`);

  const institutions = ['chengguan', 'hekou', 'county-hospital', 'ecg-center'];
  const kinds = ['reminder', 'reminder', 'view', 'recognized', 'refused'] as const;
  for (let offset = 0; offset < EVENTS; offset += 1000) {
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (let i = offset; i < Math.min(EVENTS, offset + 1000); i++) {
      const kind = kinds[i % kinds.length]!;
      const e = makeRecognitionEvent({
        institutionId: institutions[i % institutions.length]!,
        kind,
        at: daysAgo(i % 365),
        orderId: kind === 'recognized' || kind === 'refused' ? `order-${i}` : null,
        reason: kind === 'refused' ? 'emergency' : null,
        priceSavedFen: kind === 'recognized' ? 4000 : 0,
      });
      const b = values.length;
      values.push(e.id, JSON.stringify(e), e.institutionId, e.patientId);
      tuples.push(`('recognitionEvents', $${b + 1}, $${b + 2}::jsonb, false, $${b + 3}, null, $${b + 4}, nextval('hub_change_seq'))`);
    }
    await hub.context.db.query(`insert into records (collection, id, doc, deleted, owner_institution_id, target_institution_id, patient_id, seq) values ${tuples.join(', ')}`, values);
  }
  const from = daysAgo(366).slice(0, 10);
  const to = new Date().toISOString().slice(0, 10);
  for (const period of ['month', 'day'] as const) {
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const reply = await fetch(`${hub.url}${recognitionPaths.indicators}?from=${from}&to=${to}&period=${period}`, { headers: { authorization: `Bearer ${countyAdmin}` } });
      const body = (await reply.json()) as { rows: unknown[] };
      times.push(performance.now() - t0);
      rows = body.rows.length;
    }
    times.sort((a, b) => a - b);
    console.log(`indicators by ${period} over ${EVENTS} events: ${rows} rows, median ${ms(percentile(times, 50))} (5 runs, county-wide)`);
  }
} finally {
  await hub.close();
}

const lipid = starterItemCatalog().find('LAB-LIPID')!;
const results = Array.from({ length: RESULTS }, (_, i) => makeResult({ patientId: 'p-1', itemCode: i % 3 === 0 ? 'LAB-LIPID' : 'LAB-CBC', performedAt: daysAgo(i % 400), hrMark: i % 7 !== 0 }));
const rounds = 200;
const t0 = performance.now();
for (let i = 0; i < rounds; i++) findQualifyingResult(results, { item: lipid, patientIds: ['p-1'], now: new Date() });
figure({ name: 'order-time recognition check', value: (performance.now() - t0) / rounds, unit: 'ms/order', note: `${RESULTS} results` });
console.log(`order-time check: findQualifyingResult over ${RESULTS} results ${((performance.now() - t0) / rounds).toFixed(3)} ms per order`);
