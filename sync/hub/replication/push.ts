/**
 * Storing one push (POST /sync/:collection/push) in its write transaction, as sync/protocol/wire.ts
 * declares it: per row, in order — visibility, idempotency, conflict, the conflict rules, the role
 * rules, the patient's visibility — then every accepted row stored at once, then the patient
 * links, held results and master-patient index for the rows that need them.
 *
 * Set-based on purpose: what the rows need from the database is fetched once for the whole push
 * (masters, visibility, master patients, links), so a push of 200 registrations is about a dozen
 * statements, not 1,400 one after another. The rare paths (a merge into another clinic's patient, a
 * refused identity change) still go row by row.
 */
import type { Queryable } from '../db/database.ts';
import type { Caller } from '../auth/authenticate.ts';
import { appendAudit, auditInsert, type AuditEntry } from '../audit.ts';
import { HubError } from '../errors.ts';
import { checkWrite, type Writer } from '../../protocol/conflicts.ts';
import { sameDocumentState } from '../../protocol/documents.ts';
import type { RegistrationMethod } from '../../protocol/wire.ts';
import type { CollectionName } from '../../../core/records/index.ts';
import { visiblePatients, visibleSql, writerOf, masterPatientOf } from './scope.ts';
import { guardRoles } from './write-guard.ts';
import { recordIdentityDiscrepancy } from './identity.ts';
import { fileTakenResults, takeHeldResults, type TakenResult } from '../recognition/held-results.ts';
import type { ChangeSet, MasterClaim } from './store.ts';
import {
  claimMasterIndex,
  ecgCenterId,
  indexPatient,
  institutionsSeeing,
  linkPatients,
  loadRecords,
  heldPatientLocks,
  lockPatients,
  patientLocksSql,
  settleMasterPatient,
  writeRecords,
  toWire,
  type Doc,
  type LinkBegan,
  type StoredRecord,
} from './store.ts';

export interface PushRow {
  newDocumentState: Doc;
  assumedMasterState?: Doc | null;
  registration?: RegistrationMethod;
}

