/**
 * A workstation in its own process, for crash tests:
 *   node --import tsx workstation-process.ts '<json>'
 * with { hubUrl, token, institutionId, patients?: number, restore?: Patient[] }.
 * - `patients: n`: registers n new patients with saveRecords (the nurse's work), prints
 *   `{"stored": [...]}` — the documents exactly as the local database holds them — then replicates.
 * - `restore: [...]`: the restarted PC. Its IndexedDB would still hold those documents; memory storage
 *   does not survive a process, so they are put back as they were stored (same ids, same updatedAt,
 *   written straight into the collection as a reopened database would find them), then replicates.
 * Prints `{"replicating": true}` once replication runs and `{"inSync": true}` after awaitInSync.
 * The test kills it with SIGKILL, like a power cut.
 */
import { makePatient } from '../../../core/records/builders.ts';
import type { Patient } from '../../../core/records/index.ts';
import { createLocalDatabase, memoryStorage } from '../../../sync/client/database.ts';
import { saveRecords } from '../../../sync/client/records.ts';
import { startReplication } from '../../../sync/client/replication.ts';

interface Options {
  hubUrl: string;
  token: string;
  institutionId: string;
  patients?: number;
  restore?: Patient[];
  pushBatchSize?: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
const say = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);
const writer = { institutionId: options.institutionId, role: 'clinic' } as const;

const db = await createLocalDatabase({ name: `ws-process-${process.pid}`, storage: memoryStorage(), writer });
if (options.restore) {
  await db.patients.bulkInsert(options.restore);
} else {
  const patients = Array.from({ length: options.patients ?? 0 }, () => makePatient({ institutionId: options.institutionId }));
  await saveRecords(db, 'patients', patients, { writer });
  const stored = (await db.patients.find().exec()).map((d) => d.toMutableJSON(false));
  say({ stored });
}

const sync = await startReplication({
  db,
  writer,
  hubUrl: options.hubUrl,
  getToken: () => options.token,
  collections: ['patients'],
  liveStream: false,
  pushBatchSize: options.pushBatchSize ?? 50,
  retry: { initialMs: 100, maxMs: 500 },
});
say({ replicating: true });
await sync.awaitInSync();
say({ inSync: true, pendingChanges: sync.status.pendingChanges });
await sync.stop();
await db.close();
process.exit(0);
