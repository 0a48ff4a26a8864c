/**
 * The change feed's one guarantee, now that writers no longer take turns (issue 15): a client that
 * follows checkpoints sees every committed record, exactly once, even when a transaction that began
 * earlier commits later than the ones around it. Without the watermark (position.ts) the first test
 * fails: the pull would hand out the later commit and step over the earlier transaction's record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import pg from 'pg';
import { makePatient } from '../../../core/records/builders.ts';
import { INITIAL_CHECKPOINT, type SyncCheckpoint } from '../../../sync/protocol/wire.ts';
import type { ChangeEvent } from '../../../sync/hub/replication/notifier.ts';
import { backends, startDemoHub, type DemoHub } from './support/backends.ts';
import { demoWorkstation, login, type Session } from './support/client.ts';
import { insertRow, pull, pullAll, pushOk, type WireDoc } from './support/sync.ts';
import { openStream } from './support/stream.ts';

const after = (a: SyncCheckpoint, b: SyncCheckpoint) => a.tx > b.tx || (a.tx === b.tx && a.seq > b.seq);

for (const backend of backends) {
  describe.runIf(backend.available)(`change feed on ${backend.name}`, () => {
    let hub: DemoHub;
    let nurse: Session;
    let reader: Session;

    beforeAll(async () => {
      hub = await startDemoHub(backend);
      nurse = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'nurse');
      reader = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'doctor');
    });
    afterAll(() => hub?.close());

    it.runIf(backend.name === 'postgres')('holds back a later commit until an earlier transaction has ended, then hands out both, in order', async () => {
      const { checkpoint: start } = await pullAll(hub.url, reader, 'patients');
      const notices: ChangeEvent[] = [];
      const unsubscribe = hub.context.notifier.subscribe((e) => notices.push(e));
      // A writer that began first and is slow to commit: a record written straight into the store,
      // the way the hub writes it, inside a transaction left open.
      const slow = new pg.Client({ connectionString: hub.store.options.databaseUrl });
      await slow.connect();
      try {
        const early = makePatient({ institutionId: 'chengguan' });
        await slow.query('begin');
        await slow.query(
          `insert into records (collection, id, doc, owner_institution_id, patient_id, seq) values ('patients', $1, $2, 'chengguan', $1, nextval('hub_change_seq'))`,
          [early.id, early],
        );
        const late = makePatient({ institutionId: 'chengguan' });
        await pushOk(hub.url, nurse, 'patients', [insertRow(late)]);

        const meanwhile = await pull(hub.url, reader, 'patients', start);
        expect(meanwhile.body.documents).toEqual([]); // the late commit waits behind the open transaction
        expect(meanwhile.body.checkpoint).toEqual(start);
        await new Promise((resolve) => setTimeout(resolve, 150));
        expect(notices).toEqual([]); // and no client is told to pull for nothing

        await slow.query('commit');
        const { documents, checkpoint } = await pullAll(hub.url, reader, 'patients', start);
        expect(documents.map((d) => d.id)).toEqual([early.id, late.id]);
        expect(after(checkpoint, start)).toBe(true);
        await expect.poll(() => notices.length).toBeGreaterThan(0);
        expect(notices[0]!.collections).toContain('patients');
      } finally {
        unsubscribe();
        await slow.end();
      }
    });

    it.runIf(backend.name === 'postgres')('tells every live stream to pull everything when the relay of notices was cut (a database restart)', async () => {
      const stream = await openStream(hub.url, reader.accessToken);
      const admin = new pg.Client({ connectionString: hub.store.options.databaseUrl });
      await admin.connect();
      try {
        // Every connection of the hub, the LISTEN one included, as when PostgreSQL restarts.
        await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
        expect(await stream.next(10_000)).toBe('RESYNC');
        // And the relay works again: the next push is heard.
        await pushOk(hub.url, nurse, 'patients', [insertRow(makePatient({ institutionId: 'chengguan' }))]);
        expect(await stream.next(5_000)).toMatchObject({ collection: 'patients' });
      } finally {
        stream.close();
        await admin.end();
      }
    });

    it('gives every reader following checkpoints each committed record exactly once, whatever the interleaving (property)', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            writers: fc.integer({ min: 2, max: 6 }),
            pushes: fc.integer({ min: 1, max: 4 }),
            rows: fc.integer({ min: 1, max: 25 }),
            readerLimits: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 3 }),
          }),
          async ({ writers, pushes, rows, readerLimits }) => {
            const { checkpoint: start } = await pullAll(hub.url, reader, 'patients', INITIAL_CHECKPOINT, 1000);
            const written: string[] = [];
            let writing = true;
            const write = async () => {
              for (let k = 0; k < pushes; k++) {
                const batch = Array.from({ length: rows }, () => makePatient({ institutionId: 'chengguan' }));
                await pushOk(hub.url, nurse, 'patients', batch.map(insertRow));
                written.push(...batch.map((p) => p.id));
              }
            };
            /** A workstation pulling page after page while the writers write, then once more after. */
            const follow = async (limit: number) => {
              const seen: WireDoc[] = [];
              let checkpoint = start;
              const page = async () => {
                const reply = await pull(hub.url, reader, 'patients', checkpoint, limit);
                expect(reply.status).toBe(200);
                const next = reply.body.checkpoint as SyncCheckpoint;
                if (reply.body.documents.length > 0) expect(after(next, checkpoint)).toBe(true);
                seen.push(...reply.body.documents);
                checkpoint = next;
                return reply.body.documents.length;
              };
              while (writing) await page();
              while ((await page()) === limit);
              return seen.map((d) => d.id);
            };
            const readers = readerLimits.map(follow);
            await Promise.all(Array.from({ length: writers }, write));
            writing = false;
            for (const ids of await Promise.all(readers)) {
              expect(new Set(ids).size).toBe(ids.length); // nothing twice
              expect(new Set(ids)).toEqual(new Set(written)); // nothing missed, nothing else
            }
          },
        ),
        { numRuns: backend.name === 'postgres' ? 8 : 3 },
      );
    });
  });
}
