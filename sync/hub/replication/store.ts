/**
 * Writing replicated records: positions in the change feed, scope columns, patient links,
 * master-patient merge. Every function here runs inside a write transaction (write-transaction.ts);
 * writers run side by side — a record's position (tx, seq) orders the feed without a lock
 * (position.ts). Functions that take many records do so in one statement: a push of 200 patients is
 * a handful of statements, not 1,400.
 */
import type { Queryable } from '../db/database.ts';
import type { CollectionName } from '../../../core/records/index.ts';
import { appendAudit, type AuditEntry } from '../audit.ts';
import { recordTurnaround } from '../turnaround/record.ts';
import { CURRENT_TX_SQL } from './position.ts';
import type { ChangeEvent } from './notifier.ts';
import { FILLABLE_PATIENT_FIELDS, patientIdentityKey, planMasterPatientMerge, type WirePatient } from '../../protocol/master-patient.ts';

export type Doc = Record<string, unknown> & { id: string; institutionId: string; _deleted: boolean };

export interface StoredRecord {
  doc: Doc;
  ownerInstitutionId: string | null;
  patientId: string | null;
}

/** What one transaction changed: for the live stream and the audit trail. */
export class ChangeSet {
  readonly collections = new Set<string>();
  readonly patients = new Set<string>();
  readonly institutions = new Set<string>();
  /** Patient records the hub itself rewrote for the master-patient index, not yet taken by the caller. */
  readonly mergeWrites: MergeWrite[] = [];
  /** The writing transaction's id (0 until it wrote a record) and its highest sequence number. */
  tx = 0;
  maxSeq = 0;

  note(collection: string, at: { tx: number | string; seq: number | string }, patientId: string | null, ...institutions: (string | null)[]) {
    this.collections.add(collection);
    if (patientId) this.patients.add(patientId);
    for (const i of institutions) if (i) this.institutions.add(i);
    this.tx = Number(at.tx);
    this.maxSeq = Math.max(this.maxSeq, Number(at.seq));
  }

  /** The live-stream notice for these changes; null when nothing was written. */
  toEvent(): ChangeEvent | null {
    if (this.tx === 0) return null;
    return { tx: this.tx, seq: this.maxSeq, collections: [...this.collections], institutions: [...this.institutions] };
  }
}

export const toWire = (row: { doc: unknown; deleted: boolean }): Doc => ({ ...(row.doc as Doc), _deleted: row.deleted });

export async function loadRecords(tx: Queryable, collection: string, ids: string[]): Promise<Map<string, StoredRecord>> {
  const { rows } = await tx.query<{ id: string; doc: Doc; deleted: boolean; owner_institution_id: string | null; patient_id: string | null }>(
    // In id order, so two pushes touching the same records lock them in the same order (no deadlock).
    'select id, doc, deleted, owner_institution_id, patient_id from records where collection = $1 and id = any($2) order by id for update',
    [collection, ids],
  );
  return new Map(rows.map((r) => [r.id, { doc: toWire(r), ownerInstitutionId: r.owner_institution_id, patientId: r.patient_id }]));
}

/** The county's remote-ECG centre that studies go to (one per county medical community). */
export async function ecgCenterId(tx: Queryable): Promise<string | null> {
  const { rows } = await tx.query<{ id: string }>("select id from institutions where kind = 'ecg_center' order by created_at, id limit 1");
  return rows[0]?.id ?? null;
}

/** The patient a document is about, as written (an alias until the master-patient index says otherwise). */
const rawPatientOf = (collection: CollectionName, doc: Doc): string | null =>
  collection === 'patients' ? ((doc.mergedInto as string | null) ?? doc.id) : ((doc.patientId as string | undefined) ?? null);

/**
 * The institution each document is addressed to, in their order: an ECG study goes to the county's
 * centre, a report to the clinic that sent the study; other records to nobody (no statement).
 */
async function targetsOf(tx: Queryable, collection: CollectionName, docs: Doc[]): Promise<(string | null)[]> {
  if (collection === 'ecgStudies') {
    const center = await ecgCenterId(tx);
    return docs.map(() => center);
  }
  if (collection === 'ecgReports') {
    const { rows } = await tx.query<{ id: string; owner: string }>(
      "select id, owner_institution_id as owner from records where collection = 'ecgStudies' and id = any($1)",
      [[...new Set(docs.map((d) => d.studyId as string))]],
    );
    const ownerOf = new Map(rows.map((r) => [r.id, r.owner]));
    return docs.map((d) => ownerOf.get(d.studyId as string) ?? null);
  }
  return docs.map(() => null);
}