/** Stores the rows it may and answers the conflicts; throws 403 (nothing stored) for a forbidden row. */
export async function storePush(tx: Queryable, changes: ChangeSet, collection: CollectionName, rows: PushRow[], caller: Caller): Promise<Doc[]> {
  const writer = writerOf(caller);
  const rawPatientOf = (doc: Doc) => (collection === 'patients' ? doc.id : ((doc.patientId as string | undefined) ?? null));
  // A clinic links itself to the patients it writes about (linkWrittenPatients), so it takes their locks
  // exclusive (lockPatients 'relink') in this first statement, after the rows' own locks — every push in
  // that order — instead of shared for the write and exclusive again for the link: two round trips fewer,
  // and two clinics writing about one patient queue instead of deadlocking. Rows refused below leave a
  // lock held until the end of the push, which is harmless.
  const { masters, masterOf } = await loadMasters(
    tx,
    collection,
    [...new Set(rows.map((r) => r.newDocumentState.id))],
    rows.map((r) => rawPatientOf(r.newDocumentState)).filter((p): p is string => !!p),
    writer.role === 'clinic' ? rows.filter((r) => !r.newDocumentState._deleted).map((r) => rawPatientOf(r.newDocumentState)).filter((p): p is string => !!p) : [],
  );
  const visible = await visibleRecords(tx, collection, [...masters.keys()], caller.institutionId);
  const patientsSeen = collection === 'patients' ? null : await visiblePatients(tx, [...new Set(masterOf.values())], caller.institutionId);

  const conflicts: Doc[] = [];
  const audit: AuditEntry[] = [];
  /** The rows to store, by id: a document twice in one push is stored in its last state. */
  const accepted = new Map<string, { next: Doc; patientId: string | null; registration: RegistrationMethod }>();
  for (const row of rows) {
    const next = row.newDocumentState;
    const stored = masters.get(next.id);
    const master = stored?.doc;
    // A record the caller cannot see is not answered as a conflict: that would hand it over.
    if (stored && !accepted.has(next.id) && !visible.has(next.id)) {
      throw HubError.because('forbidden', 'record-of-other-institution', {}, { documentIds: [next.id] });
    }
    // Idempotent: a repeated push (lost answer, retried request) finds its own state as master.
    if (master && sameDocumentState(master, next)) continue;
    // A stale assumption is answered with the master; with no master there is nothing to conflict
    // with (a hub restored from an older backup): the write goes ahead as a creation.
    if (master && !sameDocumentState(master, row.assumedMasterState ?? undefined)) {
      conflicts.push(master);
      continue;
    }
    const check = checkWrite(collection, master as never, next as never, writer);
    if (!check.ok) {
      if (master) {
        // A differing identity from outside the home institution waits for the patient-index administrator.
        if (collection === 'patients' && master.institutionId !== caller.institutionId) await recordIdentityDiscrepancy(tx, master, next, 'edit', caller);
        conflicts.push(master);
        audit.push({ action: 'refused', collection, recordId: next.id, patientId: stored?.patientId ?? null, detail: { reason: check.reason } });
        continue;
      }
      throw HubError.because('forbidden', 'write-not-allowed', { reason: check.reason }, { documentIds: [next.id] });
    }
    // Who may write which fields (sync/protocol/role-rules.ts): a 403 naming the rule, nothing stored.
    await guardRoles(tx, collection, master, next, caller);
    // A record about a patient the caller does not see would attach it to that patient's history.
    const rawPatient = rawPatientOf(next);
    const patientId = rawPatient ? (masterOf.get(rawPatient) ?? rawPatient) : null;
    if (patientId && patientsSeen && !patientsSeen.has(patientId)) {
      throw HubError.because('forbidden', 'patient-of-other-institution', {}, { documentIds: [next.id] });
    }
    accepted.set(next.id, { next, patientId, registration: row.registration ?? 'hand-typed' });
    audit.push({ action: next._deleted ? 'delete' : master ? 'update' : 'create', collection, recordId: next.id, patientId });
    // Later rows of this push see this one as the master.
    masters.set(next.id, { doc: next, ownerInstitutionId: next.institutionId, patientId });
  }

  const written = [...accepted.values()];
  const docs = written.map((w) => w.next);
  // Taken by loadMasters already (no statement), unless a row's patient was merged by the master-patient
  // index meanwhile — its master's lock is then taken here.
  if (writer.role === 'clinic') await lockPatients(tx, written.filter((w) => !w.next._deleted).map((w) => w.patientId), 'relink');
  await writeRecords(tx, changes, collection, docs, caller);
  await linkWrittenPatients(tx, changes, collection, written, caller, writer.role);

  const patients = collection === 'patients' ? docs : [];
  const closing = await closePush(tx, caller, oneEntryPerAction(audit), patients, [...changes.patients]);
  for (const i of closing.seeing) changes.institutions.add(i);
  // The rare paths, after the closing statement: results held for these patients, and registrations
  // of a document already on file elsewhere (a merge). What they write is audited, and who sees the
  // patients asked again, in statements of their own.
  const patientsBefore = changes.patients.size;
  const rareAudit: AuditEntry[] = [];
  await fileTakenResults(tx, changes, patients, closing.taken);
  for (const { next, registration } of collection === 'patients' ? written : []) {
    // The usual new registration is its own master: nothing to merge.
    if (closing.masters.get(next.id) === next.id) continue;
    const merge = await mergePatient(tx, changes, next, caller, registration);
    const rewritten = changes.mergeWrites.splice(0);
    const filledFields = rewritten.flatMap((w) => w.filledFields);
    if (merge) rareAudit.push({ action: 'merge', collection, recordId: merge.aliasId, patientId: merge.masterId, detail: { alias: merge.aliasId, filledFields } });
  }
  if (closing.taken.length > 0 || rareAudit.length > 0 || changes.patients.size > patientsBefore) {
    await appendAudit(tx, caller, rareAudit);
    for (const i of await institutionsSeeing(tx, [...changes.patients])) changes.institutions.add(i);
  }
  return conflicts;
}

