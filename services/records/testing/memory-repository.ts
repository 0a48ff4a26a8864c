/**
 * An in-memory RecordRepository for component tests only: validates like the real store (so a bad
 * record is refused the same way) and can be told to fail or delay writes, to prove the screens never
 * say "saved" before a write committed. The app itself always uses the sync client.
 */
import { validateRecord, type CollectionName, type Patient, type RecordTypes } from '../../../core/records/index.ts';
import type { RecordRepository, SyncState, SyncStatusSource } from '../repository.ts';

export interface MemoryRepository extends RecordRepository {
  all<C extends CollectionName>(collection: C): RecordTypes[C][];
  /** The next save waits for this promise (commit pending) or rejects with it. */
  holdNextSave(gate: Promise<void>): void;
  /** Patients saved as registered from a card read (what the sync client would push as 'card-read'). */
  cardReadIds(): string[];
}

export function createMemoryRepository(): MemoryRepository {
  const tables = new Map<CollectionName, Map<string, unknown>>();
  const table = (c: CollectionName) => tables.get(c) ?? tables.set(c, new Map()).get(c)!;
  const listeners = new Map<CollectionName, Set<() => void>>();
  const drafts = new Map<string, string>();
  let gate: Promise<void> | undefined;
  const cardReads = new Set<string>();

  return {
    all: <C extends CollectionName>(c: C) => [...table(c).values()] as RecordTypes[C][],
    holdNextSave: (g) => (gate = g),
    cardReadIds: () => [...cardReads],
    async get(c, id) {
      return table(c).get(id) as never;
    },
    async findBy(c, field, value) {
      return [...table(c).values()].filter((r) => (r as Record<string, unknown>)[field] === value) as never;
    },
    async save(c, record, options) {
      const outcome = validateRecord(c, record);
      if (!outcome.ok) throw outcome.error;
      const pending = gate;
      gate = undefined;
      if (pending) await pending;
      table(c).set(outcome.value.id, structuredClone(outcome.value));
      if (c === 'patients' && options?.registration === 'card-read') cardReads.add(outcome.value.id);
      listeners.get(c)?.forEach((l) => l());
      return outcome.value as never;
    },
    async searchPatients(query, limit) {
      const q = query.trim().toLowerCase();
      if (!q) return [];
      const patients = [...table('patients').values()] as Patient[];
      return patients
        .filter((p) => [p.idNumber.toLowerCase(), p.name, p.pinyinInitials, p.pinyinFull, p.phone].some((k) => k !== '' && k.startsWith(q)))
        .slice(0, limit);
    },
    async visitsOn(date) {
      return ([...table('visits').values()] as RecordTypes['visits'][]).filter((v) => v.visitDate === date);
    },
    onChange(c, listener) {
      const set = listeners.get(c) ?? listeners.set(c, new Set()).get(c)!;
      set.add(listener);
      return () => set.delete(listener);
    },
    drafts: {
      async get(key) {
        const raw = drafts.get(key);
        return raw === undefined ? undefined : JSON.parse(raw);
      },
      async set(key, value) {
        drafts.set(key, JSON.stringify(value));
      },
      async remove(key) {
        drafts.delete(key);
      },
    },
  };
}

export function createManualSyncStatus(
  initial: Partial<SyncState> = {},
): SyncStatusSource & { set(state: Partial<SyncState>): void; syncNowCalls: number; retried: { collection: string; id: string }[] } {
  let state: SyncState = { pending: 0, lastSyncedAt: null, error: null, active: false, needsAttention: [], ...initial };
  const listeners = new Set<(s: SyncState) => void>();
  const source = {
    syncNowCalls: 0,
    retried: [] as { collection: string; id: string }[],
    async retry(collection: string, id: string) {
      source.retried.push({ collection, id });
    },
    current: () => state,
    subscribe(listener: (s: SyncState) => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async syncNow() {
      source.syncNowCalls++;
    },
    set(next: Partial<SyncState>) {
      state = { ...state, ...next };
      listeners.forEach((l) => l(state));
    },
  };
  return source;
}
