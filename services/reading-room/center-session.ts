/**
 * The reading room's records once a cardiologist is signed in: this browser's IndexedDB for the
 * centre, replicating the ECG collections like a clinic workstation does. Sign-in itself and the
 * tokens belong to services/session (ReadingRoomApp wraps the room in its SessionGate); this module
 * only asks the signed-in session for an access token whenever it talks to the hub.
 */
import { browserStorage, createLocalDatabase, type LocalDatabase } from '../../sync/client/database.ts';
import type { HubConnection } from '../../sync/client/hub-http.ts';
import { startReplication, type SyncController } from '../../sync/client/replication.ts';
import type { Writer } from '../../sync/protocol/index.ts';
import { syncClientRepository } from '../records/sync-client-repository.ts';
import type { RecordRepository } from '../records/repository.ts';
import type { SignedInUser } from '../session/session-service.ts';

/** The ECG collections the center sees (sync/hub/replication/scope.ts: ECG_READING_COLLECTIONS). */
const centerCollections = ['patients', 'ecgStudies', 'ecgReports'] as const;

export interface CenterSession {
  userId: string;
  displayName: string;
  institutionId: string;
  hub: HubConnection;
  repo: RecordRepository;
  sync: SyncController;
  close(): Promise<void>;
}

/** Opens the centre's local database and starts replication under the signed-in user's token. */
export async function openCenterSession(hubUrl: string, user: SignedInUser, getToken: () => Promise<string>): Promise<CenterSession> {
  const institutionId = user.institution.id;
  const hub: HubConnection = { hubUrl, getToken };
  const writer: Writer = { institutionId, role: 'ecg-center' };
  const db: LocalDatabase = await createLocalDatabase({ name: `reading-room-${institutionId}`, storage: browserStorage(), writer });
  let sync: SyncController;
  try {
    sync = await startReplication({ db, writer, ...hub, collections: centerCollections, retry: { initialMs: 1000, maxMs: 30_000 } });
  } catch (error) {
    await db.close();
    throw error;
  }
  return {
    userId: user.userId,
    displayName: user.displayName || user.username,
    institutionId,
    hub,
    repo: syncClientRepository(db, writer),
    sync,
    async close() {
      await sync.stop();
      await db.close();
    },
  };
}
