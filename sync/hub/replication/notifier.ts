/**
 * Fan-out of "new changes exist" notices to live streams (SSE), across every hub process serving the
 * county. A committed write transaction calls `changed(...)`; the notice is relayed through the
 * database (PostgreSQL LISTEN/NOTIFY, which PGlite also offers), so each process — this one included —
 * hears every commit, whichever process made it. A process then holds a notice back until every
 * transaction older than it has ended (the feed's watermark, position.ts): a client that pulls on
 * the notice finds the change, instead of pulling too early and waiting for the next notice.
 *
 * A notice carries no documents; each stream filters by what its institution may see and tells
 * its client to pull. When the relay drops (database restart), notices may have been missed: every
 * stream is told to pull everything (`resync`), which is cheap when nothing is new.
 */
import { EventEmitter } from 'node:events';
import type { ChangeListener, Database } from '../db/database.ts';
import { WATERMARK_SQL } from './position.ts';

export interface ChangeEvent {
  /** The writing transaction's id and its highest sequence number: the feed position it reached. */
  tx: number;
  seq: number;
  collections: string[];
  /** Institutions that may see the change; empty = everyone (reference data, or "pull everything"). */
  institutions: string[];
}

export const CHANGES_CHANNEL = 'hub_changes';
/** NOTIFY payloads are limited to 8000 bytes; a longer list of institutions becomes "everyone". */
const MAX_PAYLOAD = 7000;
/** How often a held-back notice re-checks the watermark while an older transaction is still running. */
const WATERMARK_POLL_MS = 5;

export class ChangeNotifier {
  private readonly emitter = new EventEmitter();
  private pending: ChangeEvent[] = [];
  private pumping = false;
  private listener: ChangeListener | undefined;
  private closed = false;
  /** Commits of this process not yet relayed: sent together, one statement per turn of the event loop. */
  private outbox: ChangeEvent[] = [];

  constructor(private readonly db: Database) {
    this.emitter.setMaxListeners(0); // one listener per connected workstation
  }

  /** Starts hearing every hub process's commits. */
  async start(): Promise<void> {
    this.listener = await this.db.listen(CHANGES_CHANNEL, {
      notice: (payload) => this.heard(payload),
      // The relay reconnected: notices sent meanwhile are lost, so every client pulls everything.
      reconnected: () => this.deliver({ tx: 0, seq: 0, collections: [], institutions: [] }),
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.listener?.close();
  }

  /** A write transaction of this process committed these changes. */
  changed(event: ChangeEvent): void {
    this.outbox.push(event);
    if (this.outbox.length === 1) setImmediate(() => this.relay());
  }

  /**
   * Outside the write transactions on purpose: a NOTIFY inside one would serialise every writer's
   * commit on PostgreSQL's notification-queue lock — the very queue this design removed. On the
   * listening connection, not the pool, so a notice never waits behind a burst of pushes for a
   * connection (an urgent study would reach the reading room seconds late); the commits of one
   * turn of the event loop go in one statement.
   */
  private relay(): void {
    const events = this.outbox;
    this.outbox = [];
    const payloads = events.map((event) => {
      const payload = JSON.stringify(event);
      return payload.length > MAX_PAYLOAD ? JSON.stringify({ ...event, institutions: [] }) : payload;
    });
    const sent = this.listener
      ? this.listener.query('select count(pg_notify($1, p)) from unnest($2::text[]) as p', [CHANGES_CHANNEL, payloads])
      : Promise.reject(new Error('not listening'));
    sent.catch(() => {
      // The relay is down: this process's own streams still hear them; the others resync on reconnect.
      for (const event of events) this.deliver(event);
    });
  }

  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }

  private heard(payload: string): void {
    try {
      const event = JSON.parse(payload) as ChangeEvent;
      if (typeof event.tx === 'number' && Array.isArray(event.collections) && Array.isArray(event.institutions)) this.deliver(event);
    } catch {
      // not ours: ignore
    }
  }

  private deliver(event: ChangeEvent): void {
    this.pending.push(event);
    if (!this.pumping) void this.pump();
  }

  /** Emits each pending notice once the watermark has passed its transaction. */
  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.pending.length > 0 && !this.closed) {
        let watermark: number;
        try {
          watermark = await this.watermark();
        } catch {
          watermark = Number.MAX_SAFE_INTEGER; // cannot tell: tell now rather than never (a pull is harmless)
        }
        const ready = this.pending.filter((e) => e.tx < watermark);
        this.pending = this.pending.filter((e) => e.tx >= watermark);
        for (const event of ready) this.emitter.emit('change', event);
        if (this.pending.length > 0) await new Promise((resolve) => setTimeout(resolve, WATERMARK_POLL_MS));
      }
    } finally {
      this.pumping = false;
    }
  }

  private async watermark(): Promise<number> {
    const { rows } = await (this.listener ?? this.db).query<{ watermark: string }>(`select ${WATERMARK_SQL} as watermark`);
    return Number(rows[0]!.watermark);
  }
}
