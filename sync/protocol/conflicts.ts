/**
 * Conflict and write rules, declared once per replicated collection and used on both sides:
 * - the hub calls `checkWrite` for every pushed row whose assumed master state is current;
 * - the client's RxDB conflict handler calls `resolveConflict` when the hub answers with a conflict.
 * `resolveConflict` never returns a state `checkWrite` would refuse, so a conflict cannot loop.
 *
 * Order is the hub's: a write that reaches the hub later has the higher sequence number. The base
 * rule is a three-way merge per top-level field — a field the client changed since its assumed
 * master state takes the client's value (its re-push will be the later write), every other field
 * keeps the master's. Client clocks (`updatedAt`) never decide. Per-collection rules narrow this.
 */
import type { CollectionName, ReadingState } from '../../core/records/index.ts';
import { isFinalVisitStatus, readingStates, recordDefinitions } from '../../core/records/index.ts';
import { deepEqual, sameDocumentState } from './documents.ts';
import type { WireDocument } from './wire.ts';

/** Who writes: from the hub's token on the hub, from the workstation's enrolment on the client. */
export interface Writer {
  institutionId: string;
  /** clinic: township clinic or hospital workstation; ecg-center: the county remote-ECG center; hub: the hub's own writes. */
  role: 'clinic' | 'ecg-center' | 'hub';
}

export type WriteCheck = { ok: true } | { ok: false; reason: string };
const allowed: WriteCheck = { ok: true };
const refuse = (reason: string): WriteCheck => ({ ok: false, reason });

export interface ConflictInput<D> {
  newDocumentState: D;
  realMasterState: D;
  assumedMasterState?: D | null | undefined;
}

type Doc = Record<string, unknown> & { id: string; institutionId: string; _deleted: boolean };

export interface CollectionRule {
  /** One line for people and the docs. */
  summary: string;
  checkWrite(master: Doc | undefined, next: Doc, writer: Writer): WriteCheck;
  resolve(input: ConflictInput<Doc>, writer: Writer): Doc;
}

/** Three-way merge per top-level field: fields changed since `assumed` take `next`'s value. */
export const mergeChangedFields = <D extends Record<string, unknown>>(master: D, assumed: D | null | undefined, next: D, hubOwned: readonly string[] = []): D => {
  const out: Record<string, unknown> = { ...master };
  for (const key of new Set([...Object.keys(master), ...Object.keys(next)])) {
    if (key === 'id' || hubOwned.includes(key)) continue;
    const changedByClient = !assumed || !deepEqual(next[key], assumed[key]);
    if (changedByClient) out[key] = next[key];
  }
  return out as D;
};

const ownerOnly = (master: Doc | undefined, next: Doc, writer: Writer): WriteCheck => {
  if (writer.role === 'hub') return allowed;
  if (next.institutionId !== writer.institutionId) return refuse('only the owner institution writes this record');
  if (master && master.institutionId !== next.institutionId) return refuse('the owner of a record never changes');
  return allowed;
};

type Amendment = { id: string; at: string };
const unionAmendments = (a: unknown, b: unknown): Amendment[] => {
  const byId = new Map<string, Amendment>();
  for (const list of [a, b]) for (const x of (list as Amendment[] | undefined) ?? []) if (!byId.has(x.id)) byId.set(x.id, x);
  return [...byId.values()].sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : x.id < y.id ? -1 : 1));
};

const isFinalVisit = (d: Doc | undefined) => !!d && isFinalVisitStatus(d.status as never);

/**
 * Identity of a patient (name, sex, birth date, document): changed only by the home institution
 * (which registered the patient, from the card or by hand) or by the county's patient-index
 * administrator at the hub. A different value from another clinic is kept at the hub as a
 * discrepancy for that administrator, never written over the master. The pinyin keys follow the name.
 */