/**
 * Ordering between the writers of a patient's records and the hub's re-linking of that patient.
 * Writers no longer wait for each other, so a clinic newly linked to a patient (linkPatients) could
 * otherwise miss a record of the patient inserted by a transaction that commits while the link's
 * re-stamp runs: the re-stamp would not see it, and the clinic's checkpoint may already have passed
 * it. So every write of a patient's records holds the patient's lock shared (writers still run side
 * by side), and linking, merging and re-stamping hold it exclusive: they start once the patient's
 * writers have committed, and later writers wait for them. Locks are taken in key order in one
 * statement; a deadlock with row locks is answered by retrying the transaction (write-transaction.ts).
 */
const PATIENT_LOCK_CLASS = 7420;
/** The patient locks each transaction holds (a transaction's `tx` handle lives as long as it does): a lock held is not asked for again. */
const heldLocks = new WeakMap<Queryable, Map<string, 'write' | 'relink'>>();
const heldLocksOf = (tx: Queryable): Map<string, 'write' | 'relink'> => {
  let held = heldLocks.get(tx);
  if (!held) heldLocks.set(tx, (held = new Map()));
  return held;
};
export async function lockPatients(tx: Queryable, patientIds: Iterable<string | null>, mode: 'write' | 'relink'): Promise<void> {
  const held = heldLocksOf(tx);
  // An exclusive lock covers a shared one; a shared one held does not cover an exclusive one.
  const ids = [...new Set([...patientIds].filter((p): p is string => !!p && held.get(p) !== 'relink' && held.get(p) !== mode))];
  if (ids.length === 0) return;
  await tx.query(`select ${patientLocksSql('unnest($1::text[])', mode)}`, [ids]);
  heldPatientLocks(tx, ids, mode);
}

/**
 * The expression that takes the locks of the patients `ids` (a set-returning SQL expression of their
 * ids) in key order, for a statement that takes them along with other work (push.ts folds them into its
 * first statement); heldPatientLocks then tells lockPatients they are held.
 */
export const patientLocksSql = (ids: string, mode: 'write' | 'relink') =>
  `(select count(${mode === 'write' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock'}(${PATIENT_LOCK_CLASS}, k)) from (select distinct hashtext(p) as k from ${ids} as p order by 1) as keys)`;

export function heldPatientLocks(tx: Queryable, ids: Iterable<string>, mode: 'write' | 'relink'): void {
  const held = heldLocksOf(tx);
  for (const id of ids) if (held.get(id) !== 'relink') held.set(id, mode);
}

export interface WriteBy {
  userId: string | null;
  workstationId: string | null;
}

export async function writeRecord(tx: Queryable, changes: ChangeSet, collection: CollectionName, next: Doc, by: WriteBy): Promise<number> {
  return (await writeRecords(tx, changes, collection, [next], by))[0]!;
}

/**
 * Stores documents of one collection (each id once) in one statement, each with a new position, and
 * returns their sequence numbers in order.
 */
export async function writeRecords(tx: Queryable, changes: ChangeSet, collection: CollectionName, docs: Doc[], by: WriteBy): Promise<number[]> {
  if (docs.length === 0) return [];
  const rawPatients = docs.map((d) => rawPatientOf(collection, d));
  await lockPatients(tx, rawPatients, 'write');
  const targets = await targetsOf(tx, collection, docs);
  // One JSON parameter: the same statement runs on PostgreSQL and PGlite, whatever the batch size.
  // Each record is filed under its patient's master (patient_aliases), read by this statement, after
  // the lock above: a merge of one of these patients committed a moment ago is seen (lockPatients).
  const batch = docs.map((next, i) => {
    const { _deleted, ...doc } = next;
    return { id: next.id, doc, deleted: _deleted === true, owner: next.institutionId, target: targets[i], patient: rawPatients[i] };
  });
  const { rows } = await tx.query<{ id: string; seq: string; tx: string; patient_id: string | null }>(
    `insert into records (collection, id, doc, deleted, owner_institution_id, target_institution_id, patient_id, tx, seq, updated_by_user, updated_by_workstation)
     select $1, b->>'id', b->'doc', (b->>'deleted')::boolean, b->>'owner', b->>'target',
            coalesce((select a.master_patient_id from patient_aliases a where a.alias_id = b->>'patient'), b->>'patient'),
            ${CURRENT_TX_SQL}, nextval('hub_change_seq'), $3, $4
       from jsonb_array_elements($2::jsonb) as e(b)
     on conflict (collection, id) do update set doc = excluded.doc, deleted = excluded.deleted,
       owner_institution_id = excluded.owner_institution_id, target_institution_id = excluded.target_institution_id,
       patient_id = excluded.patient_id, tx = excluded.tx, seq = excluded.seq, updated_at = now(),
       updated_by_user = excluded.updated_by_user, updated_by_workstation = excluded.updated_by_workstation
     returning id, seq, tx, patient_id`,
    [collection, JSON.stringify(batch), by.userId, by.workstationId],
  );
  const writtenOf = new Map(rows.map((r) => [r.id, r]));
  // The masters too, when they differ, before this transaction commits: a link of the master made
  // meanwhile waits for it, or it for the link (lockPatients).
  const raw = new Set(rawPatients);
  await lockPatients(tx, rows.map((r) => r.patient_id).filter((p) => !raw.has(p)), 'write');
  const seqs: number[] = [];
  for (const [i, next] of docs.entries()) {
    const written = writtenOf.get(next.id)!;
    changes.note(collection, written, written.patient_id, next.institutionId, targets[i] ?? null);
    seqs.push(Number(written.seq));
    // Remote-diagnosis turnaround: received / opened / signed on the hub's clock (turnaround/record.ts).
    await recordTurnaround(tx, collection, next, targets[i] ?? null, by.userId);
  }
  return seqs;
}

