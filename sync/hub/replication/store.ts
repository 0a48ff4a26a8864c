/**
 * Writing replicated records: sequence numbers, scope columns, patient links, master-patient merge.
 * Every function here runs inside a write transaction that holds WRITE_LOCK (see lockWrites).
 */
import type { Queryable } from '../db/database.ts';
import type { CollectionName } from '../../../core/records/index.ts';
import { masterPatientOf } from './scope.ts';
import { appendAudit } from '../audit.ts';
import { recordTurnaround } from '../turnaround/record.ts';
import { FILLABLE_PATIENT_FIELDS, patientIdentityKey, planMasterPatientMerge, type WirePatient } from '../../protocol/master-patient.ts';

/**
 * One writer at a time draws sequence numbers: with the lock held from nextval() to COMMIT,
 * sequence order is commit order, so a pull at checkpoint N can never later find a row < N
 * committed behind its back. Reads never take it.
 */
const WRITE_LOCK = 7_420_002;
export async function lockWrites(tx: Queryable): Promise<void> {
  await tx.query('select pg_advisory_xact_lock($1)', [WRITE_LOCK]);
}

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
  maxSeq = 0;

  note(collection: string, seq: number, patientId: string | null, ...institutions: (string | null)[]) {
    this.collections.add(collection);
    if (patientId) this.patients.add(patientId);
    for (const i of institutions) if (i) this.institutions.add(i);
    this.maxSeq = Math.max(this.maxSeq, seq);
  }
}

export const toWire = (row: { doc: unknown; deleted: boolean }): Doc => ({ ...(row.doc as Doc), _deleted: row.deleted });

export async function loadRecords(tx: Queryable, collection: string, ids: string[]): Promise<Map<string, StoredRecord>> {
  const { rows } = await tx.query<{ id: string; doc: Doc; deleted: boolean; owner_institution_id: string | null; patient_id: string | null }>(
    'select id, doc, deleted, owner_institution_id, patient_id from records where collection = $1 and id = any($2) for update',
    [collection, ids],
  );
  return new Map(rows.map((r) => [r.id, { doc: toWire(r), ownerInstitutionId: r.owner_institution_id, patientId: r.patient_id }]));
}

/** The county's remote-ECG centre that studies go to (one per county medical community). */
export async function ecgCenterId(tx: Queryable): Promise<string | null> {
  const { rows } = await tx.query<{ id: string }>("select id from institutions where kind = 'ecg_center' order by created_at, id limit 1");
  return rows[0]?.id ?? null;
}

/** The scope columns of a document. */
export async function scopeOf(tx: Queryable, collection: CollectionName, doc: Doc) {
  const rawPatient = collection === 'patients' ? ((doc.mergedInto as string | null) ?? doc.id) : (doc.patientId as string | undefined);
  const patientId = rawPatient ? await masterPatientOf(tx, rawPatient) : null;
  let target: string | null = null;
  if (collection === 'ecgStudies') target = await ecgCenterId(tx);
  if (collection === 'ecgReports') {
    const { rows } = await tx.query<{ owner: string }>("select owner_institution_id as owner from records where collection = 'ecgStudies' and id = $1", [doc.studyId]);
    target = rows[0]?.owner ?? null;
  }
  return { ownerInstitutionId: doc.institutionId, targetInstitutionId: target, patientId };
}

export interface WriteBy {
  userId: string | null;
  workstationId: string | null;
}

export async function writeRecord(tx: Queryable, changes: ChangeSet, collection: CollectionName, next: Doc, by: WriteBy): Promise<number> {
  const { _deleted, ...doc } = next;
  const scope = await scopeOf(tx, collection, next);
  const { rows } = await tx.query<{ seq: string }>(
    `insert into records (collection, id, doc, deleted, owner_institution_id, target_institution_id, patient_id, seq, updated_by_user, updated_by_workstation)
     values ($1, $2, $3, $4, $5, $6, $7, nextval('hub_change_seq'), $8, $9)
     on conflict (collection, id) do update set doc = excluded.doc, deleted = excluded.deleted,
       owner_institution_id = excluded.owner_institution_id, target_institution_id = excluded.target_institution_id,
       patient_id = excluded.patient_id, seq = excluded.seq, updated_at = now(),
       updated_by_user = excluded.updated_by_user, updated_by_workstation = excluded.updated_by_workstation
     returning seq`,
    [collection, next.id, doc, _deleted === true, scope.ownerInstitutionId, scope.targetInstitutionId, scope.patientId, by.userId, by.workstationId],
  );
  const seq = Number(rows[0]!.seq);
  changes.note(collection, seq, scope.patientId, scope.ownerInstitutionId, scope.targetInstitutionId);
  // Remote-diagnosis turnaround: received / opened / signed on the hub's clock (turnaround/record.ts).
  await recordTurnaround(tx, collection, next, scope.targetInstitutionId, by.userId);
  return seq;
}

