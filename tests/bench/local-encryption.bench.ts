/**
 * What encrypting the sensitive fields at rest costs (docs/security-local-data.md): writing and reading
 * back N patients and N closed visits (complaint, vitals, diagnoses, notes — the encrypted fields) in a
 * clear and an encrypted database, the registration look-up on each, and releasing the data key at
 * sign-in (PBKDF2-SHA256, 600 000 iterations). Node with RxDB's memory storage: the figures are the
 * crypto and our code, not IndexedDB.
 *
 *   npx tsx tests/bench/local-encryption.bench.ts [N]      (default N = 5000)
 */
import { performance } from 'node:perf_hooks';
import { makeChineseName, makeClosedVisit, makePatient, TEST_INSTITUTION } from '../../core/records/builders.ts';
import { createLocalDatabase, memoryStorage } from '../../sync/client/database.ts';
import { createKeyring, newDataKey, releaseDataKey, type Keyring } from '../../sync/client/local-data-key.ts';
import { saveRecords } from '../../sync/client/records.ts';
import { findPatientsByIdNumber } from '../../sync/client/search.ts';
import { figure } from './support/figures.ts';

const N = Number(process.argv[2] ?? process.env.BENCH_RECORDS ?? 5_000);
const BATCH = 500;
const writer = { institutionId: TEST_INSTITUTION, role: 'clinic' } as const;

const patients = Array.from({ length: N }, (_, i) => makePatient({ name: makeChineseName(i * 7919), address: `城关镇第${i}号` }));
const visits = patients.map((p, i) => makeClosedVisit({ patientId: p.id, complaint: `头晕${i}天，伴恶心`, notes: '血压控制欠佳，建议调整用药并复诊' }));

console.log(`local-encryption bench: ${N} patients + ${N} closed visits, memory storage, Node ${process.version}`);
for (const mode of ['clear', 'encrypted'] as const) {
  const db = await createLocalDatabase({ name: `bench-${mode}-${Date.now()}`, storage: memoryStorage(), writer, ...(mode === 'encrypted' ? { dataKey: newDataKey() } : {}) });
  let t = performance.now();
  for (let i = 0; i < N; i += BATCH) {
    await saveRecords(db, 'patients', patients.slice(i, i + BATCH), { writer });
    await saveRecords(db, 'visits', visits.slice(i, i + BATCH), { writer });
  }
  const writeMs = performance.now() - t;
  t = performance.now();
  const read = (await db.patients.find().exec()).length + (await db.visits.find().exec()).length;
  const readMs = performance.now() - t;
  t = performance.now();
  for (let i = 0; i < 200; i++) await findPatientsByIdNumber(db, patients[(i * 104_729) % N]!.idNumber);
  const lookupMs = (performance.now() - t) / 200;
  figure({ name: `local store write (${mode})`, value: (writeMs * 1000) / (2 * N), unit: 'µs/record' });
  figure({ name: `local store ID-number look-up (${mode})`, value: lookupMs, unit: 'ms' });
  console.log(
    `${mode.padEnd(10)} write ${(writeMs / 1000).toFixed(2)} s (${((writeMs * 1000) / (2 * N)).toFixed(0)} µs/record)` +
      `  read all ${read} ${(readMs / 1000).toFixed(2)} s (${((readMs * 1000) / read).toFixed(0)} µs/record)  ID-number look-up ${lookupMs.toFixed(2)} ms`,
  );
  await db.close();
}

let stored: Keyring | undefined;
const keyring = { read: async () => stored, write: async (k: Keyring) => void (stored = k) };
await createKeyring(keyring, 'nurse', 'a-password-1');
const t = performance.now();
await releaseDataKey(keyring, 'nurse', 'a-password-1');
console.log(`release the data key at sign-in (PBKDF2-SHA256 600k + AES-GCM): ${(performance.now() - t).toFixed(0)} ms`);
process.exit(0);
