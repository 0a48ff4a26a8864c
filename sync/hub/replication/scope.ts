/**
 * Tenancy (数据隔离): what an institution may see.
 *
 * A record is visible to institution I when
 *   - I owns it (wrote it: `institutionId`), or
 *   - it is addressed to I (an ECG study sent to the centre; a report on I's study), or
 *   - it is about a patient I is linked to: 'treating' links (I registered or treats the patient)
 *     see every collection, 'ecg-reading' links (the centre a study went to) see the patient and
 *     the ECG collections only.
 * Nothing else: no clinic pulls another clinic's patients unless it treats them.
 * An unsigned ECG report (a cardiologist's draft, signedAt null) is the centre's own working copy: only
 * its owner sees it; the clinic and the patient's other institutions get the report once it is signed
 * (signing writes the record again with a new sequence number, so it reaches them by ordinary pull).
 */
import type { Queryable } from '../db/database.ts';
import type { Caller } from '../auth/authenticate.ts';
import type { Writer } from '../../protocol/conflicts.ts';

export const ECG_READING_COLLECTIONS = ['patients', 'ecgStudies', 'ecgReports'];

/** SQL predicate on `records r`; `$inst` is the parameter number holding the institution id. */
export const visibleSql = (inst: number) => `((
  r.owner_institution_id = $${inst}
  or r.target_institution_id = $${inst}
  or exists (
    select 1 from patient_links l
     where l.patient_id = r.patient_id and l.institution_id = $${inst}
       and (l.kind = 'treating' or r.collection in ('patients', 'ecgStudies', 'ecgReports'))
  )
) and (
  r.collection <> 'ecgReports' or r.owner_institution_id = $${inst} or coalesce(r.doc->>'signedAt', '') <> ''
))`;

export const writerOf = (caller: Caller): Writer => ({
  institutionId: caller.institutionId,
  role: caller.institutionKind === 'ecg_center' ? 'ecg-center' : 'clinic',
});

/** The master patient id for `patientId` (itself unless merged into another). */
export async function masterPatientOf(db: Queryable, patientId: string): Promise<string> {
  const { rows } = await db.query<{ master_patient_id: string }>('select master_patient_id from patient_aliases where alias_id = $1', [patientId]);
  return rows[0]?.master_patient_id ?? patientId;
}

/** Master patient ids for many patient ids (each maps to itself unless merged into another). */
export async function masterPatientsOf(db: Queryable, patientIds: string[]): Promise<Map<string, string>> {
  const ids = [...new Set(patientIds)];
  const masters = new Map(ids.map((id) => [id, id]));
  if (ids.length === 0) return masters;
  const { rows } = await db.query<{ alias_id: string; master_patient_id: string }>('select alias_id, master_patient_id from patient_aliases where alias_id = any($1)', [ids]);
  for (const r of rows) masters.set(r.alias_id, r.master_patient_id);
  return masters;
}

/** The (master) patients among `masterPatientIds` that the institution sees; patients unknown to the hub count as seen. */
export async function visiblePatients(db: Queryable, masterPatientIds: string[], institutionId: string): Promise<Set<string>> {
  const ids = [...new Set(masterPatientIds)];
  if (ids.length === 0) return new Set();
  const { rows } = await db.query<{ id: string }>(
    `select p.id from unnest($1::text[]) as p(id)
      where not exists (select 1 from records where collection = 'patients' and patient_id = p.id)
         or exists (select 1 from records where collection = 'patients' and patient_id = p.id and owner_institution_id = $2)
         or exists (select 1 from patient_links where patient_id = p.id and institution_id = $2)`,
    [ids, institutionId],
  );
  return new Set(rows.map((r) => r.id));
}

/** Is the (master) patient visible to the institution? A patient unknown to the hub counts as visible: nothing to leak. */
export async function patientVisible(db: Queryable, masterPatientId: string, institutionId: string): Promise<boolean> {
  const { rows } = await db.query<{ known: boolean; visible: boolean }>(
    `select exists (select 1 from records where collection = 'patients' and patient_id = $1) as known,
            exists (select 1 from records where collection = 'patients' and patient_id = $1 and owner_institution_id = $2)
            or exists (select 1 from patient_links where patient_id = $1 and institution_id = $2) as visible`,
    [masterPatientId, institutionId],
  );
  const row = rows[0]!;
  return !row.known || row.visible;
}
