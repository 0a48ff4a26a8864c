/**
 * Master-patient index (患者主索引). Two clinics can register the same person while offline, each
 * creating its own patient record. When the hub accepts a patient write whose identity key another
 * live patient already holds, it merges them with its own writes (role 'hub', each with a new seq),
 * which then replicate to every clinic. planMasterPatientMerge is the reference decision (the hub
 * keeps the same rule in an index table, sync/hub/replication/store.ts):
 * - the master is the record the hub received first (lowest seq) — hub order, not clinic clocks;
 * - every other record gets `mergedInto: master.id` and keeps its own data (its visits still point
 *   at it; the UI follows mergedInto to show one patient);
 * - fields empty on the master ('' phone, address, insurance card, nation) are filled from the
 *   duplicates, the later-received duplicate first.
 * Records without a document (documentType 'none') are never merged automatically.
 */
import type { Patient } from '../../core/records/index.ts';
import type { WireDocument } from './wire.ts';

export type WirePatient = WireDocument<'patients'>;

/** The key duplicates share: document type and number. null when there is no document. */
export const patientIdentityKey = (p: Pick<Patient, 'documentType' | 'idNumber'>): string | null =>
  p.documentType === 'none' || p.idNumber === '' ? null : `${p.documentType}:${p.idNumber}`;

/** Fields a duplicate registration may fill on the master when the master's is empty (''). */
export const FILLABLE_PATIENT_FIELDS = ['phone', 'address', 'insuranceCardNumber', 'nationCode'] as const;

/**
 * @param sameIdentityInHubOrder every stored, non-deleted patient with one identity key, in
 *   ascending hub seq (the first is the master).
 * @returns the records to write (only those that change), master first.
 */
export const planMasterPatientMerge = (sameIdentityInHubOrder: readonly WirePatient[], now: string): WirePatient[] => {
  const live = sameIdentityInHubOrder.filter((p) => !p._deleted);
  const [master, ...duplicates] = live;
  if (!master || duplicates.length === 0) return [];
  const key = patientIdentityKey(master);
  if (key === null || duplicates.some((d) => patientIdentityKey(d) !== key)) {
    throw new RangeError('planMasterPatientMerge needs patients that share one identity key');
  }

  const filled: WirePatient = { ...master };
  for (const field of FILLABLE_PATIENT_FIELDS) {
    if (filled[field] !== '') continue;
    const donor = [...duplicates].reverse().find((d) => d[field] !== '');
    if (donor) filled[field] = donor[field];
  }
  const masterChanged = FILLABLE_PATIENT_FIELDS.some((f) => filled[f] !== master[f]) || master.mergedInto !== null;
  const writes: WirePatient[] = masterChanged ? [{ ...filled, mergedInto: null, updatedAt: now }] : [];
  for (const d of duplicates) if (d.mergedInto !== master.id) writes.push({ ...d, mergedInto: master.id, updatedAt: now });
  return writes;
};
