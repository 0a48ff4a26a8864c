/**
 * Replication of the local database with the county hub, per the protocol in sync/protocol:
 * RxDB's replicateRxCollection per collection, pulling by the hub's sequence checkpoint, pushing rows
 * with their assumed master state (conflicts resolved by the shared rules), and a live stream: one
 * Server-Sent-Events connection whose notices make the named collection pull ('RESYNC'); on every
 * (re)connect all collections pull, so nothing missed while offline is lost.
 *
 * Failures never surface as exceptions to the UI: requests retry with backoff and `status$` tells
 * the sync-status panel what is going on, in plain Chinese and English. A refused credential
 * (auth-invalid, auth-missing) is different: no retry can fix it, so requests wait until
 * `credentialsChanged()` (credential-gate.ts) and the status says a sign-in is needed. A refused
 * record (a 4xx naming the row, or found by halving a refused batch) cannot be fixed by retrying
 * either: it is set aside in the "needs attention" list (needs-attention.ts) with the hub's words, and
 * the rest of the collection keeps flowing.
 */
import { BehaviorSubject, Subject, combineLatest, filter, firstValueFrom, map, type Observable } from 'rxjs';
import type { RxReplicationPullStreamItem, WithDeleted } from 'rxdb';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import type { CollectionName, RecordTypes } from '../../core/records/index.ts';
import {
  paths,
  PULL_LIMIT_MAX,
  pullResponseSchema,
  pushResponseSchema,
  replicatedCollections,
  replicatedState,
  resolveConflict,
  sameDocumentState,
  STREAM_KEEPALIVE_MS,
  streamEventSchema,
  type RegistrationMethod,
  type SyncCheckpoint,
  type WireDocument,
  type Writer,
} from '../protocol/index.ts';
import { Backoff } from './backoff.ts';
import { CredentialGate, isCredentialRefusal } from './credential-gate.ts';
import type { LocalDatabase } from './database.ts';
import { readEventStream } from './event-stream.ts';
import { hubFetch, hubJson, isRequestRefusal, SyncError, type HubConnection, type SyncErrorCode } from './hub-http.ts';
import { needsAttentionOf, versionOf, type RefusedRecord } from './needs-attention.ts';
import { cardReadsOf } from './card-reads.ts';
import { outboxOf, type Outbox } from './outbox.ts';
import { getRecord, saveRecord } from './records.ts';

export type { RefusedRecord } from './needs-attention.ts';

export interface ReplicationOptions extends HubConnection {
  db: LocalDatabase;
  /** This workstation's institution and role (the conflict rules depend on it). */
  writer: Writer;
  collections?: readonly CollectionName[];
  pullBatchSize?: number;
  pushBatchSize?: number;
  /** Retry delays: doubling from initialMs to maxMs. */
  retry?: { initialMs: number; maxMs: number };
  /** Listen to GET /sync/stream (default true). Without it, pulls happen at start and on syncNow(). */
  liveStream?: boolean;
  /**
   * After the hub refuses the credentials, try again only this often (default 10 min) unless
   * credentialsChanged() or syncNow() is called first.
   */
  authRetryMs?: number;
}

/** `auth-required`: the hub refused this workstation's or user's credentials; sync waits for a new sign-in. */
export type SyncState = 'syncing' | 'idle' | 'offline' | 'error' | 'auth-required' | 'stopped';

export interface SyncStatus {
  state: SyncState;
  /** Local changes the hub has not yet accepted and will be sent (set-aside records not counted). */
  pendingChanges: number;
  /** Records the hub refused, left out of pushes until edited or retried; oldest first. */
  needsAttention: readonly RefusedRecord[];
  /** ISO time of the last request the hub answered successfully; null before the first. */
  lastSyncedAt: string | null;
  /** The live stream is connected (changes from other institutions arrive at once). */
  streamConnected: boolean;
  error: { code: SyncErrorCode; message: string; messageZh: string } | null;
}

export interface SyncController {
  readonly status$: Observable<SyncStatus>;
  readonly status: SyncStatus;
  /** Retries now and pulls every collection; resolves when in sync, rejects with the next failure. */
  syncNow(): Promise<void>;
  /**
   * Tell the sync client that getToken() now has new credentials (a user signed in again): requests
   * waiting after an auth refusal try again at once.
   */
  credentialsChanged(): void;
  /**
   * Sends a set-aside record again unchanged (the reason may have been fixed at the hub): it is saved
   * once more, which gives it a new version, and pushed. Edited records go up without this.
   */
  retry(collection: CollectionName, id: string): Promise<void>;
  /** Resolves when every local change was pushed and no pull is running. */
  awaitInSync(): Promise<void>;
  stop(): Promise<void>;
  readonly replications: ReadonlyMap<CollectionName, RxReplicationState<unknown, SyncCheckpoint>>;
}

