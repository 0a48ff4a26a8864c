/**
 * One workstation of the soak, in its own process (forked by the runner, killed with SIGKILL when
 * the scenario pulls its plug): the real sync client (sync/client: RxDB, startReplication with the
 * live stream, resumable blob upload) on a persisted store (journaled-storage.ts), talking to the
 * hub through its site's fault proxy. It does what the runner tells it — the nurse's registration by
 * card, the doctor's visit, orders with recognition decisions, ECGs; at the ECG centre, claim, read
 * and sign — and reports every record that lands in its local database.
 *
 * DICOM files wait in `<dir>/blobs` until the hub has verified them, as the blob store keeps them in
 * IndexedDB on a real PC; critical reports it acknowledged are remembered in `<dir>/acks`.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeDicomEcg } from '../../core/ecg/formats/index.ts';
import { starterItemCatalog } from '../../core/catalog/index.ts';
import { collectionNames, readingStates, type CollectionName, type EcgReport, type EcgStudy, type Order, type Patient, type RecognitionEvent, type Result } from '../../core/records/index.ts';
import { findQualifyingResult } from '../../core/recognition/index.ts';
import { ecgPaths } from '../../sync/protocol/ecg-reading.ts';
import { paths, type Writer } from '../../sync/protocol/index.ts';
import { uploadBlob } from '../../sync/client/blob-upload.ts';
import { createLocalDatabase } from '../../sync/client/database.ts';
import { getRecord, saveRecord } from '../../sync/client/records.ts';
import { startReplication } from '../../sync/client/replication.ts';
import { makeEcgRecording } from '../fixtures/ecg/make-recording.ts';
import { journaledStorage } from './journaled-storage.ts';
import type { Command, Reply, Request, WorkstationCounters, WorkstationEvent, WorkstationOptions, WorkstationStats } from './protocol.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as WorkstationOptions;
const send = (message: WorkstationEvent | Reply) => process.send?.(message);
const blobDir = path.join(options.dir, 'blobs');
const ackDir = path.join(options.dir, 'acks');
mkdirSync(blobDir, { recursive: true });
mkdirSync(ackDir, { recursive: true });

let token = options.token;
const writer: Writer = { institutionId: options.institutionId, role: options.role };
const counters: WorkstationCounters = { pushes: 0, pushedRows: 0, conflicts: 0, pulls: 0, failedRequests: 0, uploads: 0, uploadFailures: 0, acks: 0 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Counts what the sync client sends and what the hub answers (conflicts), without changing either. */
const countingFetch: typeof fetch = async (input, init) => {
  const url = String(input);
  try {
    const response = await fetch(input, init);
    if (url.includes('/push') && response.ok) {
      counters.pushes++;
      const body = (await response.clone().json()) as { conflicts?: unknown[] };
      counters.conflicts += body.conflicts?.length ?? 0;
      try {
        counters.pushedRows += (JSON.parse(String(init?.body ?? '{}')) as { rows?: unknown[] }).rows?.length ?? 0;
      } catch {
        /* not a JSON body */
      }
    } else if (url.includes('/pull?') && response.ok) counters.pulls++;
    else if (!response.ok) counters.failedRequests++;
    return response;
  } catch (e) {
    counters.failedRequests++;
    throw e;
  }
};

const store = journaledStorage(path.join(options.dir, 'journal.ndjson'));
const db = await createLocalDatabase({ name: 'soak-workstation', storage: store.storage, writer });
const restoredDocuments = (await Promise.all(collectionNames.map((c) => db[c].count().exec()))).reduce((a, b) => a + b, 0);

// Every record landing here (a replicated one, or this PC's own) is reported with its arrival time.
for (const c of collectionNames) {
  (db[c] as unknown as { $: { subscribe(fn: (e: { operation: string; documentId: string; documentData: unknown }) => void): unknown } }).$.subscribe((event) => {
    if (event.operation === 'DELETE') return;
    const doc = event.documentData as Record<string, unknown>;
    send({
      ev: 'seen',
      c,
      id: event.documentId,
      at: Date.now(),
      ...(c === 'ecgStudies' ? { rs: doc.readingState as string } : {}),
      ...(c === 'ecgReports' ? { signed: doc.signedAt != null, critical: doc.critical === true } : {}),
    });
    if (c === 'ecgReports' && options.acknowledgesCritical && doc.critical === true && doc.signedAt != null) wakeAcks();
  });
}

