/**
 * Sending ECGs for remote diagnosis (发送远程诊断) and acknowledging critical findings, on the clinic
 * side. Nothing here makes the doctor wait for the network:
 *
 * - `send(studyId)` writes the request to a local ledger (an RxDB local document: it survives a
 *   reload and a crash) and returns; a background loop uploads the study's DICOM file from the local
 *   blob store to the hub, resumably and by hash (sync/client/blob-upload.ts), advancing the study's
 *   readingState queued → uploading → received. The study record itself travels by replication;
 *   the hub also marks it received when the file completes, whichever arrives first.
 * - `acknowledge(reportId)` records the acknowledgement locally at once (the alert goes away) and
 *   the loop delivers it to the hub (POST /ecg/reports/:id/acknowledge) when it can.
 *
 * Failures wait with backoff (doubling to 30 s, as replication does) and retry; coming back online,
 * or replication reaching the hub again, retries at once.
 */
import { BehaviorSubject, type Observable } from 'rxjs';
import { Sequencer } from '../../core/async/sequencer.ts';
import { nowIso, readingStates, type EcgStudy, type ReadingState } from '../../core/records/index.ts';
import { ecgPaths, acknowledgementSchema } from '../../sync/protocol/ecg-reading.ts';
import { Backoff } from '../../sync/client/backoff.ts';
import { uploadBlob } from '../../sync/client/blob-upload.ts';
import type { BlobStore } from '../../sync/client/blob-store.ts';
import { hubJson, type HubConnection } from '../../sync/client/hub-http.ts';
import type { RecordRepository } from '../records/repository.ts';

const SENT_KEY = 'remote-diagnosis.sent';
const ACKS_KEY = 'remote-diagnosis.critical-acks';
/** With nothing to do the loop still looks again this often (a study saved in another tab, a lost wake-up). */
const IDLE_MS = 30_000;

export interface UploadProgress {
  receivedBytes: number;
  totalBytes: number;
}

export interface CriticalAcknowledgement {
  reportId: string;
  by: string;
  at: string;
  /** The hub has recorded it. */
  delivered: boolean;
}

export const readingRank = (s: ReadingState): number => readingStates.indexOf(s);

export interface RemoteDiagnosis {
  /** Queues the study for remote diagnosis; resolves once the request is stored locally. */
  send(studyId: string): Promise<void>;
  sentStudyIds(): Promise<string[]>;
  /** Upload progress of the studies being uploaded now. */
  readonly progress$: Observable<ReadonlyMap<string, UploadProgress>>;
  acknowledge(reportId: string, userId: string): Promise<CriticalAcknowledgement>;
  acknowledgements(): Promise<Record<string, CriticalAcknowledgement>>;
  /** Listeners run after a send or an acknowledgement changed the ledgers. */
  onLedgerChange(listener: () => void): () => void;
  /** Try the hub now (network back, the user pressed 同步). */
  wake(): void;
  stop(): Promise<void>;
}

export interface RemoteDiagnosisOptions {
  repo: RecordRepository;
  blobs: Pick<BlobStore, 'get' | 'markUploaded'>;
  /** The hub under the signed-in user's token, read at each attempt (sign-in changes it); null: requests stay queued. */
  hub: () => HubConnection | null;
  retry?: { initialMs: number; maxMs: number };
}

