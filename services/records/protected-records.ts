/**
 * The records of the signed-in user, opened with the data key released by their password and closed
 * again at lock and sign-out (docs/security-local-data.md): the screens get a LocalClinicStore only
 * while someone is signed in and the screen is not locked. The session service is wrapped so the
 * password — at hand only in login and unlock — opens the records there, and so a session restored
 * after a reload (no password) comes back locked: the lock screen asks for it.
 */
import { Sequencer } from '../../core/async/sequencer.ts';
import type { ItemCatalog } from '../../core/catalog/index.ts';
import { dexieBlobRows, openBlobStore, sealClearBlobs, type BlobRows } from '../../sync/client/blob-store.ts';
import { browserStorage, type LocalDatabase } from '../../sync/client/database.ts';
import { LocalDataKeyError } from '../../sync/client/local-data-key.ts';
import { escrowedKeyVault, openProtectedDatabase, protectedDatabaseName } from '../../sync/client/protected-database.ts';
import type { SyncController } from '../../sync/client/replication.ts';
import type { Writer } from '../../sync/protocol/index.ts';
import { LoginError } from '../session/login-errors.ts';
import type { ActiveSession, SessionService } from '../session/session-service.ts';
import { startClinicSync, type LocalClinicStore } from './open-clinic-records.ts';
import { syncClientRepository } from './sync-client-repository.ts';
import type { RxStorage } from 'rxdb';

export interface ProtectedRecords {
  /** The open records, or null (nobody signed in, locked, or still opening). */
  readonly current: LocalClinicStore | null;
  subscribe(listener: () => void): () => void;
  /**
   * Releases the key with the password and opens the records (moving clear ones in the first time).
   * `escrow`: the hub's escrow secret from an online sign-in (the hub verified this password).
   */
  open(username: string, password: string, escrow?: string | undefined): Promise<LocalClinicStore>;
  /** Replication for the open records under the user's token; stopped before the records close. */
  startSync(hubUrl: string, getToken: () => Promise<string>): Promise<SyncController | null>;
  /** Stops replication and closes the database: the key and what was derived from it are dropped. */
  close(): Promise<void>;
}

export interface ProtectedRecordsOptions {
  boot: LocalDatabase;
  institutionId: string;
  writer: Writer;
  catalog: ItemCatalog;
  storage?: RxStorage<unknown, unknown> | undefined;
  /** The protected database's name; `clinic-<institution>-protected` unless a test gives its own. */
  name?: string | undefined;
  devMode?: boolean | undefined;
  /** PBKDF2 iterations for new key copies (tests only). */
  iterations?: number | undefined;
  /** Where captured files lie: the device's IndexedDB unless a test gives its own. */
  blobRows?: (() => BlobRows) | undefined;
}

export function protectedRecords(options: ProtectedRecordsOptions): ProtectedRecords {
  let current: LocalClinicStore | null = null;
  let sync: Promise<SyncController | null> | null = null;
  /** Opening and closing run one after another: a lock during a slow sign-in closes what it opened. */
  const openClose = new Sequencer();
  const listeners = new Set<() => void>();
  const publish = (next: LocalClinicStore | null) => {
    current = next;
    for (const l of [...listeners]) l();
  };
  const closeNow = async () => {
    const store = current;
    const running = sync;
    sync = null;
    if (!store) return;
    publish(null);
    await (await running?.catch(() => null))?.stop();
    await store.db.close();
    store.blobs.close();
  };

  return {
    get current() {
      return current;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    open(username, password, escrow) {
      return openClose.run(async () => {
        await closeNow();
        const db = await openProtectedDatabase({
          boot: options.boot,
          name: options.name ?? protectedDatabaseName(options.institutionId),
          storage: options.storage ?? browserStorage(),
          writer: options.writer,
          devMode: options.devMode,
          username,
          password,
          verifiedByHub: escrow !== undefined,
          vault: escrow !== undefined ? escrowedKeyVault(options.boot, escrow) : undefined,
          iterations: options.iterations,
        });
        // Captured files are sealed with the same key; files an older version left clear are sealed now.
        const rows = options.blobRows?.() ?? dexieBlobRows();
        await sealClearBlobs(db, rows).catch((error: unknown) => console.warn('Clear ECG files not sealed yet (next sign-in retries):', error instanceof Error ? error.message : error));
        const blobs = openBlobStore(db, rows);
        const store: LocalClinicStore = { db, blobs, repo: syncClientRepository(db, options.writer), catalog: options.catalog, writer: options.writer };
        publish(store);
        return store;
      });
    },
    startSync(hubUrl, getToken) {
      if (!current) return Promise.resolve(null);
      sync ??= startClinicSync(current, hubUrl, getToken).catch(() => null);
      return sync;
    },
    close: () => openClose.run(closeNow),
  };
}

/** A key problem as a sign-in error the nurse can act on (the key's own zh/en message). */
const asLoginError = (error: unknown): unknown =>
  error instanceof LocalDataKeyError ? new LoginError('local-data', { zh: error.messageZh, en: error.message }, { cause: error }) : error;

/** The session service with the records opened at login and unlock and closed at lock and logout. */
export function withProtectedRecords(service: SessionService, records: ProtectedRecords): SessionService {
  return {
    enrolment: service.enrolment,
    async login(username, password) {
      const session = await service.login(username, password);
      try {
        await records.open(session.user.username, password, session.takeLocalDataEscrow?.());
      } catch (error) {
        // Signed in but the records stay shut: do not leave a half-open session behind.
        await service.logout(session).catch(() => undefined);
        throw asLoginError(error);
      }
      return session;
    },
    async restore() {
      const restored = await service.restore();
      if (!restored) return null;
      // A reload has no password, so no key: the session comes back behind the lock screen.
      service.lock(restored.session);
      return { session: restored.session, locked: true };
    },
    lock(session: ActiveSession) {
      service.lock(session);
      void records.close();
    },
    async unlock(session, password) {
      await service.unlock(session, password);
      await records.open(session.user.username, password).catch((error: unknown) => {
        throw asLoginError(error);
      });
    },
    async logout(session) {
      // The session is forgotten at once (a reload right after sign-out must not restore it); the
      // hub's logout call and closing the records then run side by side.
      const loggedOut = service.logout(session);
      await records.close();
      await loggedOut;
    },
  };
}
