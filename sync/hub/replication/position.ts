/**
 * A record's place in the change feed: (tx, seq) — the id of the transaction that wrote it, then the
 * hub's sequence number (migration 025 explains why). Writers never wait for each other to draw
 * positions; readers hand out only what lies below the watermark, the oldest transaction id still
 * running. Every committed write at or above the watermark is yet to be handed out, and every
 * transaction that has not committed yet will write at or above it.
 */
/** The writing transaction's id as a bigint (xid8 is 64-bit, epoch-extended: it never wraps). */
export const CURRENT_TX_SQL = 'pg_current_xact_id()::text::bigint';

/**
 * The feed's watermark, as seen by the statement that evaluates it: every transaction with a lower id
 * has ended, and its records are visible to that statement. It is the oldest transaction running
 * when the statement's snapshot was taken (pg_snapshot_xip), else the next id to be assigned
 * (pg_snapshot_xmax) — leaving out transactions seen running in another database at this moment,
 * since transaction ids are shared by the whole server and a transaction in another database never
 * writes here. Without that, one long transaction anywhere on a shared server (a report, a backup,
 * another hub's tests) would hold back every pull. An id not seen in pg_stat_activity (ended since
 * the snapshot, or hidden from this role) counts as ours: it is held back, never skipped.
 */
export const WATERMARK_SQL = `(select coalesce(min(x::text::bigint), pg_snapshot_xmax(pg_current_snapshot())::text::bigint)
   from pg_snapshot_xip(pg_current_snapshot()) as x
  where (x::text::bigint % 4294967296) not in (
    select a.backend_xid::text::bigint from pg_stat_activity a
     where a.backend_xid is not null and a.datname is distinct from current_database()))`;