export function startRemoteDiagnosis({ repo, blobs, hub, retry }: RemoteDiagnosisOptions): RemoteDiagnosis {
  const progress$ = new BehaviorSubject<ReadonlyMap<string, UploadProgress>>(new Map());
  const backoff = new Backoff(retry?.initialMs ?? 1_000, retry?.maxMs ?? 30_000);
  const listeners = new Set<() => void>();
  const abort = new AbortController();
  let stopped = false;
  let wakeIdle: (() => void) | undefined;
  // Ledger writes one after another, so a later write never loses an earlier one.
  const ledgerWrites = new Sequencer();
  const changeLedger = <T>(key: string, empty: T, change: (value: T) => T): Promise<T> =>
    ledgerWrites
      .run(async () => {
        const value = change((await repo.drafts.get<T>(key)) ?? empty);
        await repo.drafts.set(key, value);
        return value;
      })
      .finally(() => listeners.forEach((l) => l()));
  const sentStudyIds = async () => (await repo.drafts.get<string[]>(SENT_KEY)) ?? [];
  const acknowledgements = async () => (await repo.drafts.get<Record<string, CriticalAcknowledgement>>(ACKS_KEY)) ?? {};

  const setProgress = (studyId: string, p: UploadProgress | undefined) => {
    const next = new Map(progress$.getValue());
    if (p) next.set(studyId, p);
    else next.delete(studyId);
    progress$.next(next);
  };

  /** Advances the study's state if it is behind (never back: the shared conflict rules forbid it). */
  const advance = async (study: EcgStudy, to: ReadingState) => {
    const current = (await repo.get('ecgStudies', study.id)) ?? study;
    if (readingRank(current.readingState) >= readingRank(to)) return;
    await repo.save('ecgStudies', { ...current, readingState: to, updatedAt: nowIso() });
  };

  const uploadStudy = async (conn: HubConnection, studyId: string) => {
    const study = await repo.get('ecgStudies', studyId);
    if (!study || readingRank(study.readingState) >= readingRank('received')) return;
    const blob = await blobs.get(study.dicomSha256);
    // The bytes are gone only if this PC's storage was wiped; the hub may still have them from an earlier attempt.
    if (!blob) return;
    await advance(study, 'uploading');
    setProgress(studyId, { receivedBytes: 0, totalBytes: blob.sizeBytes });
    try {
      await uploadBlob(conn, blob.bytes, {
        sha256: study.dicomSha256,
        signal: abort.signal,
        onProgress: (receivedBytes, totalBytes) => setProgress(studyId, { receivedBytes, totalBytes }),
      });
    } finally {
      setProgress(studyId, undefined);
    }
    await blobs.markUploaded(study.dicomSha256);
    await advance(study, 'received');
  };

  const deliverAcknowledgements = async (conn: HubConnection) => {
    for (const ack of Object.values(await acknowledgements())) {
      if (ack.delivered) continue;
      await hubJson(conn, ecgPaths.acknowledge(ack.reportId), acknowledgementSchema, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ acknowledgedAt: ack.at }),
        signal: abort.signal,
      });
      await changeLedger<Record<string, CriticalAcknowledgement>>(ACKS_KEY, {}, (all) => ({ ...all, [ack.reportId]: { ...ack, delivered: true } }));
    }
  };

  const pass = async () => {
    const conn = hub();
    if (!conn) return;
    for (const id of await sentStudyIds()) await uploadStudy(conn, id);
    await deliverAcknowledgements(conn);
  };

  const idle = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, IDLE_MS);
      function done() {
        clearTimeout(timer);
        wakeIdle = undefined;
        resolve();
      }
      wakeIdle = done;
    });

  const loop = (async () => {
    while (!stopped) {
      try {
        await pass();
        backoff.succeeded();
        if (!stopped) await idle();
      } catch {
        if (!stopped) await backoff.failed();
      }
    }
  })();

  const wake = () => {
    backoff.wake();
    wakeIdle?.();
  };
  const events = globalThis as unknown as { addEventListener?: (t: string, l: () => void) => void; removeEventListener?: (t: string, l: () => void) => void };
  events.addEventListener?.('online', wake);

  return {
    async send(studyId) {
      await changeLedger<string[]>(SENT_KEY, [], (ids) => (ids.includes(studyId) ? ids : [...ids, studyId]));
      wake();
    },
    sentStudyIds,
    progress$: progress$.asObservable(),
    async acknowledge(reportId, userId) {
      const ack: CriticalAcknowledgement = { reportId, by: userId, at: nowIso(), delivered: false };
      const all = await changeLedger<Record<string, CriticalAcknowledgement>>(ACKS_KEY, {}, (acks) => (acks[reportId] ? acks : { ...acks, [reportId]: ack }));
      wake();
      return all[reportId]!;
    },
    acknowledgements,
    onLedgerChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    wake,
    async stop() {
      stopped = true;
      abort.abort();
      events.removeEventListener?.('online', wake);
      wake();
      await loop;
    },
  };
}
