import type { FastifyInstance } from 'fastify';
import type { HubContext } from '../context.ts';

export function registerHealthRoutes(app: FastifyInstance, ctx: HubContext): void {
  // Unauthenticated by design: the demo launcher and load balancers poll it; it reveals no data.
  app.get('/healthz', async () => {
    // On the priority pool, in one statement: a load balancer's probe must not queue behind a
    // registration rush, nor wait its turn on a busy event loop twice. The migration level as
    // migrate.ts's migrationVersion reads it; the sequence's own counter: O(1), unlike max(seq) over every record.
    const { rows } = await ctx.db.priority.query<{ version: number | null; seq: string | number }>(
      `select (select max(version) from hub_migrations) as version,
              (select case when is_called then last_value else 0 end from hub_change_seq) as seq`,
    );
    return { ok: true, database: ctx.db.kind, migrationVersion: Number(rows[0]?.version ?? 0), lastSeq: Number(rows[0]?.seq ?? 0) };
  });
}
