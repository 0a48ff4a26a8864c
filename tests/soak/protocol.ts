/**
 * Messages between the soak runner and its workstation processes (node IPC, fork()): the runner
 * sends commands — the clinic's work, chosen by the seeded scenario — and each workstation answers,
 * and reports every record that lands in its local database so the runner can time sync.
 */
import type { CollectionName } from '../../core/records/index.ts';

export interface WorkstationOptions {
  /** Unique in the run, e.g. `clinic-01/ws-2`. */
  name: string;
  /** Where its persisted database (journal), blob files and acknowledgements live. */
  dir: string;
  hubUrl: string;
  token: string;
  institutionId: string;
  role: 'clinic' | 'ecg-center';
  /** This PC answers critical-value alerts (危急值) by acknowledging them. */
  acknowledgesCritical: boolean;
}

export type Command =
  | { op: 'save'; collection: CollectionName; doc: Record<string, unknown> }
  | { op: 'edit'; collection: CollectionName; id: string; patch: Record<string, unknown> }
  | { op: 'register'; patient: Record<string, unknown>; visit: Record<string, unknown> }
  | { op: 'order'; patientId: string; visitId: string; orderId: string; itemCode: string; doctorId: string; recognize: boolean }
  | { op: 'ecg'; study: Record<string, unknown>; seed: number }
  | { op: 'read'; studyId: string; sha256: string; report: Record<string, unknown> }
  | { op: 'token'; token: string }
  | { op: 'sync' }
  | { op: 'dump' }
  | { op: 'stats' }
  | { op: 'stop' };

export type Request = Command & { seq: number };
export type Reply = { re: number; ok: true; value: unknown } | { re: number; ok: false; error: string };

export type WorkstationEvent =
  | { ev: 'ready'; restoredDocuments: number }
  | { ev: 'seen'; c: CollectionName; id: string; at: number; rs?: string; signed?: boolean; critical?: boolean }
  | { ev: 'acked'; id: string; at: number }
  | { ev: 'uploaded'; sha256: string; at: number };

export interface WorkstationCounters {
  pushes: number;
  pushedRows: number;
  /** Rows the hub answered as conflicts (resolved on the client by the declared rule). */
  conflicts: number;
  pulls: number;
  failedRequests: number;
  uploads: number;
  uploadFailures: number;
  acks: number;
}

export interface WorkstationStats {
  pendingChanges: number;
  needsAttention: number;
  state: string;
  localBytes: number;
  localDocuments: number;
  records: number;
  counters: WorkstationCounters;
  pendingUploads: number;
  lastUploadError: string | null;
  pendingAcks: number;
}
