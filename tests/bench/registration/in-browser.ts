/**
 * The part of the registration benchmark that runs inside Chromium, bundled by
 * ../registration.bench.ts: the sync client's database on real IndexedDB (Dexie), seeded with
 * generated patients, then timed look-ups through the same functions the registration screen uses.
 */
import { makePatient } from '../../../core/records/builders.ts';
import { validateRecord, type Patient } from '../../../core/records/index.ts';
import { browserStorage, createLocalDatabase, type LocalDatabase } from '../../../sync/client/database.ts';
import { findPatientsByIdNumber, searchPatients } from '../../../sync/client/search.ts';

let db: LocalDatabase | undefined;
const sample: Patient[] = [];

async function seed(count: number, batch = 2000): Promise<{ seconds: number }> {
  db = await createLocalDatabase({ name: `bench-${Date.now()}`, storage: browserStorage(), writer: { institutionId: 'th-clinic-01', role: 'clinic' } });
  const started = performance.now();
  for (let done = 0; done < count; done += batch) {
    const docs: Patient[] = [];
    for (let i = done; i < Math.min(count, done + batch); i++) {
      const outcome = validateRecord('patients', makePatient({ phone: `13${String(i).padStart(9, '0')}` }));
      if (!outcome.ok) throw outcome.error;
      docs.push(outcome.value);
    }
    // Seeding writes in bulk; what is measured below is reading.
    const result = await db.patients.bulkInsert(docs);
    if (result.error.length > 0) throw new Error(`${result.error.length} seed documents refused`);
    for (let k = 0; k < docs.length; k += 97) sample.push(docs[k]!);
  }
  return { seconds: (performance.now() - started) / 1000 };
}

async function time(queries: string[], run: (q: string) => Promise<unknown[]>): Promise<{ ms: number[]; hits: number; queries: number }> {
  const ms: number[] = [];
  let hits = 0;
  for (const q of queries) {
    const t0 = performance.now();
    hits += (await run(q)).length;
    ms.push(performance.now() - t0);
  }
  return { ms, hits, queries: queries.length };
}

async function measure(rounds: number) {
  if (!db) throw new Error('seed first');
  const d = db;
  const pick = (i: number) => sample[(i * 7919) % sample.length]!;
  // Distinct queries only: RxDB answers a repeated query from its cache, which would flatter the figures.
  const distinct = (key: (p: Patient) => string) => [...new Set(Array.from({ length: sample.length }, (_, i) => key(pick(i))))].slice(0, rounds);
  const idNumbers = distinct((p) => p.idNumber);
  const namePrefixes = distinct((p) => p.name.slice(0, 2));
  const initials = distinct((p) => p.pinyinInitials.slice(0, 3));
  const fullPinyin = distinct((p) => p.pinyinFull.slice(0, 7));
  return {
    idNumber: await time(idNumbers, (q) => findPatientsByIdNumber(d, q)),
    namePrefix: await time(namePrefixes, (q) => searchPatients(d, q, 20)),
    pinyinInitials: await time(initials, (q) => searchPatients(d, q, 20)),
    fullPinyin: await time(fullPinyin, (q) => searchPatients(d, q, 20)),
  };
}

(globalThis as unknown as { registrationBench: unknown }).registrationBench = { seed, measure };