/** How a treating (or reading) relationship began; recorded with the link and audited. */
export type LinkBegan = 'registered' | 'card-read' | 'hand-typed' | 'record-written' | 'break-the-glass' | 'ecg-reading';

/** Who made a link, for the audit trail (null for the hub's own writes). */
export type LinkBy = { institutionId: string; userId: string | null; workstationId: string | null } | null;

/**
 * Links an institution to a patient. A new (or widened) link gives the institution the patient's
 * earlier records, which lie behind its checkpoint: those records are re-stamped with fresh
 * sequence numbers so its next pull brings them. Others re-pull identical documents, which is
 * harmless; links are rare (a patient's first visit at a clinic, a study's first trip to the centre).
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
  const { rows } = await tx.query<{ kind: string }>('select kind from patient_links where patient_id = $1 and institution_id = $2', [patientId, institutionId]);
  const existing = rows[0]?.kind;
  if (existing === 'treating' || existing === kind) return;
  await tx.query(
    `insert into patient_links (patient_id, institution_id, linked_seq, kind, began, began_by_user, reason) values ($1, $2, nextval('hub_change_seq'), $3, $4, $5, $6)
     on conflict (patient_id, institution_id) do update set kind = excluded.kind, linked_seq = excluded.linked_seq, began = excluded.began,
       began_at = now(), began_by_user = excluded.began_by_user, reason = excluded.reason`,
    [patientId, institutionId, kind, began, by?.userId ?? null, reason],
  );
  const home = await tx.query<{ owner: string | null }>("select owner_institution_id as owner from records where collection = 'patients' and id = $1", [patientId]);
  const homeInstitution = home.rows[0]?.owner ?? null;
  if (homeInstitution && homeInstitution !== institutionId) {
    await appendAudit(tx, by ?? { institutionId, userId: null, workstationId: null }, [
      { action: 'first_access', collection: 'patients', recordId: patientId, patientId, detail: { institutionId, kind, began, homeInstitution, ...(reason ? { reason } : {}) } },
    ]);
  }
  // Only records the institution did not already see (by ownership or address) need a new number:
  // a clinic registering its own new patient re-stamps nothing.
  const { rows: restamped } = await tx.query<{ collection: string; seq: string }>(
    `update records set seq = nextval('hub_change_seq')
      where patient_id = $1 and owner_institution_id is distinct from $2 and target_institution_id is distinct from $2
      returning collection, seq`,
    [patientId, institutionId],
  );
  for (const r of restamped) changes.note(r.collection, Number(r.seq), patientId);
  changes.institutions.add(institutionId);
}

export async function restampPatient(tx: Queryable, changes: ChangeSet, patientId: string): Promise<void> {
  const { rows } = await tx.query<{ collection: string; seq: string }>(
    `update records set seq = nextval('hub_change_seq') where patient_id = $1 returning collection, seq`,
    [patientId],
  );
  for (const r of rows) changes.note(r.collection, Number(r.seq), patientId);
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
  await tx.query('insert into patient_aliases (alias_id, master_patient_id) values ($1, $2) on conflict (alias_id) do nothing', [patient.id, masterId]);
  await tx.query('update records set patient_id = $2 where patient_id = $1', [patient.id, masterId]);
  await settleMasterPatient(tx, changes, masterId);
  await linkPatient(tx, changes, masterId, registeringInstitution, 'treating', registration, by);
  // Records of both registrations are now one history: every institution seeing it re-pulls it.
  await restampPatient(tx, changes, masterId);
  return 'merged';
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
