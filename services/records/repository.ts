/**
 * What the screens need from local storage, as an interface: the sync client (sync/client, RxDB on
 * IndexedDB) implements it in the app (see sync-client-repository.ts), an in-memory double does in
 * component tests. Every write resolves only after the record is committed locally, so a screen may
 * say "saved" when `save` resolves and never earlier. Nothing here waits for the network.
 */
import type { CollectionName, Patient, RecordTypes, Visit } from '../../core/records/index.ts';
import type { RegistrationMethod } from '../../sync/protocol/wire.ts';

export type Unsubscribe = () => void;

export interface RecordRepository {
  get<C extends CollectionName>(collection: C, id: string): Promise<RecordTypes[C] | undefined>;
  /** Records whose `field` equals `value` (an indexed field: patientId, visitId, idNumber…). */
  findBy<C extends CollectionName>(collection: C, field: keyof RecordTypes[C] & string, value: string): Promise<RecordTypes[C][]>;
  /**
   * Validates (validateRecord) and writes; resolves with the stored record once durable. A patient
   * saved with `registration: 'card-read'` is pushed saying so (sync/client/card-reads.ts).
   */
  save<C extends CollectionName>(collection: C, record: RecordTypes[C], options?: { registration?: RegistrationMethod }): Promise<RecordTypes[C]>;
  /** Patients by ID number, name, pinyin initials, full pinyin or phone (prefix), best first. */
  searchPatients(query: string, limit: number): Promise<Patient[]>;
  /** Every visit of a clinic day, any status. */
  visitsOn(visitDate: string): Promise<Visit[]>;
  /** Called after any local or replicated change to the collection. */
  onChange(collection: CollectionName, listener: () => void): Unsubscribe;
  /** Typed drafts that survive a reload (local documents, never replicated). */
  readonly drafts: DraftStore;
}

export interface DraftStore {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T): Promise<void>;
  remove(key: string): Promise<void>;
}

/** Replication state as the header and the sync screen show it. */
export interface SyncState {
  /** Local changes not yet accepted by the hub. */
  pending: number;
  /** ISO time of the last successful push/pull round, null if never. */
  lastSyncedAt: string | null;
  /** What went wrong last, in plain words, or null. */
  error: { code: string; messageZh: string; messageEn: string } | null;
  active: boolean;
  /** Records the hub refused: set aside (not sent again until edited or retried), with the hub's words. */
  needsAttention: readonly RefusedRecordView[];
}

export interface RefusedRecordView {
  collection: string;
  id: string;
  code: string;
  messageZh: string;
  messageEn: string;
  /** Which fields broke which rule, when the hub said so. */
  issues: readonly { path: string; messageZh: string; messageEn: string }[];
  refusedAt: string;
}

export interface SyncStatusSource {
  current(): SyncState;
  subscribe(listener: (state: SyncState) => void): Unsubscribe;
  syncNow(): Promise<void>;
  /** Send a set-aside record again as it is (the reason may have been fixed at the hub). */
  retry(collection: string, id: string): Promise<void>;
}

/** Who is using the workstation: the owner of every record written here. */
export interface ClinicSession {
  institutionId: string;
  userId: string;
}
