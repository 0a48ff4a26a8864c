/**
 * Remote diagnosis over a slow township link: the clinic's connection to the hub runs through a
 * local proxy that limits it to BENCH_UP_KBPS up / BENCH_DOWN_KBPS down (default 256 kbit/s each
 * way) with BENCH_LATENCY_MS one-way latency (default 50 ms); the ECG centre is on the county
 * network (direct). Real hub (in-memory PGlite, demo community), real sync clients (RxDB memory
 * storage, startReplication with the live stream), a real 10 s 500 Hz 12-lead DICOM file.
 *
 *  send → worklist: the clinic saves the EcgStudy (readingState 'uploading') and starts the
 *    resumable upload of its DICOM file (uploadBlob); stop when the study is in the centre's local
 *    database with readingState 'received' (file and record at the hub: it shows in the worklist).
 *    Target < 10 s.
 *  sign → clinic: the cardiologist, who has claimed the study, signs the report (POST
 *    /ecg/studies/:id/report); stop when the signed report is in the clinic's local database.
 *    Target < 2 s.
 *
 *   npm run bench -- remote-diagnosis
 *   BENCH_RUNS=20 BENCH_UP_KBPS=256 BENCH_DOWN_KBPS=256 BENCH_LATENCY_MS=50 npx tsx tests/bench/remote-diagnosis.bench.ts
 *
 * Bounded: every wait has a deadline and the script exits by itself.
 */
import { createHash } from 'node:crypto';
import { writeDicomEcg } from '../../core/ecg/formats/index.ts';
import { makeEcgReport, makeEcgStudy, makePatient, makeVisit } from '../../core/records/builders.ts';
import type { EcgReport, EcgStudy } from '../../core/records/index.ts';
import { readingStates } from '../../core/records/index.ts';
import type { Writer } from '../../sync/protocol/index.ts';
import { ecgPaths } from '../../sync/protocol/ecg-reading.ts';
import { turnaroundPath, turnaroundSummarySchema } from '../../sync/protocol/turnaround.ts';
import { createLocalDatabase, memoryStorage, type LocalDatabase } from '../../sync/client/database.ts';
import { saveRecord } from '../../sync/client/records.ts';
import { startReplication, type SyncController } from '../../sync/client/replication.ts';
import { uploadBlob } from '../../sync/client/blob-upload.ts';
import { startHub } from '../../sync/hub/start.ts';
import { makeEcgRecording } from '../fixtures/ecg/make-recording.ts';
import { call, demoWorkstation, login, type Session } from '../integration/hub/support/client.ts';
import { ThrottleProxy } from './support/throttle-proxy.ts';
import { figure } from './support/figures.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const UP_KBPS = Number(process.env.BENCH_UP_KBPS ?? 256);
const DOWN_KBPS = Number(process.env.BENCH_DOWN_KBPS ?? 256);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const STEP_DEADLINE_MS = 60_000;
const TARGET_SEND_MS = 10_000;
const TARGET_SIGN_MS = 2_000;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const seconds = (ms: number) => (ms / 1000).toFixed(2);
const withDeadline = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms).unref())]);

interface Site {
  db: LocalDatabase;
  writer: Writer;
  sync: SyncController;
}

async function openSite(name: string, session: Session, role: Writer['role'], hubUrl: string): Promise<Site> {
  const writer: Writer = { institutionId: session.institutionId, role };
  const db = await createLocalDatabase({ name, storage: memoryStorage(), writer });
  const sync = await startReplication({ db, writer, hubUrl, getToken: () => session.accessToken, retry: { initialMs: 100, maxMs: 1000 } });
  return { db, writer, sync };
}

