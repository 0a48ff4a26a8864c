/**
 * Forwards received studies' DICOM files to the county PACS in the background, so the clinic's push
 * or upload never waits for the archive. The worker wakes on ECG changes and on a timer; each pass
 * queues every received study (record and file at the hub, see turnaround/record.ts) not yet in
 * pacs_forwards — since `config.since` if set, else all: turning forwarding on sends the back
 * catalogue too — then claims due rows with a lease (FOR UPDATE SKIP LOCKED: two hub processes on
 * one PostgreSQL never send the same row at once), sends each by STOW-RS and records the outcome.
 * Failures retry with doubling delays; a refusal of the object itself is final ('failed').
 */
import type { Database } from '../db/database.ts';
import type { ChangeNotifier } from '../replication/notifier.ts';
import { stowInstance, type PacsForwardConfig, type StowOutcome } from './stow.ts';

/** A claimed row is someone else's for this long (longer than any single request may take). */
const leaseMs = (config: PacsForwardConfig) => config.timeoutMs * 2;
const BATCH = 10;

export interface PacsForwarderLog {
  warn(obj: object, msg: string): void;
}

export class PacsForwarder {
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly db: Database,
    private readonly config: PacsForwardConfig,
    private readonly log: PacsForwarderLog,
    private readonly send: (dicom: Uint8Array) => Promise<StowOutcome> = (dicom) => stowInstance(config, dicom),
  ) {}

  start(notifier: ChangeNotifier): void {
    this.unsubscribe = notifier.subscribe((event) => {
      if (event.collections.includes('ecgStudies')) this.kick();
    });
    this.timer = setInterval(() => this.kick(), this.config.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Runs a pass now (or right after the running one). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Resolves when no pass is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.unsubscribe?.();
    await this.idle();
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        if (this.stopped) return;
        await this.queueReceived();
        const claimed = await this.claim();
        for (const row of claimed) await this.forward(row);
        if (claimed.length < BATCH) return;
      }
    } catch (error) {
      // A database hiccup: the timer tries again. Never crash the hub over the archive.
      this.log.warn({ err: { message: (error as Error).message } }, 'PACS forward pass failed');
    }
  }

  private async queueReceived(): Promise<void> {
    await this.db.query(
      `insert into pacs_forwards (study_id, sha256)
       select t.study_id, r.doc->>'dicomSha256' from ecg_turnaround t
         join records r on r.collection = 'ecgStudies' and r.id = t.study_id and not r.deleted
        where (t.file_at is not null or t.backfilled) and greatest(t.study_at, t.file_at) >= $1
          and exists (select 1 from blobs b where b.sha256 = r.doc->>'dicomSha256')
          and not exists (select 1 from pacs_forwards f where f.study_id = t.study_id)
       on conflict (study_id) do nothing`,
      [this.config.since ?? '1970-01-01T00:00:00Z'],
    );
  }

  private async claim(): Promise<{ study_id: string; sha256: string; attempts: number }[]> {
    const { rows } = await this.db.query<{ study_id: string; sha256: string; attempts: number }>(
      `update pacs_forwards set next_attempt_at = clock_timestamp() + make_interval(secs => $1)
        where study_id in (select study_id from pacs_forwards where state = 'pending' and next_attempt_at <= clock_timestamp()
                            order by next_attempt_at limit $2 for update skip locked)
        returning study_id, sha256, attempts`,
      [leaseMs(this.config) / 1000, BATCH],
    );
    return rows;
  }

  private async forward(row: { study_id: string; sha256: string; attempts: number }): Promise<void> {
    const blob = await this.db.query<{ content: Uint8Array }>('select content from blobs where sha256 = $1', [row.sha256]);
    const content = blob.rows[0]?.content;
    const outcome: StowOutcome = content ? await this.send(Buffer.from(content)) : { ok: false, final: true, error: 'the file is no longer at the hub' };
    if (outcome.ok) {
      await this.db.query(
        `update pacs_forwards set state = 'sent', attempts = attempts + 1, sent_at = clock_timestamp(), last_error = null where study_id = $1`,
        [row.study_id],
      );
      return;
    }
    const delayMs = Math.min(this.config.retryInitialMs * 2 ** Math.min(row.attempts, 30), this.config.retryMaxMs);
    await this.db.query(
      `update pacs_forwards set state = $2, attempts = attempts + 1, last_error = $3,
              next_attempt_at = clock_timestamp() + make_interval(secs => $4) where study_id = $1`,
      [row.study_id, outcome.final ? 'failed' : 'pending', outcome.error, delayMs / 1000],
    );
    // Study ids and HTTP statuses only: no patient data reaches the log.
    this.log.warn({ studyId: row.study_id, attempt: row.attempts + 1, final: outcome.final, error: outcome.error }, 'PACS forward failed');
  }
}