/** How a treating (or reading) relationship began; recorded with the link and audited. */
export type LinkBegan = 'registered' | 'card-read' | 'hand-typed' | 'record-written' | 'break-the-glass' | 'ecg-reading';

/** Who made a link, for the audit trail (null for the hub's own writes). */
export type LinkBy = { institutionId: string; userId: string | null; workstationId: string | null } | null;

/**
 * Links an institution to a patient. A new (or widened) link gives the institution the patient's
 * earlier records, which lie behind its checkpoint: those records are re-stamped with fresh
 * positions so its next pull brings them. Others re-pull identical documents, which is harmless;
 * links are rare (a patient's first visit at a clinic, a study's first trip to the centre).
 * The link records how it began; an institution's first access to another institution's patient is
 * audited (`first_access`), visible to the patient's home institution and the county.
 */
export async function linkPatient(
  tx: Queryable,
  changes: ChangeSet,
  patientId: string,
  institutionId: string,
  kind: 'treating' | 'ecg-reading',
  began: LinkBegan,
  by: LinkBy = null,
  reason: string | null = null,
): Promise<void> {
  await linkPatients(tx, changes, [{ patientId, began }], institutionId, kind, by, reason);
}

/** linkPatient for many patients of one institution, in a fixed number of statements. */
export async function linkPatients(
  tx: Queryable,
  changes: ChangeSet,
  links: { patientId: string; began: LinkBegan }[],
  institutionId: string,
  kind: 'treating' | 'ecg-reading',
  by: LinkBy = null,
  reason: string | null = null,
): Promise<void> {
  const began = new Map(links.map((l) => [l.patientId, l.began]));
  if (began.size === 0) return;
  // Existing links are checked under the lock, since it is this check that decides to re-stamp.
  await lockPatients(tx, began.keys(), 'relink');
  // One statement after the lock: the links the institution lacks are made (an existing treating
  // link, or one of this kind, is kept), each new link's patient's home is read, and only records the
  // institution did not already see (by ownership or address) get a new position — a clinic
  // registering its own new patient re-stamps nothing.
  const wanted = [...began].map(([patientId, how]) => ({ patient: patientId, began: how }));
  const { rows } = await tx.query<{ what: 'linked' | 'restamped'; collection: string | null; seq: string | null; tx: string | null; patient_id: string; owner: string | null }>(
    // Shaped so that the plan does not hang on the planner's statistics, which lag behind a young,
    // fast-growing table (db/statistics.ts): `kept` looks each patient up by the links' primary key
    // (a lateral lookup per patient), and `restamped` finds the records by the patients' index from an
    // array. Written as filters over the institution's links and a join with `fresh`, both became
    // scans of every link and record in the ingest bench.
    `with kept as (
       select p.patient_id from unnest($6::text[]) as p(patient_id)
        cross join lateral (select 1 from patient_links l
                             where l.patient_id = p.patient_id and l.institution_id = $1 and (l.kind = 'treating' or l.kind = $3) limit 1) as l),
     fresh as (
       insert into patient_links (patient_id, institution_id, linked_seq, kind, began, began_by_user, reason)
       select w.patient, $1, nextval('hub_change_seq'), $3, w.began, $4, $5 from jsonb_to_recordset($2::jsonb) as w(patient text, began text)
        where w.patient not in (select patient_id from kept)
       on conflict (patient_id, institution_id) do update set kind = excluded.kind, linked_seq = excluded.linked_seq, began = excluded.began,
         began_at = now(), began_by_user = excluded.began_by_user, reason = excluded.reason
       returning patient_id),
     restamped as (
       update records set tx = ${CURRENT_TX_SQL}, seq = nextval('hub_change_seq')
        where patient_id = any(array(select patient_id from fresh))
          and owner_institution_id is distinct from $1 and target_institution_id is distinct from $1
        returning collection, seq, tx, patient_id)
     select 'linked' as what, null as collection, null as seq, null as tx, f.patient_id,
            (select h.owner_institution_id from records h where h.collection = 'patients' and h.id = f.patient_id) as owner
       from fresh f
     union all
     select 'restamped', r.collection, r.seq::text, r.tx::text, r.patient_id, null from restamped r`,
    [institutionId, JSON.stringify(wanted), kind, by?.userId ?? null, reason, [...began.keys()]],
  );
  const linked = rows.filter((r) => r.what === 'linked');
  if (linked.length === 0) return;
  const firstAccess: AuditEntry[] = linked
    .filter((h) => h.owner && h.owner !== institutionId)
    .map((h) => ({
      action: 'first_access',
      collection: 'patients',
      recordId: h.patient_id,
      patientId: h.patient_id,
      detail: { institutionId, kind, began: began.get(h.patient_id), homeInstitution: h.owner, ...(reason ? { reason } : {}) },
    }));
  await appendAudit(tx, by ?? { institutionId, userId: null, workstationId: null }, firstAccess);
  for (const r of rows) if (r.what === 'restamped') changes.note(r.collection!, { tx: r.tx!, seq: r.seq! }, r.patient_id);
  changes.institutions.add(institutionId);
}

