/**
 * Opens everything the screens need at boot: the local database (IndexedDB through the sync client),
 * replication with the hub when one is configured (never awaited: the UI works at once, offline or
 * not), and the item catalogue (an administrator's ./catalog/items.json if present, else the bundled
 * starter set).
 */
import { loadItemCatalog, starterItemCatalog, type ItemCatalog } from '../../core/catalog/index.ts';
import { browserStorage, createLocalDatabase } from '../../sync/client/database.ts';
import { startReplication } from '../../sync/client/replication.ts';
import type { Writer } from '../../sync/protocol/index.ts';
import { hubTokenSource, identityFor, unenrolledSession } from '../platform/hub-session.ts';
import type { RuntimeConfig } from '../platform/runtime-config.ts';
import { clinicRecords } from './clinic-records.ts';
import type { ClinicContextValue } from './ClinicContext.tsx';
import { syncClientRepository } from './sync-client-repository.ts';
import { syncStatusSource } from './sync-status-source.ts';

export async function loadCatalog(fetchImpl: typeof fetch = (...a) => fetch(...a)): Promise<ItemCatalog> {
  try {
    const response = await fetchImpl('./catalog/items.json', { cache: 'no-store', signal: AbortSignal.timeout(3000) });
    if (response.ok && response.headers.get('content-type')?.includes('json')) return loadItemCatalog(await response.json());
  } catch (error) {
    // A replaced file that does not validate is reported and the starter set used, so registration never stops.
    console.warn('Item catalogue override not used:', error instanceof Error ? error.message : error);
  }
  return starterItemCatalog();
}

export async function openClinicRecords(config: RuntimeConfig): Promise<ClinicContextValue> {
  const identity = identityFor(config);
  const session = identity ? { institutionId: identity.institutionId, userId: identity.userId } : unenrolledSession;
  const writer: Writer = { institutionId: session.institutionId, role: 'clinic' };
  const [db, catalog] = await Promise.all([
    createLocalDatabase({ name: `clinic-${session.institutionId}`, storage: browserStorage(), writer }),
    loadCatalog(),
  ]);
  const repo = syncClientRepository(db, writer);
  const sync =
    identity && config.hubUrl
      ? syncStatusSource(await startReplication({ db, writer, hubUrl: config.hubUrl, getToken: hubTokenSource(config.hubUrl, identity), retry: { initialMs: 1000, maxMs: 30_000 } }))
      : null;
  return { repo, records: clinicRecords(repo, session), session, catalog, sync };
}
