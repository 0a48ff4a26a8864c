/**
 * A record's place in the change feed: (tx, seq) — the id of the transaction that wrote it, then the
 * hub's sequence number (migration 025 explains why). Writers never wait for each other to draw
 * positions; readers hand out only what lies below the watermark, the oldest transaction id still
 * running. Every committed write at or above the watermark is yet to be handed out, and every
 * transaction that has not committed yet will write at or above it.
 */
/** The writing transaction's id as a bigint (xid8 is 64-bit, epoch-extended: it never wraps). */
export const CURRENT_TX_SQL = 'pg_current_xact_id()::text::bigint';

/** The oldest transaction id still running, as seen by the statement that evaluates it. */
export const WATERMARK_SQL = 'pg_snapshot_xmin(pg_current_snapshot())::text::bigint';

export interface Position {
  tx: number;
  seq: number;
}