async function streamUp(site: Site, what: string): Promise<void> {
  const deadline = Date.now() + STEP_DEADLINE_MS;
  while (!site.sync.status.streamConnected) {
    if (Date.now() > deadline) throw new Error(`${what} never connected its live stream`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Resolves with performance.now() when the document first satisfies `ready` in the local database. */
function whenLocal<T>(db: LocalDatabase, collection: 'ecgStudies' | 'ecgReports', id: string, ready: (doc: T) => boolean): Promise<number> {
  return new Promise((resolve) => {
    const sub = (db[collection] as unknown as { findOne(id: string): { $: { subscribe(fn: (d: { toJSON(): T } | null) => void): { unsubscribe(): void } } } })
      .findOne(id)
      .$.subscribe((doc) => {
        if (doc && ready(doc.toJSON())) {
          const at = performance.now();
          queueMicrotask(() => sub.unsubscribe());
          resolve(at);
        }
      });
  });
}

const hub = await startHub({ port: 0, demo: true, logLevel: 'silent' });
const proxy = new ThrottleProxy(Number(new URL(hub.url).port), {
  upBitsPerSecond: UP_KBPS * 1000,
  downBitsPerSecond: DOWN_KBPS * 1000,
  oneWayLatencyMs: LATENCY_MS,
});
const clinicLink = await proxy.listen();
let clinic: Site | undefined;
let center: Site | undefined;
try {
  console.log(
    `remote-diagnosis bench: BENCH_RUNS=${RUNS}; clinic link ${UP_KBPS} kbit/s up, ${DOWN_KBPS} kbit/s down, ${LATENCY_MS} ms one-way latency (local proxy); centre direct; hub on in-memory PGlite; clients on RxDB memory storage`,
  );
  const doctor = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'doctor');
  const cardiologist = await login(hub.url, demoWorkstation('ws-demo-ecg-center'), 'cardiologist');
  clinic = await openSite('bench-clinic', doctor, 'clinic', clinicLink);
  center = await openSite('bench-center', cardiologist, 'ecg-center', hub.url);
  await withDeadline(Promise.all([clinic.sync.awaitInSync(), center.sync.awaitInSync()]), STEP_DEADLINE_MS, 'first sync');
  await Promise.all([streamUp(clinic, 'the clinic'), streamUp(center, 'the centre')]);

  const sendMs: number[] = [];
  const signMs: number[] = [];
  let fileBytes = 0;
  for (let run = 0; run < RUNS; run++) {
    // Registered and seen earlier in the day: the patient and visit are at the hub before the ECG.
    const patient = makePatient({ institutionId: 'chengguan' });
    const visit = makeVisit({ institutionId: 'chengguan', patientId: patient.id });
    await saveRecord(clinic.db, 'patients', patient, { writer: clinic.writer });
    await saveRecord(clinic.db, 'visits', visit, { writer: clinic.writer });
    await withDeadline(clinic.sync.awaitInSync(), STEP_DEADLINE_MS, 'registering the patient');

    const recording = makeEcgRecording({ sampleRateHz: 500, seconds: 10, seed: run + 1, patient: { id: patient.id, name: patient.name, sex: 'M', birthDate: patient.birthDate } });
    const dicom = writeDicomEcg(recording, { studyDescription: '12-lead ECG' });
    fileBytes = dicom.length;
    const sha256 = createHash('sha256').update(dicom).digest('hex');
    const study: EcgStudy = makeEcgStudy({
      institutionId: 'chengguan',
      patientId: patient.id,
      visitId: visit.id,
      priority: 'urgent',
      clinicalNote: '胸痛 30 分钟',
      dicomSha256: sha256,
      dicomSizeBytes: dicom.length,
      readingState: 'uploading',
    });

    // send → worklist
    const inWorklist = whenLocal<EcgStudy>(center.db, 'ecgStudies', study.id, (d) => readingStates.indexOf(d.readingState) >= readingStates.indexOf('received'));
    const t0 = performance.now();
    await saveRecord(clinic.db, 'ecgStudies', study, { writer: clinic.writer });
    const upload = uploadBlob({ hubUrl: clinicLink, getToken: () => doctor.accessToken }, dicom, { sha256 });
    const arrived = await withDeadline(inWorklist, STEP_DEADLINE_MS, `run ${run}: the study reaching the worklist`);
    await withDeadline(upload, STEP_DEADLINE_MS, `run ${run}: the upload`);
    sendMs.push(arrived - t0);

    // sign → clinic (the cardiologist opened and claimed it first; that is not timed)
    const claim = await call(hub.url, 'POST', ecgPaths.claim(study.id), { token: cardiologist.accessToken });
    if (claim.status !== 200) throw new Error(`claim refused: ${claim.status} ${JSON.stringify(claim.body)}`);
    const report: EcgReport = makeEcgReport({
      institutionId: 'ecg-center',
      studyId: study.id,
      patientId: patient.id,
      statements: [{ code: 'STEMI', text: '急性前壁 ST 段抬高型心肌梗死' }],
      critical: true,
      signedBy: cardiologist.userId,
    });
    const atClinic = whenLocal<EcgReport>(clinic.db, 'ecgReports', report.id, (d) => d.signedAt !== null);
    const t1 = performance.now();
    const signed = await call(hub.url, 'POST', ecgPaths.report(study.id), { token: cardiologist.accessToken, body: { report: { ...report, signedAt: new Date().toISOString() } } });
    if (signed.status !== 200) throw new Error(`signing refused: ${signed.status} ${JSON.stringify(signed.body)}`);
    signMs.push((await withDeadline(atClinic, STEP_DEADLINE_MS, `run ${run}: the report reaching the clinic`)) - t1);
    console.log(`run ${String(run + 1).padStart(2)}  send → worklist ${seconds(sendMs.at(-1)!)} s   sign → clinic ${seconds(signMs.at(-1)!)} s`);
  }

  const report = (label: string, values: number[], target: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    const p95 = percentile(sorted, 95);
    figure({ name: `${label.trim()} p95`, value: p95, unit: 'ms', target: { op: '<', value: target }, note: `${UP_KBPS}/${DOWN_KBPS} kbit/s link, ${LATENCY_MS} ms one way` });
    console.log(
      `${label}: median ${seconds(percentile(sorted, 50))} s, p95 ${seconds(p95)} s, max ${seconds(sorted.at(-1)!)} s over ${values.length} runs ` +
        `(target < ${target / 1000} s: ${p95 < target ? 'met' : 'NOT met'})`,
    );
  };
  console.log(
    `DICOM file ${(fileBytes / 1024).toFixed(0)} KiB: ${seconds((fileBytes * 8) / UP_KBPS)} s of pure transmission at ${UP_KBPS} kbit/s; ` +
      `carried through the clinic link: ${(proxy.carried.up / 1024).toFixed(0)} KiB up, ${(proxy.carried.down / 1024).toFixed(0)} KiB down`,
  );
  report('send → study in the centre worklist', sendMs, TARGET_SEND_MS);
  report('sign → signed report at the clinic ', signMs, TARGET_SIGN_MS);
  // The same runs as the centre dashboard sees them (hub clock; captured = the study's creation just before send).
  const figures = turnaroundSummarySchema.parse((await call(hub.url, 'GET', turnaroundPath.summary(), { token: cardiologist.accessToken })).body);
  const urgent = figures.byPriority.urgent.intervals;
  console.log(
    `hub turnaround (GET /ecg/turnaround, urgent, ${urgent.capturedToSigned.count} studies): captured → received median ${seconds(urgent.capturedToReceived.medianMs ?? NaN)} s, ` +
      `p90 ${seconds(urgent.capturedToReceived.p90Ms ?? NaN)} s; received → opened median ${seconds(urgent.receivedToOpened.medianMs ?? NaN)} s; ` +
      `opened → signed median ${seconds(urgent.openedToSigned.medianMs ?? NaN)} s`,
  );
} finally {
  await Promise.all([clinic?.sync.stop(), center?.sync.stop()]);
  await Promise.all([clinic?.db.close(), center?.db.close()]);
  await proxy.close();
  await hub.close();
}
process.exit();
