/**
 * The reading room's connection to the hub: the cardiologist signs in with a username and password
 * on the center's enrolled workstation; the page then keeps its records in this browser's IndexedDB
 * and replicates the ECG collections like a clinic workstation does.
 *
 * The workstation identity: only the demo one exists for a browser reading room so far (the demo hub
 * seeds 心电中心 阅片室, sync/hub/demo-seed.ts — repeated here because the renderer may not import hub
 * code). A reading-room PC enrolled for real would take its identity from the enrolment store of
 * renderer/session once the login screen there is wired in.
 */
import { z } from 'zod';
import { browserStorage, createLocalDatabase, type LocalDatabase } from '../../sync/client/database.ts';
import type { HubConnection } from '../../sync/client/hub-http.ts';
import { startReplication, type SyncController } from '../../sync/client/replication.ts';
import type { Writer } from '../../sync/protocol/index.ts';
import { hubTokenSource, type WorkstationIdentity } from '../platform/hub-session.ts';
import { syncClientRepository } from '../records/sync-client-repository.ts';
import type { RecordRepository } from '../records/repository.ts';

export const demoCenterWorkstation = {
  institutionId: 'ecg-center',
  workstationId: 'ws-demo-ecg-center',
  workstationCredential: 'demo-workstation-credential-ecg-center',
} as const;

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

export class CenterLoginError extends Error {
  override readonly name = 'CenterLoginError';
  constructor(
    readonly code: 'bad-credentials' | 'not-cardiologist' | 'network' | 'not-enrolled',
    readonly messageZh: string,
    message: string,
  ) {
    super(message);
  }
}

const loginAnswerSchema = z.object({ user: z.object({ id: z.string().min(1), displayName: z.string(), role: z.string() }) });
type LoginAnswer = z.infer<typeof loginAnswerSchema>;

/** Signs in, opens the local database and starts replication. */
export async function openCenterSession(hubUrl: string, username: string, password: string, options: { demo: boolean }): Promise<CenterSession> {
  if (!options.demo) throw new CenterLoginError('not-enrolled', '本阅片室尚未注册到县级平台，请联系管理员', 'This reading room is not enrolled with the county hub; contact the administrator');
  const identity: WorkstationIdentity = { ...demoCenterWorkstation, userId: '', username: username.trim(), password };
  let who: LoginAnswer;
  try {
    const response = await fetch(new URL('/auth/login', hubUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workstationId: identity.workstationId, workstationCredential: identity.workstationCredential, username: identity.username, password }),
    });
    if (response.status === 401) throw new CenterLoginError('bad-credentials', '用户名或密码错误', 'Wrong username or password');
    if (!response.ok) throw new CenterLoginError('network', `县级平台拒绝登录（${response.status}）`, `The hub refused the sign-in (${response.status})`);
    const parsed = loginAnswerSchema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new CenterLoginError('network', '县级平台返回了无法识别的数据', 'The hub sent an answer this page cannot read');
    who = parsed.data;
  } catch (error) {
    if (error instanceof CenterLoginError) throw error;
    throw new CenterLoginError('network', '无法连接县级平台', 'Cannot reach the county hub');
  }
  if (who.user.role !== 'cardiologist') throw new CenterLoginError('not-cardiologist', '只有心电医生可以进入阅片室', 'Only cardiologists may use the reading room');
  const hub: HubConnection = { hubUrl, getToken: hubTokenSource(hubUrl, { ...identity, userId: who.user.id }) };
  const writer: Writer = { institutionId: identity.institutionId, role: 'ecg-center' };
  const db: LocalDatabase = await createLocalDatabase({ name: `reading-room-${identity.institutionId}`, storage: browserStorage(), writer });
  const sync = await startReplication({ db, writer, ...hub, collections: centerCollections, retry: { initialMs: 1000, maxMs: 30_000 } });
  return {
    userId: who.user.id,
    displayName: who.user.displayName || username,
    institutionId: identity.institutionId,
    hub,
    repo: syncClientRepository(db, writer),
    sync,
    async close() {
      await sync.stop();
      await db.close();
    },
  };
}