export const IDENTITY_FIELDS = ['name', 'sex', 'birthDate', 'documentType', 'idNumber', 'pinyinInitials', 'pinyinFull'] as const;
export const identityChanged = (master: Record<string, unknown> | undefined, next: Record<string, unknown>): string[] =>
  master ? IDENTITY_FIELDS.filter((f) => !deepEqual(master[f], next[f])) : [];
const foreignWriter = (master: Doc | undefined, writer: Writer) => writer.role !== 'hub' && !!master && master.institutionId !== writer.institutionId;

const patientsRule: CollectionRule = {
  summary:
    'Demographics merge field by field, the later write at the hub winning each field; mergedInto is set only by the hub (master-patient merge). Any clinic may update a patient it treats, but the identity (name, sex, birth date, document) only at the home institution: elsewhere a differing identity becomes a discrepancy for the patient-index administrator.',
  checkWrite(master, next, writer) {
    if (writer.role === 'hub') return allowed;
    if (writer.role !== 'clinic') return refuse('only clinics register patients');
    if ((next.mergedInto ?? null) !== ((master?.mergedInto as string | null | undefined) ?? null)) return refuse('mergedInto is set only by the hub');
    if (foreignWriter(master, writer) && identityChanged(master, next).length > 0) return refuse('the identity of a patient changes only at the home institution or by the patient-index administrator');
    if (!master && next.institutionId !== writer.institutionId) return refuse('a clinic registers patients as its own');
    if (master && master.institutionId !== next.institutionId) return refuse('the home institution of a patient changes only at the hub');
    if (next._deleted && next.institutionId !== writer.institutionId) return refuse('only the home institution deletes a patient');
    return allowed;
  },
  resolve: ({ realMasterState, assumedMasterState, newDocumentState }, writer) =>
    mergeChangedFields(realMasterState, assumedMasterState, newDocumentState, [
      'mergedInto',
      'institutionId',
      ...(foreignWriter(realMasterState, writer) ? IDENTITY_FIELDS : []),
    ]),
};

const visitsRule: CollectionRule = {
  summary:
    'Written only by the owner institution. Once closed or cancelled the visit is final: the master version stands and only amendments are added (amendments from both sides are kept). Before that, field-by-field merge.',
  checkWrite(master, next, writer) {
    const owner = ownerOnly(master, next, writer);
    if (!owner.ok) return owner;
    if (isFinalVisit(master) && master) {
      const { amendments: ma, ...masterRest } = master;
      const { amendments: na, ...nextRest } = next;
      if (!deepEqual({ ...masterRest, updatedAt: null }, { ...nextRest, updatedAt: null })) return refuse('a closed visit changes only by amendment');
      const kept = new Set(((na as Amendment[]) ?? []).map((a) => a.id));
      if (((ma as Amendment[]) ?? []).some((a) => !kept.has(a.id))) return refuse('amendments are never removed');
    }
    return allowed;
  },
  resolve({ realMasterState, assumedMasterState, newDocumentState }, writer) {
    if (isFinalVisit(realMasterState)) {
      if (writer.role !== 'hub' && writer.institutionId !== realMasterState.institutionId) return realMasterState;
      const amendments = unionAmendments(realMasterState.amendments, newDocumentState.amendments);
      return deepEqual(amendments, realMasterState.amendments) ? realMasterState : { ...realMasterState, amendments };
    }
    const merged = mergeChangedFields(realMasterState, assumedMasterState, newDocumentState, ['institutionId']);
    return { ...merged, amendments: unionAmendments(realMasterState.amendments, newDocumentState.amendments) };
  },
};

const ownerFieldMerge = (summary: string): CollectionRule => ({
  summary,
  checkWrite: ownerOnly,
  resolve: ({ realMasterState, assumedMasterState, newDocumentState }) =>
    mergeChangedFields(realMasterState, assumedMasterState, newDocumentState, ['institutionId']),
});

