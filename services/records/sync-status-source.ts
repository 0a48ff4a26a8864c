/** SyncStatusSource over the sync client's replication controller (its status$ observable). */
import { isCollectionName } from '../../core/records/index.ts';
import type { SyncController, SyncStatus } from '../../sync/client/replication.ts';
import type { SyncState, SyncStatusSource } from './repository.ts';

const toState = (s: SyncStatus): SyncState => ({
  pending: s.pendingChanges,
  lastSyncedAt: s.lastSyncedAt,
  error: s.error ? { code: s.error.code, messageZh: s.error.messageZh, messageEn: s.error.message } : null,
  active: s.state === 'syncing',
  needsAttention: s.needsAttention.map((r) => ({
    collection: r.collection,
    id: r.id,
    code: r.code,
    messageZh: r.messageZh,
    messageEn: r.message,
    issues: (r.issues ?? []).map((i) => ({ path: i.path, messageZh: i.messageZh, messageEn: i.message })),
    refusedAt: r.refusedAt,
  })),
});

export function syncStatusSource(controller: SyncController): SyncStatusSource {
  return {
    current: () => toState(controller.status),
    subscribe(listener) {
      const sub = controller.status$.subscribe((s) => listener(toState(s)));
      return () => sub.unsubscribe();
    },
    // Failures are already in status$ (shown in plain words); the button must not throw.
    syncNow: () => controller.syncNow().catch(() => undefined),
    retry: async (collection, id) => {
      if (isCollectionName(collection)) await controller.retry(collection, id);
    },
  };
}
