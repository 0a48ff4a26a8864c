/** A small HTTP client for the hub tests: JSON in, `{ status, body }` out, never throws on 4xx. */
import { DEMO_PASSWORD, demoWorkstations, type DemoInstitutionId } from '../../../../sync/hub/demo-seed.ts';

// Tests read deep into JSON answers (reply.body.error.code); `any` keeps them readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function call<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: BodyInit; contentType?: string } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: BodyInit | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  if (options.contentType) headers['content-type'] = options.contentType;
  const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON (a blob) */
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  workstationId: string;
  workstationCredential: string;
  userId: string;
  institutionId: string;
  offlineGrant: string;
}

export interface WorkstationIdentity {
  workstationId: string;
  workstationCredential: string;
}

export async function login(baseUrl: string, ws: WorkstationIdentity, username: string, password = DEMO_PASSWORD): Promise<Session> {
  const reply = await call(baseUrl, 'POST', '/auth/login', { body: { ...ws, username, password } });
  if (reply.status !== 200) throw new Error(`login ${username} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return {
    accessToken: reply.body.accessToken,
    refreshToken: reply.body.refreshToken,
    workstationId: ws.workstationId,
    workstationCredential: ws.workstationCredential,
    userId: reply.body.user.id,
    institutionId: reply.body.user.institutionId,
    offlineGrant: reply.body.offlineGrant,
  };
}

export const demoWorkstation = (id: (typeof demoWorkstations)[number]['id']): WorkstationIdentity => {
  const ws = demoWorkstations.find((w) => w.id === id)!;
  return { workstationId: ws.id, workstationCredential: ws.credential };
};

/** Enrols a fresh workstation at `institutionId` through the admin API, the way a county admin does. */
export async function enrolWorkstation(baseUrl: string, countyAdmin: Session, institutionId: DemoInstitutionId): Promise<WorkstationIdentity> {
  const created = await call(baseUrl, 'POST', '/admin/workstations', { token: countyAdmin.accessToken, body: { name: `PC ${institutionId}`, institutionId } });
  if (created.status !== 201) throw new Error(`create workstation failed: ${created.status} ${JSON.stringify(created.body)}`);
  const enrolled = await call(baseUrl, 'POST', '/auth/enrol', { body: { code: created.body.enrolmentCode } });
  if (enrolled.status !== 200) throw new Error(`enrol failed: ${enrolled.status} ${JSON.stringify(enrolled.body)}`);
  return { workstationId: enrolled.body.workstationId, workstationCredential: enrolled.body.workstationCredential };
}

/**
 * A second cardiologist at the demo ECG centre (李医生), created by the centre's administrator and
 * signed in on the centre's workstation: for tests of claims, one reader's lock and a second signature.
 * `adminHubUrl` creates the account, `hubUrl` signs it in (two hub processes may serve one county).
 */
export async function secondCardiologist(hubUrl: string, adminHubUrl = hubUrl): Promise<Session> {
  const centerWs = demoWorkstation('ws-demo-ecg-center');
  const admin = await login(adminHubUrl, centerWs, 'admin');
  const body = { username: 'li', displayName: '李医生', role: 'cardiologist', password: 'li-password-1' };
  const created = await call(adminHubUrl, 'POST', '/admin/users', { token: admin.accessToken, body });
  if (created.status !== 201) throw new Error(`create cardiologist failed: ${created.status} ${JSON.stringify(created.body)}`);
  return login(hubUrl, centerWs, body.username, body.password);
}