/**
 * The audit trail of a push: one entry per action it took (created, updated, deleted), naming every
 * record (detail.recordIds) and patient (patientIds) — the way a pull is audited — instead of one row
 * per record. Who did what to which patient, when and from where stays searchable (the patient access
 * report and /admin/audit look in patientIds); what no longer happens is writing, for a push of 200
 * registrations, 200 audit rows with six index entries each: more index work than the records
 * themselves. A push of one record keeps its plain entry; refusals keep theirs, each with its reason.
 */
function oneEntryPerAction(entries: AuditEntry[]): AuditEntry[] {
  const writes = new Map<AuditEntry['action'], AuditEntry[]>();
  const rest: AuditEntry[] = [];
  for (const e of entries) {
    if ((e.action === 'create' || e.action === 'update' || e.action === 'delete') && !e.detail) {
      const group = writes.get(e.action) ?? [];
      writes.set(e.action, group);
      group.push(e);
    } else rest.push(e);
  }
  const grouped = [...writes.entries()].map(([action, group]): AuditEntry => {
    if (group.length === 1) return group[0]!;
    const patientIds = [...new Set(group.map((e) => e.patientId).filter((p): p is string => !!p))];
    return { action, collection: group[0]!.collection ?? null, patientIds, detail: { count: group.length, recordIds: group.map((e) => e.recordId) } };
  });
  return [...grouped, ...rest];
}

/**
 * A push's last statement: its audit entries written, the results held for its patients taken off hold,
 * their master-patient index claimed, and the institutions that see its patients read (for the live
 * stream). Usually all there is left to do, so it is one round trip, not four.
 */
async function closePush(
  tx: Queryable,
  caller: Caller,
  audit: AuditEntry[],
  patients: Doc[],
  patientIds: string[],
): Promise<{ seeing: string[]; taken: TakenResult[]; masters: Map<string, string> }> {
  const values: unknown[] = [patientIds];
  const parts: string[] = [];
  const fold = <T extends { sql: string; values: unknown[] }>(name: string, build: (firstParam: number) => T | null): T | null => {
    const part = build(values.length + 1);
    if (part) {
      parts.push(`${name} as (${part.sql})`);
      values.push(...part.values);
    }
    return part;
  };
  const taking = fold('taken', (first) => takeHeldResults(patients, first));
  const claim = fold('claimed', (first) => claimMasterIndex(patients, first));
  fold('audited', (first) => (audit.length > 0 ? auditInsert(caller, audit, first) : null));
  const { rows } = await tx.query<{ seeing: string[]; taken: TakenResult[] | null; claimed: MasterClaim[] | null }>(
    `${parts.length > 0 ? `with ${parts.join(', ')} ` : ''}
     select array(select distinct institution_id from patient_links where patient_id = any($1)) as seeing,
            ${taking ? "(select coalesce(jsonb_agg(t), '[]') from taken t)" : 'null'} as taken,
            ${claim ? "(select coalesce(jsonb_agg(c), '[]') from claimed c)" : 'null'} as claimed`,
    values,
  );
  const row = rows[0]!;
  return { seeing: row.seeing, taken: row.taken ?? [], masters: claim ? claim.mastersOf(row.claimed ?? []) : new Map() };
}

/** A clinic writing about a patient treats them; a study sent to the centre links the centre for reading. */
async function linkWrittenPatients(
  tx: Queryable,
  changes: ChangeSet,
  collection: CollectionName,
  written: { next: Doc; patientId: string | null }[],
  caller: Caller,
  role: Writer['role'],
): Promise<void> {
  const live = written.filter((w): w is { next: Doc; patientId: string } => !!w.patientId && !w.next._deleted);
  if (live.length === 0) return;
  if (role === 'clinic') {
    const began: LinkBegan = collection === 'patients' ? 'registered' : 'record-written';
    await linkPatients(tx, changes, live.map((w) => ({ patientId: w.patientId, began })), caller.institutionId, 'treating', caller);
  }
  const center = collection === 'ecgStudies' ? await ecgCenterId(tx) : null;
  if (center) await linkPatients(tx, changes, live.map((w) => ({ patientId: w.patientId, began: 'ecg-reading' as const })), center, 'ecg-reading', caller);
}

