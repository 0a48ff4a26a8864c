/**
 * One clinic's records for the sync benches: generated patients and visits (one visit per patient),
 * and their bulk load straight into a hub's store, in the shape writeRecord
 * (sync/hub/replication/store.ts) gives rows — owner = the clinic, patient_id = the (master) patient,
 * seq from the hub's sequence, each patient the master of its ID number — so its own clinic sees them
 * by ownership. Pushing 100k records through the API would take minutes on PGlite.
 */
import { makePatient, makeVisit } from '../../../core/records/builders.ts';
import type { Patient, Visit } from '../../../core/records/index.ts';
import type { StartedHub } from '../../../sync/hub/start.ts';

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

/** Bulk insert through the hub's own database handle (SQL_SEED_CHUNK rows a statement). */
export async function seedHubRecords(hub: StartedHub, institutionId: string, { patients, visits }: ClinicRecords): Promise<void> {
  const insert = async (collection: 'patients' | 'visits', docs: (Patient | Visit)[]) => {
    for (let i = 0; i < docs.length; i += SQL_SEED_CHUNK) {
      const chunk = docs.slice(i, i + SQL_SEED_CHUNK);
      await hub.context.db.transaction(async (tx) => {
        await tx.query(
          `insert into records (collection, id, doc, deleted, owner_institution_id, patient_id, seq)
           select $1, d->>'id', d, false, $2, coalesce(d->>'patientId', d->>'id'), nextval('hub_change_seq')
             from jsonb_array_elements($3::jsonb) with ordinality as t(d, n) order by n`,
          [collection, institutionId, JSON.stringify(chunk)],
        );
        if (collection === 'patients') {
          await tx.query(
            `insert into patient_master_index (document_type, id_number, master_patient_id)
             select d->>'documentType', d->>'idNumber', d->>'id' from jsonb_array_elements($1::jsonb) as t(d) on conflict do nothing`,
            [JSON.stringify(chunk)],
          );
        }
      });
    }
  };
  await insert('patients', patients);
  await insert('visits', visits);
}
