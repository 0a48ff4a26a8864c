/**
 * The part of the registration benchmark that runs inside Chromium, bundled by
 * ../registration.bench.ts and served from the workstation UI's own origin, so it writes to (and
 * reads from) the very IndexedDB database the app opens: the clinic's protected records
 * `clinic-<institution>-protected` (sensitive fields sealed under the workstation's data key), opened
 * as a sign-in opens them — the key released from the boot database `clinic-<institution>` with the
 * demo nurse's password, created there on a fresh profile. `seed` fills it with generated patients and
 * visits in bulk; `measure` times look-ups through the same functions the registration screen uses.
 * Seeding the clear boot database instead (as before local-data encryption) made the first sign-in
 * move every generated record, which took longer than the bench waits.
 */
import { isoDate } from '../../../core/identity/index.ts';
import { makePatient, makeVisit } from '../../../core/records/builders.ts';
import { validateRecord, type Patient, type Visit } from '../../../core/records/index.ts';
import { browserStorage, createLocalDatabase, type LocalDatabase } from '../../../sync/client/database.ts';
import { openProtectedDatabase, protectedDatabaseName } from '../../../sync/client/protected-database.ts';
import { findPatientsByIdNumber, searchPatients } from '../../../sync/client/search.ts';

export interface SeedPlan {
  dbName: string;
  institutionId: string;
  patients: number;
  visits: number;
  /** Patients the card reads will find (the demo agent's sample cards), written before the rest. */
  knownPatients: Patient[];
  /** Whose password releases the data key (the user the bench signs in as). */
  user: BenchUser;
}

export interface BenchUser {
  username: string;
  password: string;
}

/** The protected records, opened the way a sign-in opens them (services/records/protected-records.ts). */
async function open(bootName: string, institutionId: string, user: BenchUser): Promise<LocalDatabase> {
  const writer = { institutionId, role: 'clinic' } as const;
  const boot = await createLocalDatabase({ name: bootName, storage: browserStorage(), writer });
  try {
    const db = await openProtectedDatabase({ boot, name: protectedDatabaseName(institutionId), storage: browserStorage(), writer, ...user, verifiedByHub: false });
    return db;
  } finally {
    await boot.close();
  }
}

const DIAGNOSES = [
  { code: 'I10', name: '原发性高血压' },
  { code: 'J06.9', name: '急性上呼吸道感染' },
  { code: 'E11.9', name: '2型糖尿病' },
  { code: 'K29.7', name: '胃炎' },
] as const;

/** Every 100th generated record goes through the shared zod validation, to prove the shape. */
const checked = <T>(collection: 'patients' | 'visits', record: T, i: number): T => {
  if (i % 100 !== 0) return record;
  const outcome = validateRecord(collection, record);
  if (!outcome.ok) throw new Error(`generated ${collection} record refused: ${outcome.error.message}`);
  return record;
};

async function insertAll<T>(what: string, total: number, batch: number, make: (i: number) => T, insert: (docs: T[]) => Promise<{ error: unknown[] }>) {
  const started = performance.now();
  for (let done = 0; done < total; done += batch) {
    const docs: T[] = [];
    for (let i = done; i < Math.min(total, done + batch); i++) docs.push(make(i));
    const result = await insert(docs);
    if (result.error.length > 0) throw new Error(`${result.error.length} ${what} refused by the database`);
    if ((done / batch) % 20 === 0) console.log(`  ${what}: ${done + docs.length} / ${total} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  return (performance.now() - started) / 1000;
}

/**
 * Patients, then visits spread over the days before today (a township clinic's ~10 years of
 * outpatient days at 200–300 a day), each visit closed with a diagnosis, queue numbers per day.
 */
async function seed(plan: SeedPlan): Promise<{ patientsSeconds: number; visitsSeconds: number }> {
  const db = await open(plan.dbName, plan.institutionId, plan.user);
  try {
    const ids: string[] = plan.knownPatients.map((p) => p.id);
    await db.patients.bulkInsert(plan.knownPatients.map((p, i) => checked('patients', p, i)));
    const generated = plan.patients - plan.knownPatients.length;
    const patientsSeconds = await insertAll('patients', generated, 5000, (i) => {
      const p = checked('patients', makePatient({ institutionId: plan.institutionId }), i);
      ids.push(p.id);
      return p;
    }, (docs) => db.patients.bulkInsert(docs));

    const days = 3650;
    const perDay = Math.ceil(plan.visits / days);
    const today = Date.parse(`${isoDate(new Date())}T00:00:00Z`);
    const visitsSeconds = await insertAll('visits', plan.visits, 10_000, (i) => {
      const daysBack = days - Math.floor(i / perDay);
      const visitDate = new Date(today - daysBack * 86_400_000).toISOString().slice(0, 10);
      const at = `${visitDate}T08:30:00.000Z`;
      const visit: Visit = makeVisit({
        institutionId: plan.institutionId,
        patientId: ids[(i * 7_919) % ids.length]!,
        visitDate,
        queueNumber: (i % perDay) + 1,
        status: 'closed',
        registeredAt: at,
        closedAt: at,
        updatedAt: at,
        complaint: '头晕、乏力',
        diagnoses: [DIAGNOSES[i % DIAGNOSES.length]!],
        doctorId: `${plan.institutionId}-doctor`,
      });
      return checked('visits', visit, i);
    }, (docs) => db.visits.bulkInsert(docs));
    return { patientsSeconds, visitsSeconds };
  } finally {
    await db.close();
  }
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

/**
 * Look-ups of patients sampled across the whole database. Distinct queries only: RxDB answers a
 * repeated query from its cache, which would flatter the figures.
 */
async function measure(dbName: string, institutionId: string, rounds: number, knownPatients: number, user: BenchUser) {
  const db: LocalDatabase = await open(dbName, institutionId, user);
  try {
    const total = await db.patients.count().exec();
    const sample: Patient[] = [];
    // Generated patient n has phone 139 + n in 8 digits (makePatient): pick them evenly over all n.
    const generated = total - knownPatients;
    for (let k = 0; k < rounds * 3; k++) {
      const n = 1 + Math.floor((k * generated) / (rounds * 3));
      const doc = await db.patients.findOne({ selector: { phone: `139${String(n).padStart(8, '0')}` } }).exec();
      if (doc) sample.push(doc.toMutableJSON(false) as Patient);
    }
    if (sample.length < rounds) throw new Error(`only ${sample.length} sample patients found: is the database seeded?`);
    const distinct = (key: (p: Patient) => string) => [...new Set(sample.map(key))].slice(0, rounds);
    return {
      total,
      results: {
        idNumber: await time(distinct((p) => p.idNumber), (q) => findPatientsByIdNumber(db, q)),
        phonePrefix: await time(distinct((p) => p.phone.slice(0, 9)), (q) => searchPatients(db, q, 20)),
        namePrefix: await time(distinct((p) => p.name.slice(0, 2)), (q) => searchPatients(db, q, 20)),
        pinyinInitials: await time(distinct((p) => p.pinyinInitials.slice(0, 3)), (q) => searchPatients(db, q, 20)),
        fullPinyin: await time(distinct((p) => p.pinyinFull.slice(0, 7)), (q) => searchPatients(db, q, 20)),
      },
    };
  } finally {
    await db.close();
  }
}

(globalThis as unknown as { registrationBench: unknown }).registrationBench = { seed, measure };
