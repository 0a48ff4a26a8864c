import type { FastifyInstance } from 'fastify';
import type { HubContext } from '../context.ts';
import { migrationVersion } from '../db/migrate.ts';

export function registerHealthRoutes(app: FastifyInstance, ctx: HubContext): void {
  // Unauthenticated by design: the demo launcher and load balancers poll it; it reveals no data.
  app.get('/healthz', async () => {
    // On the priority pool: a load balancer's probe must not queue behind a registration rush.
    const version = await migrationVersion(ctx.db.priority);
    // The sequence's own counter: O(1), unlike max(seq) over every record.
    const { rows } = await ctx.db.priority.query<{ seq: string | number }>('select case when is_called then last_value else 0 end as seq from hub_change_seq');
    return { ok: true, database: ctx.db.kind, migrationVersion: version, lastSeq: Number(rows[0]?.seq ?? 0) };
  });
}
