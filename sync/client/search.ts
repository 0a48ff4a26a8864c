/**
 * Patient look-ups the registration screen needs, each answered from an index (definitions.ts):
 * exact ID number, and prefixes of name, pinyin initials (zs → 张三), full pinyin and phone.
 * A prefix is an index range [p, p + U+FFFF), never a regex, so it does not scan the collection.
 */
import type { MangoQuerySelector } from 'rxdb';
import { normaliseDocumentNumber } from '../../core/identity/index.ts';
import type { Patient, Visit } from '../../core/records/index.ts';
import type { LocalDatabase } from './database.ts';

export const DEFAULT_SEARCH_LIMIT = 20;
type PrefixField = 'name' | 'pinyinInitials' | 'pinyinFull' | 'phone';

/**
 * Two clinics may have registered the same person (sync/protocol/master-patient.ts): when both the
 * master and a record merged into it are found, show the master only.
 */
const withoutMergedDuplicates = (patients: Patient[]): Patient[] => {
  const ids = new Set(patients.map((p) => p.id));
  return patients.filter((p) => p.mergedInto === null || !ids.has(p.mergedInto));
};

const run = async (db: LocalDatabase, selector: MangoQuerySelector<Patient>, sortField: keyof Patient, limit: number): Promise<Patient[]> => {
  const docs = await db.patients.find({ selector, sort: [{ [sortField]: 'asc' } as never], limit }).exec();
  return withoutMergedDuplicates(docs.map((d) => d.toMutableJSON(false) as Patient));
};

const byPrefix = (field: PrefixField, normalise: (s: string) => string) => (db: LocalDatabase, prefix: string, limit = DEFAULT_SEARCH_LIMIT) => {
  const p = normalise(prefix);
  if (p === '') return Promise.resolve([]);
  return run(db, { [field]: { $gte: p, $lt: `${p}\uffff` } } as MangoQuerySelector<Patient>, field, limit);
};

/** Exact match on the document number (case of a trailing x ignored). */
export const findPatientsByIdNumber = (db: LocalDatabase, idNumber: string): Promise<Patient[]> => {
  const n = normaliseDocumentNumber(idNumber);
  return n === '' ? Promise.resolve([]) : run(db, { idNumber: n }, 'idNumber', DEFAULT_SEARCH_LIMIT);
};

const lowerLetters = (s: string) => s.trim().toLowerCase().replace(/[^a-z0-9]/g, '');
export const searchPatientsByName = byPrefix('name', (s) => s.trim());
export const searchPatientsByPinyinInitials = byPrefix('pinyinInitials', lowerLetters);
export const searchPatientsByPinyin = byPrefix('pinyinFull', lowerLetters);
export const searchPatientsByPhone = byPrefix('phone', (s) => s.replace(/[^0-9+]/g, ''));

/**
 * What the nurse types into the one search box: an ID number (15+ characters of digits, X),
 * a phone number (digits), letters (pinyin initials first, then full pinyin), or Chinese (name).
 */
export async function searchPatients(db: LocalDatabase, text: string, limit = DEFAULT_SEARCH_LIMIT): Promise<Patient[]> {
  const q = text.trim();
  if (q === '') return [];
  if (/^\d{15,17}[\dXx]$/.test(q)) return findPatientsByIdNumber(db, q);
  if (/^[\d+-]+$/.test(q)) return searchPatientsByPhone(db, q, limit);
  if (/^[A-Za-z\s]+$/.test(q)) {
    const initials = await searchPatientsByPinyinInitials(db, q, limit);
    if (initials.length >= limit) return initials;
    const seen = new Set(initials.map((p) => p.id));
    const full = (await searchPatientsByPinyin(db, q, limit)).filter((p) => !seen.has(p.id));
    return [...initials, ...full].slice(0, limit);
  }
  return searchPatientsByName(db, q, limit);
}

/** The day's queue (排队): visits of one date with the given statuses, in queue-number order. */
export async function listQueue(db: LocalDatabase, visitDate: string, statuses: readonly Visit['status'][] = ['waiting', 'in-consultation']): Promise<Visit[]> {
  const docs = await db.visits
    .find({ selector: { visitDate, status: { $in: [...statuses] } }, sort: [{ visitDate: 'asc' }, { status: 'asc' }, { queueNumber: 'asc' }] })
    .exec();
  return docs.map((d) => d.toMutableJSON(false) as Visit).sort((a, b) => a.queueNumber - b.queueNumber);
}

/** The next free queue number of a day at this workstation's copy (1 for the first patient). */
export async function nextQueueNumber(db: LocalDatabase, visitDate: string): Promise<number> {
  const last = await db.visits.findOne({ selector: { visitDate }, sort: [{ queueNumber: 'desc' }] }).exec();
  return (last?.queueNumber ?? 0) + 1;
}