const readingRank = (s: unknown) => readingStates.indexOf(s as ReadingState);
const ecgStudiesRule: CollectionRule = {
  summary:
    'The capturing clinic writes the study; the center (and the hub) only advance readingState, which never goes back (queued → uploading → received → being-read → reported). Otherwise field-by-field merge.',
  checkWrite(master, next, writer) {
    if (master && readingRank(next.readingState) < readingRank(master.readingState)) return refuse('the reading state never goes back');
    if (writer.role === 'hub') return allowed;
    if (writer.role === 'ecg-center') {
      if (!master) return refuse('the center does not create studies');
      if (!deepEqual({ ...master, readingState: null, updatedAt: null }, { ...next, readingState: null, updatedAt: null }))
        return refuse('the center changes only the reading state');
      return allowed;
    }
    return ownerOnly(master, next, writer);
  },
  resolve({ realMasterState, assumedMasterState, newDocumentState }) {
    const merged = mergeChangedFields(realMasterState, assumedMasterState, newDocumentState, ['institutionId']);
    const furthest = readingRank(realMasterState.readingState) >= readingRank(merged.readingState) ? realMasterState.readingState : merged.readingState;
    return { ...merged, readingState: furthest };
  },
};

const ecgReportsRule: CollectionRule = {
  summary: 'Written only by the ECG center. A signed report is final: the center\'s signed version stands. Unsigned drafts merge field by field.',
  checkWrite(master, next, writer) {
    if (writer.role === 'clinic') return refuse('only the ECG center writes reports');
    const owner = ownerOnly(master, next, writer);
    if (!owner.ok) return owner;
    if (master && master.signedAt !== null && !sameDocumentState(master, next)) return refuse('a signed report is final');
    return allowed;
  },
  resolve({ realMasterState, assumedMasterState, newDocumentState }) {
    if (realMasterState.signedAt !== null) return realMasterState;
    return mergeChangedFields(realMasterState, assumedMasterState, newDocumentState, ['institutionId']);
  },
};

/** The replicated collections and their rules: the single declaration both sides use. */
export const collectionRules: Record<CollectionName, CollectionRule> = {
  patients: patientsRule,
  visits: visitsRule,
  orders: ownerFieldMerge('Written only by the ordering institution; field-by-field merge (the recognition decision included).'),
  results: ownerFieldMerge('Written only by the performing institution; field-by-field merge.'),
  ecgStudies: ecgStudiesRule,
  ecgReports: ecgReportsRule,
  recognitionEvents: ownerFieldMerge('Written only by the clinic where the doctor ordered; in practice append-only (each event is written once).'),
};

export const replicatedCollections = Object.keys(collectionRules) as CollectionName[];

/** Hub side: may `writer` replace `master` (undefined for an insert) by `next`? */
export const checkWrite = <C extends CollectionName>(collection: C, master: WireDocument<C> | undefined, next: WireDocument<C>, writer: Writer): WriteCheck =>
  collectionRules[collection].checkWrite(master as unknown as Doc | undefined, next as unknown as Doc, writer);

/**
 * Client side (RxDB conflictHandler.resolve) and hub side alike. The result is valid against the
 * record schema and allowed by checkWrite for this writer; when a merge would not be, the master
 * state is taken — the safe choice, since the master is what every other workstation already has.
 */
export const resolveConflict = <C extends CollectionName>(collection: C, input: ConflictInput<WireDocument<C>>, writer: Writer): WireDocument<C> => {
  const rule = collectionRules[collection];
  const master = input.realMasterState as unknown as Doc;
  const resolved = rule.resolve(input as unknown as ConflictInput<Doc>, writer);
  if (sameDocumentState(resolved, master)) return input.realMasterState;
  const valid = recordDefinitions[collection].schema.safeParse(resolved).success;
  if (!valid || !rule.checkWrite(master, resolved, writer).ok) return input.realMasterState;
  return resolved as unknown as WireDocument<C>;
};