type StreamItem = RxReplicationPullStreamItem<unknown, SyncCheckpoint>;
type PushRow = { newDocumentState: Record<string, unknown>; assumedMasterState: Record<string, unknown> | null; registration?: RegistrationMethod };

const stateOfError = (error: SyncError): SyncState => {
  if (error.code === 'network') return 'offline';
  // A reported auth-expired is one the retry with a renewed token did not cure: a sign-in is needed.
  if (isCredentialRefusal(error.code) || error.code === 'auth-expired') return 'auth-required';
  return 'error';
};

export async function startReplication(options: ReplicationOptions): Promise<SyncController> {
  const { db, writer } = options;
  const collections = options.collections ?? replicatedCollections;
  const backoff = new Backoff(options.retry?.initialMs, options.retry?.maxMs);
  const credentials = new CredentialGate(options.authRetryMs ?? 10 * 60_000);
  const streamBackoff = new Backoff(options.retry?.initialMs, options.retry?.maxMs);
  const abort = new AbortController();
  const outbox: Outbox = await outboxOf(db);
  const needsAttention = await needsAttentionOf(db);
  const cardReads = await cardReadsOf(db);

  let stopped = false;
  const error$ = new BehaviorSubject<SyncError | null>(null);
  const failures$ = new Subject<SyncError>();
  const lastSyncedAt$ = new BehaviorSubject<string | null>(null);
  const streamConnected$ = new BehaviorSubject(false);
  const stopped$ = new BehaviorSubject(false);

  const succeeded = () => {
    backoff.succeeded();
    lastSyncedAt$.next(new Date().toISOString());
    if (error$.getValue()) error$.next(null);
  };
  const toSyncError = (e: unknown) => (e instanceof SyncError ? e : new SyncError('bad-response', 0, e instanceof Error ? e.message : String(e)));

  /**
   * Runs one hub request until it succeeds or replication stops. An expired token once is routine:
   * it is retried at once, unreported, and getToken renews it. Refused credentials — or a token still
   * expired after that retry, which getToken cannot renew — wait for new credentials instead.
   */
  const attempt = async <T>(request: () => Promise<T>, { refusalIsFinal = false } = {}): Promise<T> => {
    let expiredInARow = 0;
    for (;;) {
      if (stopped) throw new SyncError('stopped', 0);
      try {
        const result = await request();
        succeeded();
        return result;
      } catch (e) {
        if (stopped) throw new SyncError('stopped', 0);
        const err = toSyncError(e);
        if (refusalIsFinal && isRequestRefusal(err)) {
          // The hub answered; what it refused is the caller's to set aside, not a sync problem.
          backoff.succeeded();
          if (error$.getValue()) error$.next(null);
          throw err;
        }
        expiredInARow = err.code === 'auth-expired' ? expiredInARow + 1 : 0;
        if (expiredInARow === 1) continue;
        error$.next(err);
        failures$.next(err);
        if (isCredentialRefusal(err.code) || expiredInARow > 1) await credentials.wait();
        else await backoff.failed();
      }
    }
  };

  const streams = new Map<CollectionName, Subject<StreamItem>>();
  const replications = new Map<CollectionName, RxReplicationState<unknown, SyncCheckpoint>>();

  for (const collection of collections) {
    const stream$ = new Subject<StreamItem>();
    streams.set(collection, stream$);
    const rxCollection = db[collection];
    const state = replicateRxCollection<RecordTypes[typeof collection], SyncCheckpoint>({
      collection: rxCollection as never,
      replicationIdentifier: `clinic-hub-${collection}-${options.hubUrl}`,
      live: true,
      waitForLeadership: false,
      // Retries happen in attempt(); this only matters if a handler throws after stop().
      retryTime: 1_000,
      pull: {
        // The hub's largest page: a new workstation's first sync of 100k records takes ~40 s instead of
        // ~86 s at the default page (tests/bench/sync.bench.ts), the client's per-page cost dominating.
        batchSize: options.pullBatchSize ?? PULL_LIMIT_MAX,
        stream$: stream$.asObservable() as Observable<RxReplicationPullStreamItem<RecordTypes[typeof collection], SyncCheckpoint>>,
        handler: (checkpoint, batchSize) =>
          attempt(() => hubJson(options, paths.pull(collection, checkpoint, batchSize), pullResponseSchema(collection), { signal: abort.signal })) as never,
      },
      push: {
        batchSize: options.pushBatchSize ?? 50,
        handler: async (rows) => {
          const toSend: PushRow[] = [];
          for (const r of rows) {
            const newDocumentState = replicatedState(r.newDocumentState);
            const refused = needsAttention.get(collection, newDocumentState.id as string);
            // Still the refused version: left out (RxDB counts it as sent; an edit brings it back).
            if (refused && refused.version === versionOf(newDocumentState)) continue;
            toSend.push({
              newDocumentState,
              // RxDB took the refused version for the hub's: the hub's real state was kept at the refusal.
              assumedMasterState: refused ? refused.assumedMasterState : r.assumedMasterState ? replicatedState(r.assumedMasterState) : null,
              // How the hub records a relationship with another clinic's patient begun by this registration.
              ...(collection === 'patients' && cardReads.has(newDocumentState.id as string) ? { registration: 'card-read' as const } : {}),
            });
          }
          const conflicts = await pushRows(collection, toSend);
          return conflicts as unknown as WithDeleted<RecordTypes[typeof collection]>[];
        },
      },
    });
    replications.set(collection, state as unknown as RxReplicationState<unknown, SyncCheckpoint>);
  }

  /**
   * Pushes rows; a refused push sets aside the rows the hub names (details.documentIds) and sends the
   * rest again. A refusal naming none of them is halved until the refused rows stand alone, so one
   * bad record costs about 2·log2(batch) requests and never blocks the others.
   */
  const pushRows = async (collection: CollectionName, rows: PushRow[]): Promise<WireDocument<CollectionName>[]> => {
    if (rows.length === 0) return [];
    try {
      const { conflicts } = await attempt(
        () =>
          hubJson(options, paths.push(collection), pushResponseSchema(collection), {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ rows }),
            signal: abort.signal,
          }),
        { refusalIsFinal: true },
      );
      await settleOutbox(collection, rows as never, conflicts as never);
      // The hub has these patients now (stored, merged or answered with its master): the flag was read.
      if (collection === 'patients') await cardReads.remove(rows.filter((r) => r.registration).map((r) => r.newDocumentState.id as string));
      // Accepted, or resolved by the conflict rules: nothing left for a person to look at.
      await needsAttention.release(collection, rows.map((r) => r.newDocumentState.id as string));
      return conflicts as WireDocument<CollectionName>[];
    } catch (e) {
      if (!(e instanceof SyncError) || !isRequestRefusal(e)) throw e;
      const inBatch = new Set(rows.map((r) => r.newDocumentState.id as string));
      const named = new Set((e.details?.documentIds ?? []).filter((id) => inBatch.has(id)));
      if (named.size === 0 && rows.length > 1) {
        const half = Math.ceil(rows.length / 2);
        return [...(await pushRows(collection, rows.slice(0, half))), ...(await pushRows(collection, rows.slice(half)))];
      }
      const isRefused = (r: PushRow) => (named.size === 0 ? true : named.has(r.newDocumentState.id as string));
      const refusedAt = new Date().toISOString();
      await needsAttention.setAside(
        rows.filter(isRefused).map(
          (r): RefusedRecord => ({
            collection,
            id: r.newDocumentState.id as string,
            version: versionOf(r.newDocumentState),
            assumedMasterState: r.assumedMasterState,
            code: e.code,
            status: e.status,
            message: e.message,
            messageZh: e.messageZh,
            ...(e.details?.issues ? { issues: e.details.issues } : {}),
            refusedAt,
          }),
        ),
      );
      return pushRows(
        collection,
        rows.filter((r) => !isRefused(r)),
      );
    }
  };

  /** Removes from the pending count what the hub now holds, or what the rules resolve to the hub's version. */
  const settleOutbox = async <C extends CollectionName>(collection: C, pushed: { newDocumentState: WireDocument<C>; assumedMasterState: WireDocument<C> | null }[], conflicts: WireDocument<C>[]) => {
    const conflictById = new Map(conflicts.map((c) => [c.id, c]));
    const ids = pushed.map((r) => r.newDocumentState.id).filter((id) => outbox.has(collection, id));
    if (ids.length === 0) return;
    const current = await db[collection].findByIds(ids).exec();
    const settled: string[] = [];
    for (const row of pushed) {
      const id = row.newDocumentState.id;
      if (!outbox.has(collection, id)) continue;
      const master = conflictById.get(id);
      if (master) {
        const resolved = resolveConflict(collection, { newDocumentState: row.newDocumentState, realMasterState: master, assumedMasterState: row.assumedMasterState }, writer);
        if (sameDocumentState(resolved, master)) settled.push(id);
        continue;
      }
      const local = current.get(id);
      const localState = local ? { ...local.toMutableJSON(false), _deleted: false } : undefined;
      if ((row.newDocumentState._deleted && !localState) || (localState && sameDocumentState(localState, row.newDocumentState))) settled.push(id);
    }
    await outbox.remove(collection, settled);
  };

  const resyncAll = () => {
    for (const s of streams.values()) s.next('RESYNC');
  };

  const runStream = async () => {
    while (!stopped) {
      let refused = false;
      const connection = new AbortController();
      const stopConnection = () => connection.abort();
      abort.signal.addEventListener('abort', stopConnection, { once: true });
      let watchdog: ReturnType<typeof setTimeout> | undefined;
      const feedWatchdog = () => {
        clearTimeout(watchdog);
        // Silence for 2.5 keep-alive periods means a dead link (a NAT that dropped the connection).
        watchdog = setTimeout(() => connection.abort(), STREAM_KEEPALIVE_MS * 2.5);
      };
      try {
        const response = await hubFetch(options, paths.stream(), { headers: { accept: 'text/event-stream' }, signal: connection.signal });
        if (!response.body) throw new SyncError('bad-response', response.status, 'The live stream has no body');
        streamConnected$.next(true);
        streamBackoff.succeeded();
        feedWatchdog();
        resyncAll();
        await readEventStream(
          response.body,
          {
            onActivity: feedWatchdog,
            onData: (data) => {
              let json: unknown;
              try {
                json = JSON.parse(data);
              } catch {
                return;
              }
              const event = streamEventSchema.safeParse(json);
              if (!event.success) return;
              if (event.data === 'RESYNC') resyncAll();
              else streams.get(event.data.collection)?.next('RESYNC');
            },
          },
          connection.signal,
        );
      } catch (e) {
        // The pulls report the hub's state in status$; a stream failure only means "not live" —
        // unless the hub refused the credentials: then the stream waits for new ones like the pulls.
        refused = e instanceof SyncError && isCredentialRefusal(e.code);
      } finally {
        clearTimeout(watchdog);
        abort.signal.removeEventListener('abort', stopConnection);
        streamConnected$.next(false);
      }
      if (!stopped) await (refused ? credentials.wait() : streamBackoff.failed());
    }
  };

  const onlineAgain = () => {
    backoff.wake();
    streamBackoff.wake();
  };
  const credentialsChanged = () => {
    credentials.open();
    onlineAgain();
  };
  const events = globalThis as unknown as { addEventListener?: (t: string, l: () => void) => void; removeEventListener?: (t: string, l: () => void) => void };
  events.addEventListener?.('online', onlineAgain);

  const active$ = combineLatest([...replications.values()].map((r) => r.active$));
  // A set-aside record stays in the outbox (the hub does not have it) but is not counted as "to send".
  const toSend = (outboxCount: number, refused: readonly RefusedRecord[]) => outboxCount - refused.filter((r) => outbox.has(r.collection, r.id)).length;
  const status$ = new BehaviorSubject<SyncStatus>({
    state: 'syncing',
    pendingChanges: toSend(outbox.size, needsAttention.records),
    needsAttention: needsAttention.records,
    lastSyncedAt: null,
    streamConnected: false,
    error: null,
  });
  const statusSub = combineLatest([active$, outbox.count$, needsAttention.list$, lastSyncedAt$, streamConnected$, error$, stopped$])
    .pipe(
      map(([active, outboxCount, refused, lastSyncedAt, streamConnected, error, isStopped]): SyncStatus => ({
        state: isStopped ? 'stopped' : error ? stateOfError(error) : active.some(Boolean) ? 'syncing' : 'idle',
        pendingChanges: toSend(outboxCount, refused),
        needsAttention: refused,
        lastSyncedAt,
        streamConnected,
        error: error ? { code: error.code, message: error.message, messageZh: error.messageZh } : null,
      })),
    )
    .subscribe(status$);

  const streamDone = options.liveStream === false ? Promise.resolve() : runStream();

  const awaitInSync = async () => {
    await Promise.all([...replications.values()].map((r) => r.awaitInSync()));
  };

  return {
    status$: status$.asObservable(),
    get status() {
      return status$.getValue();
    },
    replications,
    awaitInSync,
    credentialsChanged,
    async retry(collection, id) {
      const record = await getRecord(db, collection, id);
      if (!record) {
        await needsAttention.release(collection, [id]);
        return;
      }
      // Saved again as it is: a new version, which ends the set-aside and goes up with the next push.
      await saveRecord(db, collection, record, { writer });
    },
    async syncNow() {
      const nextFailure = firstValueFrom(failures$.pipe(filter(() => !stopped))).then((e) => Promise.reject(e));
      nextFailure.catch(() => undefined);
      // The nurse asked: one more try even after an auth refusal (she may just have signed in).
      credentialsChanged();
      for (const r of replications.values()) r.reSync();
      await Promise.race([awaitInSync(), nextFailure]);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      stopped$.next(true);
      abort.abort();
      credentialsChanged();
      events.removeEventListener?.('online', onlineAgain);
      await Promise.all([...replications.values()].map((r) => r.cancel()));
      await streamDone;
      statusSub.unsubscribe();
    },
  };
}
