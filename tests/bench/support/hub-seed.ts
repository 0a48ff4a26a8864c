/**
 * One clinic's records for the sync benches: generated patients and visits (one visit per patient),
 * and their bulk load straight into a hub's store, in the shape writeRecord
 * (sync/hub/replication/store.ts) gives rows — owner = the clinic, patient_id = the (master) patient,
 * seq from the hub's sequence, each patient the master of its ID number — so its own clinic sees them
 * by ownership. Pushing 100k records through the API would take minutes on PGlite.
 */
import { makePatient, makeVisit } from '../../../core/records/builders.ts';
import type { Patient, Visit } from '../../../core/records/index.ts';

export interface ClinicRecords {
  patients: Patient[];
  visits: Visit[];
}

export const SQL_SEED_CHUNK = 5000;

/** `total` records of `institutionId`: half patients, half visits. */
export function generateClinicRecords(total: number, institutionId: string): ClinicRecords {
  const patientCount = Math.ceil(total / 2);
  const patients: Patient[] = Array.from({ length: patientCount }, () => makePatient({ institutionId }));
  const visits = patients.slice(0, total - patientCount).map((p) => makeVisit({ institutionId, patientId: p.id }));
  return { patients, visits };
}

/** Where the rows go: the hub's own database handle, or a pg pool on its database. */
export interface SeedTarget {
  query(sql: string, params: unknown[]): Promise<unknown>;
}

/**
 * Bulk insert, SQL_SEED_CHUNK rows a statement. `links`: each patient also linked to its clinic as
 * registered there — the rows a hub in service holds beside its records (the hub bench's history);
 * without them the clinic still sees its records by ownership.
 */
export async function seedHubRecords(db: SeedTarget, institutionId: string, { patients, visits }: ClinicRecords, { links = false } = {}): Promise<void> {
  for (const [collection, docs] of [['patients', patients], ['visits', visits]] as const) {
    for (let i = 0; i < docs.length; i += SQL_SEED_CHUNK) {
      const chunk = JSON.stringify(docs.slice(i, i + SQL_SEED_CHUNK));
      await db.query(
        `insert into records (collection, id, doc, deleted, owner_institution_id, patient_id, seq)
         select $1, d->>'id', d, false, $2, coalesce(d->>'patientId', d->>'id'), nextval('hub_change_seq')
           from jsonb_array_elements($3::jsonb) with ordinality as t(d, n) order by n`,
        [collection, institutionId, chunk],
      );
      if (collection !== 'patients') continue;
      await db.query(
        `insert into patient_master_index (document_type, id_number, master_patient_id)
         select d->>'documentType', d->>'idNumber', d->>'id' from jsonb_array_elements($1::jsonb) as t(d) on conflict do nothing`,
        [chunk],
      );
      if (!links) continue;
      await db.query(
        `insert into patient_links (patient_id, institution_id, linked_seq, kind, began)
         select d->>'id', $1, nextval('hub_change_seq'), 'treating', 'registered' from jsonb_array_elements($2::jsonb) as t(d)`,
        [institutionId, chunk],
      );
    }
  }
}