const sync = await startReplication({
  db,
  writer,
  hubUrl: options.hubUrl,
  getToken: () => token,
  fetch: countingFetch,
  liveStream: true,
  retry: { initialMs: 200, maxMs: 3000 },
});

const authorized = (init: RequestInit = {}): RequestInit => ({
  ...init,
  headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` },
  signal: AbortSignal.timeout(20_000),
});

/** A request the hub must eventually take: retried through cuts and restarts until it answers one of `done`. */
async function until(what: string, request: () => Promise<Response>, done: (r: Response) => boolean, deadlineMs = 10 * 60_000): Promise<Response> {
  const deadline = Date.now() + deadlineMs;
  let wait = 200;
  for (;;) {
    try {
      const response = await request();
      if (done(response)) return response;
      counters.failedRequests++;
      if (response.status >= 400 && response.status < 500 && ![401, 404, 408, 429].includes(response.status)) {
        throw new Error(`${what}: ${response.status} ${await response.text()}`);
      }
      await response.arrayBuffer().catch(() => undefined);
    } catch (e) {
      if (e instanceof Error && e.message.startsWith(what)) throw e;
      counters.failedRequests++;
    }
    if (Date.now() > deadline) throw new Error(`${what}: no answer in ${deadlineMs} ms`);
    await sleep(wait);
    wait = Math.min(3000, wait * 2);
  }
}

// --- DICOM files: kept until the hub verified them, uploaded resumably (the sync client's uploadBlob).
const blobFile = (sha: string) => path.join(blobDir, `${sha}.dcm`);
const pendingBlobs = () => readdirSync(blobDir).filter((f) => f.endsWith('.dcm') && !existsSync(path.join(blobDir, f.replace('.dcm', '.done')))).map((f) => f.slice(0, 64));
let uploading: Promise<void> | undefined;
let lastUploadError: string | null = null;
async function uploadLoop(): Promise<void> {
  for (let round = 0; round < 1000; round++) {
    const pending = pendingBlobs();
    if (pending.length === 0) return;
    for (const sha of pending) {
      try {
        await uploadBlob({ hubUrl: options.hubUrl, getToken: () => token, fetch: countingFetch }, new Uint8Array(readFileSync(blobFile(sha))), { sha256: sha, chunkSize: 32 * 1024 });
        // As the app does (services/remote-diagnosis/remote-diagnosis.ts): the file is at the hub, so the study
        // advances to 'received' — the hub does it too when the file completes after the record arrived,
        // but not when the file was first.
        for (const doc of await db.ecgStudies.find({ selector: { dicomSha256: sha } }).exec()) {
          const study = doc.toMutableJSON(false) as EcgStudy;
          if (readingStates.indexOf(study.readingState) < readingStates.indexOf('received')) await saveRecord(db, 'ecgStudies', { ...study, readingState: 'received' }, { writer });
        }
        writeFileSync(path.join(blobDir, `${sha}.done`), new Date().toISOString());
        counters.uploads++;
        send({ ev: 'uploaded', sha256: sha, at: Date.now() });
      } catch (e) {
        counters.uploadFailures++;
        lastUploadError = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
        await sleep(Math.min(3000, 200 * 2 ** Math.min(round, 4)));
      }
    }
  }
}
/** One upload loop at a time; `.finally` runs after the assignment, so a loop with nothing to do never sticks. */
const uploadPending = (): Promise<void> => (uploading ??= uploadLoop().finally(() => (uploading = undefined)));

// --- Critical values (危急值): acknowledged once each, remembered across restarts.
let acking: Promise<void> | undefined;
async function ackLoop(): Promise<void> {
  for (;;) {
    const reports = (await db.ecgReports.find().exec()).map((d) => d.toMutableJSON(false) as EcgReport);
    const open = reports.filter((r) => r.critical && r.signedAt !== null && !existsSync(path.join(ackDir, r.id)));
    if (open.length === 0) return;
    for (const report of open) {
      await until(`acknowledge ${report.id}`, () => fetch(options.hubUrl + ecgPaths.acknowledge(report.id), authorized({ method: 'POST' })), (r) => r.ok);
      writeFileSync(path.join(ackDir, report.id), new Date().toISOString());
      counters.acks++;
      send({ ev: 'acked', id: report.id, at: Date.now() });
    }
  }
}
function wakeAcks(): void {
  acking ??= ackLoop().finally(() => (acking = undefined));
  acking.catch(() => undefined);
}

const catalog = starterItemCatalog();

async function handle(command: Command): Promise<unknown> {
  switch (command.op) {
    case 'save': {
      const doc = await saveRecord(db, command.collection, command.doc as never, { writer });
      return { savedAt: Date.now(), doc };
    }
    case 'edit': {
      const current = await getRecord(db, command.collection, command.id);
      if (!current) throw new Error(`edit: no ${command.collection} ${command.id} on ${options.name}`);
      const doc = await saveRecord(db, command.collection, { ...current, ...command.patch } as never, { writer });
      return { savedAt: Date.now(), doc };
    }
    case 'register': {
      // The card is read: the patient is found by document number, else registered; a visit is queued.
      const card = command.patient as unknown as Patient;
      const found = (await db.patients.find({ selector: { idNumber: card.idNumber } }).exec()).map((d) => d.toMutableJSON(false) as Patient);
      const existing = found.find((p) => p.institutionId === options.institutionId) ?? found[0];
      const patient = existing ?? (await saveRecord(db, 'patients', card, { writer }));
      const visit = await saveRecord(db, 'visits', { ...command.visit, patientId: patient.id } as never, { writer });
      return { savedAt: Date.now(), patientId: patient.id, created: !existing, visitId: visit.id };
    }
    case 'order': {
      const patient = await getRecord(db, 'patients', command.patientId);
      const item = catalog.find(command.itemCode)!;
      const patientIds = [command.patientId, ...(patient?.mergedInto ? [patient.mergedInto] : [])];
      const results = (await db.results.find().exec()).map((d) => d.toMutableJSON(false) as Result);
      const qualifying = findQualifyingResult(results, { item, patientIds, now: new Date() });
      const now = new Date().toISOString();
      const event = (kind: RecognitionEvent['kind'], extra: Partial<RecognitionEvent> = {}): RecognitionEvent => ({
        id: crypto.randomUUID(),
        institutionId: options.institutionId,
        updatedAt: now,
        kind,
        patientId: command.patientId,
        visitId: command.visitId,
        orderId: null,
        itemCode: item.code,
        resultId: qualifying!.result.id,
        resultInstitutionId: qualifying!.result.institutionId,
        at: now,
        by: command.doctorId,
        reason: null,
        note: '',
        priceSavedFen: 0,
        ...extra,
      });
      const order: Order = {
        id: command.orderId,
        institutionId: options.institutionId,
        updatedAt: now,
        visitId: command.visitId,
        patientId: command.patientId,
        itemCode: item.code,
        itemName: item.name,
        orderedAt: now,
        orderedBy: command.doctorId,
        status: 'ordered',
        recognition: null,
      };
      const events: RecognitionEvent[] = [];
      if (qualifying) {
        events.push(event('reminder'), event('view'));
        if (command.recognize) {
          order.status = 'recognized';
          order.recognition = { decision: 'recognized', resultId: qualifying.result.id, priceSavedFen: item.priceFen };
          events.push(event('recognized', { orderId: order.id, priceSavedFen: item.priceFen }));
        } else {
          order.recognition = { decision: 're-ordered', reason: 'condition-changed', note: '' };
          events.push(event('refused', { orderId: order.id, reason: 'condition-changed' }));
        }
      }
      for (const e of events.slice(0, 2)) await saveRecord(db, 'recognitionEvents', e, { writer });
      await saveRecord(db, 'orders', order, { writer });
      for (const e of events.slice(2)) await saveRecord(db, 'recognitionEvents', e, { writer });
      return { savedAt: Date.now(), decision: qualifying ? (command.recognize ? 'recognized' : 'refused') : 'none', eventIds: events.map((e) => e.id) };
    }
    case 'ecg': {
      const study = command.study as Record<string, unknown>;
      const recording = makeEcgRecording({ sampleRateHz: 500, seconds: 10, seed: command.seed, patient: { id: String(study.patientId).slice(0, 18), name: '患者', sex: 'M', birthDate: '1960-01-01' } });
      const dicom = writeDicomEcg(recording, { studyDescription: '12-lead ECG' });
      const sha256 = createHash('sha256').update(dicom).digest('hex');
      writeFileSync(blobFile(sha256), dicom); // kept locally before the study says it exists
      const doc = await saveRecord(db, 'ecgStudies', { ...study, dicomSha256: sha256, dicomSizeBytes: dicom.length, readingState: 'uploading' } as never, { writer });
      void uploadPending();
      return { savedAt: Date.now(), sha256, size: dicom.length, doc };
    }
    case 'read': {
      // The cardiologist opens (claims) the study, reads the file, signs. Each step is retried through
      // the link's faults; a repeated claim renews it, and a signature the hub already took answers
      // ecg-study-reported (409).
      const { studyId } = command;
      let attempts = 0;
      const claimed = await until(
        `claim ${studyId}`,
        () => (attempts++, fetch(options.hubUrl + ecgPaths.claim(studyId), authorized({ method: 'POST' }))),
        (r) => r.ok || r.status === 409,
      );
      const alreadyReported = claimed.status === 409;
      await claimed.arrayBuffer().catch(() => undefined);
      const file = await until(`download ${command.sha256}`, () => fetch(options.hubUrl + paths.blob(command.sha256), authorized()), (r) => r.ok);
      const bytes = new Uint8Array(await file.arrayBuffer());
      const hashOk = createHash('sha256').update(bytes).digest('hex') === command.sha256;
      if (alreadyReported) return { hashOk, signedAt: null, alreadyReported, claimRefusedAsReported: true, attempts };
      const signed = await until(
        `sign ${studyId}`,
        () =>
          (attempts++,
          fetch(
            options.hubUrl + ecgPaths.report(studyId),
            authorized({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ report: { ...command.report, signedAt: new Date().toISOString() } }) }),
          )),
        (r) => r.ok || r.status === 409,
      );
      const body = (await signed.json().catch(() => ({}))) as { report?: EcgReport };
      return { hashOk, signedAt: body.report?.signedAt ?? null, alreadyReported: signed.status === 409, attempts, returnedAt: Date.now() };
    }
    case 'token':
      token = command.token;
      sync.credentialsChanged();
      return null;
    case 'sync': {
      await sync.syncNow();
      await uploadPending();
      if (options.acknowledgesCritical) {
        wakeAcks();
        await acking?.catch(() => undefined);
      }
      return sync.status.pendingChanges;
    }
    case 'dump': {
      const docs: Partial<Record<CollectionName, unknown[]>> = {};
      for (const c of collectionNames) docs[c] = (await db[c].find().exec()).map((d) => d.toMutableJSON(false));
      return { docs, needsAttention: sync.status.needsAttention };
    }
    case 'stats':
      return stats();
    case 'stop':
      await sync.stop();
      await db.close();
      setTimeout(() => process.exit(0), 10);
      return null;
  }
}

async function stats(): Promise<WorkstationStats> {
  const size = store.size();
  const records = (await Promise.all(collectionNames.map((c) => db[c].count().exec()))).reduce((a, b) => a + b, 0);
  const reports = options.acknowledgesCritical ? (await db.ecgReports.find().exec()).map((d) => d.toMutableJSON(false) as EcgReport) : [];
  return {
    pendingChanges: sync.status.pendingChanges,
    needsAttention: sync.status.needsAttention.length,
    state: sync.status.state,
    localBytes: size.bytes,
    localDocuments: size.documents,
    records,
    counters: { ...counters },
    pendingUploads: pendingBlobs().length,
    lastUploadError,
    pendingAcks: reports.filter((r) => r.critical && r.signedAt !== null && !existsSync(path.join(ackDir, r.id))).length,
  };
}

process.on('message', (message: Request) => {
  handle(message).then(
    (value) => send({ re: message.seq, ok: true, value }),
    (error: unknown) => send({ re: message.seq, ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
  );
});
// The runner gone (it crashed or was stopped): a workstation never outlives it.
process.on('disconnect', () => process.exit(0));

send({ ev: 'ready', restoredDocuments });
// A restarted PC resumes what it had not finished: uploads and acknowledgements.
void uploadPending();
if (options.acknowledgesCritical) wakeAcks();
// And keeps trying, as the app does, whatever woke it last.
setInterval(() => {
  void uploadPending();
  if (options.acknowledgesCritical) wakeAcks();
}, 5000);