export async function restampPatient(tx: Queryable, changes: ChangeSet, patientId: string): Promise<void> {
  await lockPatients(tx, [patientId], 'relink');
  const { rows } = await tx.query<{ collection: string; seq: string; tx: string }>(
    `update records set tx = ${CURRENT_TX_SQL}, seq = nextval('hub_change_seq') where patient_id = $1 returning collection, seq, tx`,
    [patientId],
  );
  for (const r of rows) changes.note(r.collection, r, patientId);
}

/** Institutions that see a patient: for notifying live streams. */
export async function institutionsSeeing(tx: Queryable, patientIds: string[]): Promise<string[]> {
  if (patientIds.length === 0) return [];
  const { rows } = await tx.query<{ institution_id: string }>('select distinct institution_id from patient_links where patient_id = any($1)', [patientIds]);
  return rows.map((r) => r.institution_id);
}

/**
 * Master-patient index (主索引), keyed by identity document type and number: the first patient
 * registered with a document is its master; a patient registered later elsewhere with the same
 * document becomes an alias (`mergedInto`, written by the hub with a new sequence number), its
 * records are filed under the master, the master's empty fields (phone, address, insurance card,
 * nation) are filled from it (sync/protocol/master-patient.ts decides), and the registering clinic is
 * linked to the master so it receives the patient's county-wide history.
 */
export async function indexPatient(
  tx: Queryable,
  changes: ChangeSet,
  patient: Doc,
  registeringInstitution: string,
  registration: 'card-read' | 'hand-typed' = 'hand-typed',
  by: LinkBy = null,
): Promise<'master' | 'merged' | 'none'> {
  const key = patientIdentityKey(patient as unknown as WirePatient);
  if (key === null || patient._deleted || patient.mergedInto) return 'none';
  const documentType = patient.documentType as string;
  const idNumber = patient.idNumber as string;
  const claimed = await tx.query<{ master_patient_id: string }>(
    `insert into patient_master_index (document_type, id_number, master_patient_id) values ($1, $2, $3)
     on conflict (document_type, id_number) do update set id_number = excluded.id_number returning master_patient_id`,
    [documentType, idNumber, patient.id],
  );
  const masterId = claimed.rows[0]!.master_patient_id;
  if (masterId === patient.id) return 'master';
  const master = (await loadRecords(tx, 'patients', [masterId])).get(masterId)?.doc;
  if (!master || master._deleted || master.mergedInto || patientIdentityKey(master as unknown as WirePatient) !== key) {
    // The master was deleted, or its document corrected to another one since: this registration takes its place.
    await tx.query('update patient_master_index set master_patient_id = $3 where document_type = $1 and id_number = $2', [documentType, idNumber, patient.id]);
    return 'master';
  }
  await lockPatients(tx, [patient.id, masterId], 'relink'); // the alias's records move to the master
  await tx.query('insert into patient_aliases (alias_id, master_patient_id) values ($1, $2) on conflict (alias_id) do nothing', [patient.id, masterId]);
  await tx.query('update records set patient_id = $2 where patient_id = $1', [patient.id, masterId]);
  await settleMasterPatient(tx, changes, masterId);
  await linkPatient(tx, changes, masterId, registeringInstitution, 'treating', registration, by);
  // Records of both registrations are now one history: every institution seeing it re-pulls it.
  await restampPatient(tx, changes, masterId);
  return 'merged';
}