/**
 * The stored records of `ids`, locked (loadRecords), the master patient of each of `patientIds`
 * (masterPatientsOf), and the patient locks of `lockPatientIds`' masters taken exclusive (lockPatients
 * 'relink'): one statement, the aliases read in the same snapshot. The rows are locked first, all of
 * them (the lock's condition reads them to the end), then the patients: the order every push keeps.
 */
async function loadMasters(
  tx: Queryable,
  collection: string,
  ids: string[],
  patientIds: string[],
  lockPatientIds: string[],
): Promise<{ masters: Map<string, StoredRecord>; masterOf: Map<string, string> }> {
  const { rows } = await tx.query<{ aliases: Record<string, string>; locked: string; id: string | null; doc: Doc; deleted: boolean; owner_institution_id: string | null; patient_id: string | null }>(
    // The records in id order, so two pushes touching the same records lock them in the same order (no deadlock).
    `with a as (select coalesce(jsonb_object_agg(alias_id, master_patient_id), '{}'::jsonb) as aliases from patient_aliases where alias_id = any($3)),
          r as materialized (select id, doc, deleted, owner_institution_id, patient_id from records where collection = $1 and id = any($2) order by id for update),
          l as (select ${patientLocksSql('(select coalesce(a.aliases->>q, q) as p from a, unnest($4::text[]) as q)', 'relink')} as locked where (select count(*) from r) >= 0)
     select a.aliases, l.locked, r.id, r.doc, r.deleted, r.owner_institution_id, r.patient_id
       from a cross join l left join r on true`,
    [collection, ids, [...new Set([...patientIds, ...lockPatientIds])], [...new Set(lockPatientIds)]],
  );
  const masters = new Map<string, StoredRecord>();
  for (const r of rows) if (r.id !== null) masters.set(r.id, { doc: toWire(r), ownerInstitutionId: r.owner_institution_id, patientId: r.patient_id });
  const aliases = rows[0]?.aliases ?? {};
  const masterOf = (p: string) => aliases[p] ?? p;
  heldPatientLocks(tx, lockPatientIds.map(masterOf), 'relink');
  return { masters, masterOf: new Map(patientIds.map((p) => [p, masterOf(p)])) };
}

/** The ids among `ids` (existing records) the institution may see. */
async function visibleRecords(tx: Queryable, collection: string, ids: string[], institutionId: string): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { rows } = await tx.query<{ id: string }>(`select r.id from records r where r.collection = $1 and r.id = any($2) and ${visibleSql(3)}`, [collection, ids, institutionId]);
  return new Set(rows.map((r) => r.id));
}

/**
 * Master-patient index after a patient write: a new registration of a known document merges into its
 * master; an edit of an alias record refills the master's empty fields. Null when nothing merged.
 */
async function mergePatient(tx: Queryable, changes: ChangeSet, patient: Doc, caller: Caller, registration: RegistrationMethod): Promise<{ masterId: string; aliasId: string } | null> {
  if (patient.mergedInto) {
    const masterId = patient.mergedInto as string;
    const filled = (await settleMasterPatient(tx, changes, masterId)).some((w) => w.filledFields.length > 0);
    return filled ? { masterId, aliasId: patient.id } : null;
  }
  if ((await indexPatient(tx, changes, patient, caller.institutionId, registration, caller)) !== 'merged') return null;
  const masterId = await masterPatientOf(tx, patient.id);
  // The duplicate's name, sex or birth date differing from the master's: kept for the patient-index administrator.
  const master = (await loadRecords(tx, 'patients', [masterId])).get(masterId)?.doc;
  if (master && master.institutionId !== caller.institutionId) await recordIdentityDiscrepancy(tx, master, patient, 'duplicate-registration', caller, registration);
  return { masterId, aliasId: patient.id };
}
