/**
 * Local patient store: insert N patients (validated, pinyin computed, as saveRecords does) into RxDB
 * and time the registration look-ups — exact ID number, pinyin-initials prefix, full-pinyin prefix,
 * name prefix. Node with RxDB's memory storage: this measures our code and RxDB's query planning;
 * IndexedDB figures come from the Chromium run.
 *
 *   npx tsx tests/bench/records.bench.ts [N]      (default N = 20000)
 */
import { performance } from 'node:perf_hooks';
import { makeChineseName, makePatient, TEST_INSTITUTION } from '../../core/records/builders.ts';
import { pinyinKeys } from '../../core/records/index.ts';
import { createLocalDatabase, memoryStorage } from '../../sync/client/database.ts';
import { saveRecords } from '../../sync/client/records.ts';
import { findPatientsByIdNumber, searchPatientsByName, searchPatientsByPinyin, searchPatientsByPinyinInitials } from '../../sync/client/search.ts';
import { figure } from './support/figures.ts';

const N = Number(process.argv[2] ?? process.env.BENCH_PATIENTS ?? 20_000);
const LOOKUPS = 500;
const BATCH = 1_000;
const writer = { institutionId: TEST_INSTITUTION, role: 'clinic' } as const;

const stats = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return `median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms, max ${s.at(-1)!.toFixed(2)} ms`;
};

const timeEach = async (label: string, inputs: string[], run: (q: string) => Promise<unknown[]>) => {
  const ms: number[] = [];
  let hits = 0;
  for (const q of inputs) {
    const t = performance.now();
    hits += (await run(q)).length;
    ms.push(performance.now() - t);
  }
  // Repeated queries may be answered from RxDB's query cache, as they would be in the app.
  const distinct = new Set(inputs).size;
  figure({ name: `patient ${label} median`, value: [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)]!, unit: 'ms', note: `${N} patients` });
  console.log(`${label.padEnd(34)} ${stats(ms)}  (${inputs.length} look-ups, ${distinct} distinct, ${(hits / inputs.length).toFixed(1)} hits each)`);
};

const db = await createLocalDatabase({ name: `bench-${Date.now()}`, storage: memoryStorage(), writer });
const patients = Array.from({ length: N }, (_, i) => makePatient({ name: makeChineseName(i * 7919) }));

const t0 = performance.now();
for (let i = 0; i < N; i += BATCH) await saveRecords(db, 'patients', patients.slice(i, i + BATCH), { writer });
const insertMs = performance.now() - t0;
console.log(`records bench: ${N} patients, memory storage, Node ${process.version}`);
console.log(`${'insert (validate + pinyin + store)'.padEnd(34)} ${(insertMs / 1000).toFixed(2)} s total, ${((insertMs * 1000) / N).toFixed(0)} µs per patient, batches of ${BATCH}`);

const sample = Array.from({ length: LOOKUPS }, (_, i) => patients[(i * 104_729) % N]!);
await timeEach('find by ID number (exact)', sample.map((p) => p.idNumber), (q) => findPatientsByIdNumber(db, q));
await timeEach('pinyin initials prefix (first 20)', sample.map((p) => pinyinKeys(p.name).pinyinInitials.slice(0, 2)), (q) => searchPatientsByPinyinInitials(db, q, 20));
await timeEach('full pinyin prefix (first 20)', sample.map((p) => pinyinKeys(p.name).pinyinFull.slice(0, 5)), (q) => searchPatientsByPinyin(db, q, 20));
await timeEach('name prefix (first 20)', sample.map((p) => p.name.slice(0, 2)), (q) => searchPatientsByName(db, q, 20));

await db.close();
process.exit(0);