/**
 * The first step of indexPatient for a whole push at once: the statement that claims the master-patient
 * index for each patient whose document is not yet indexed, returning the master now on file — itself
 * for the usual new registration, which then needs nothing more. Parameters numbered from `firstParam`:
 * a push folds it into its closing statement (push.ts). A document twice in one push is claimed once;
 * the others go through indexPatient one by one. Null when no patient has a document to index.
 */
export function claimMasterIndex(patients: Doc[], firstParam: number): { sql: string; values: unknown[]; mastersOf(rows: MasterClaim[]): Map<string, string> } | null {
  const byKey = new Map<string, Doc>();
  for (const p of patients) {
    const key = patientIdentityKey(p as unknown as WirePatient);
    if (key !== null && !p._deleted && !p.mergedInto && !byKey.has(key)) byKey.set(key, p);
  }
  if (byKey.size === 0) return null;
  const claims = [...byKey.values()].map((p) => ({ type: p.documentType, number: p.idNumber, patient: p.id }));
  return {
    sql: `insert into patient_master_index (document_type, id_number, master_patient_id)
          select c->>'type', c->>'number', c->>'patient' from jsonb_array_elements($${firstParam}::jsonb) as e(c) order by 1, 2
          on conflict (document_type, id_number) do update set id_number = excluded.id_number
          returning document_type, id_number, master_patient_id`,
    values: [JSON.stringify(claims)],
    mastersOf(rows) {
      const masterOf = new Map(rows.map((r) => [`${r.document_type}:${r.id_number}`, r.master_patient_id]));
      return new Map(claims.map((c) => [c.patient, masterOf.get(`${c.type}:${c.number}`)!]));
    },
  };
}

/** A row of claimMasterIndex's statement. */
export interface MasterClaim {
  document_type: string;
  id_number: string;
  master_patient_id: string;
}

export interface MergeWrite {
  doc: Doc;
  /** Master fields filled from a duplicate (names only: the audit trail holds no patient data). */
  filledFields: string[];
}

/**
 * Applies the master-patient rule to a master and its aliases: every alias points at the master and
 * the master's empty fields are filled from them (planMasterPatientMerge). Runs when a duplicate joins
 * and when a clinic edits its alias record (a phone added there reaches the master). Hub writes,
 * each with a new sequence number, so every clinic that sees the patient receives them.
 */
export async function settleMasterPatient(tx: Queryable, changes: ChangeSet, masterId: string): Promise<MergeWrite[]> {
  const { rows } = await tx.query<{ alias_id: string }>('select alias_id from patient_aliases where master_patient_id = $1 order by merged_at, alias_id', [masterId]);
  const stored = await loadRecords(tx, 'patients', [masterId, ...rows.map((r) => r.alias_id)]);
  const master = stored.get(masterId)?.doc;
  if (!master || master._deleted) return [];
  const key = patientIdentityKey(master as unknown as WirePatient);
  // An alias whose clinic has since corrected its document number is no longer the same person's record.
  const aliases = rows.map((r) => stored.get(r.alias_id)?.doc).filter((d): d is Doc => !!d && !d._deleted && patientIdentityKey(d as unknown as WirePatient) === key);
  const plan = planMasterPatientMerge([master, ...aliases] as unknown as WirePatient[], new Date().toISOString());
  const writes: MergeWrite[] = [];
  for (const next of plan as unknown as Doc[]) {
    const before = stored.get(next.id)!.doc;
    await writeRecord(tx, changes, 'patients', next, { userId: null, workstationId: null });
    writes.push({ doc: next, filledFields: next.id === masterId ? FILLABLE_PATIENT_FIELDS.filter((f) => before[f] !== next[f]) : [] });
  }
  changes.mergeWrites.push(...writes);
  return writes;
}
