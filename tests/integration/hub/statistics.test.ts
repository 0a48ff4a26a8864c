/**
 * The planner's statistics keep up with a young table (sync/hub/db/statistics.ts): a county's first
 * import grows `records` many times over within autovacuum's minute, and until the table is analysed
 * the planner plans a push's lookups for the size it had — the ingest bench saw them turn into scans.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { makePatient } from '../../../core/records/builders.ts';
import { tablesDueForAnalysis } from '../../../sync/hub/db/statistics.ts';
import { backends, startDemoHub, type DemoHub } from './support/backends.ts';
import { demoWorkstation, login } from './support/client.ts';
import { insertRow, pushOk } from './support/sync.ts';

const postgres = backends.find((b) => b.name === 'postgres')!;

describe.runIf(postgres.available)('planner statistics on PostgreSQL', () => {
  let hub: DemoHub;
  let admin: pg.Client;
  beforeAll(async () => {
    hub = await startDemoHub(postgres);
    admin = new pg.Client({ connectionString: hub.store.options.databaseUrl });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await hub?.close();
  });

  const manualAnalyses = async () =>
    Number((await admin.query<{ n: string }>("select analyze_count as n from pg_stat_user_tables where relname = 'records'")).rows[0]!.n);
  const plannedRows = async () => Number((await admin.query<{ n: number }>("select greatest(reltuples, 0) as n from pg_class where relname = 'records'")).rows[0]!.n);

  it('analyses records a few seconds after writes that grew it past its last analysis, and leaves it alone otherwise', async () => {
    // An import straight into the store, the way the hub writes records: the planner does not know yet.
    const patients = Array.from({ length: 3_000 }, () => makePatient({ institutionId: 'chengguan' }));
    // On a connection of its own, closed at once: a closing connection reports its counts (an idle one, within 10 s).
    const importer = new pg.Client({ connectionString: hub.store.options.databaseUrl });
    await importer.connect();
    await importer.query(
      `insert into records (collection, id, doc, deleted, owner_institution_id, patient_id, seq)
       select 'patients', d->>'id', d, false, 'chengguan', d->>'id', nextval('hub_change_seq') from jsonb_array_elements($1::jsonb) as t(d)`,
      [JSON.stringify(patients)],
    );
    await importer.end();
    const before = await manualAnalyses();
    expect(await plannedRows()).toBeLessThan(3_000);
    await expect.poll(() => tablesDueForAnalysis(hub.context.db), { timeout: 5_000, interval: 100 }).toContain('records');

    // One push: a write notice, which schedules the check.
    const nurse = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'nurse');
    await pushOk(hub.url, nurse, 'patients', [insertRow(makePatient({ institutionId: 'chengguan' }))]);
    await expect.poll(plannedRows, { timeout: 15_000, interval: 250 }).toBeGreaterThanOrEqual(3_000);
    expect(await manualAnalyses()).toBe(before + 1); // the hub's ANALYZE, not autovacuum's
    expect(await tablesDueForAnalysis(hub.context.db)).not.toContain('records');

    // A few more writes are far below the rule: no second analysis.
    await pushOk(hub.url, nurse, 'patients', [insertRow(makePatient({ institutionId: 'chengguan' }))]);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await manualAnalyses()).toBe(before + 1);
  });
});
