/**
 * DEPRECATED — the clinic app no longer uses this: sign-in is renderer/session (login screen,
 * enrolment from the first-run wizard, tokens kept instead of the password). Still imported by
 * renderer/reading-room/center-session.ts and tests/bench/registration.bench.ts until they move to
 * renderer/session (createSessionService + SessionGate); delete it then.
 *
 * The workstation's session with the county hub: who this workstation is (institution, enrolled
 * workstation id and credential) and the user working on it, and an access token for replication.
 *
 * Only the demo identity exists so far: the demo hub seeds 城关镇卫生院's registration desk and its
 * users with public credentials (sync/hub/demo-seed.ts — repeated here because the renderer may not
 * import hub code). A real clinic PC gets its identity from enrolment and a login screen, which are
 * not built yet; without one the workstation still works locally but does not replicate.
 */
import { z } from 'zod';
import { SyncError } from '../../sync/client/hub-http.ts';
import type { ClinicSession } from '../records/repository.ts';
import type { RuntimeConfig } from './runtime-config.ts';

export interface WorkstationIdentity extends ClinicSession {
  workstationId: string;
  workstationCredential: string;
  username: string;
  password: string;
}

export const demoIdentity: WorkstationIdentity = {
  institutionId: 'chengguan',
  userId: 'chengguan-doctor',
  workstationId: 'ws-demo-chengguan',
  workstationCredential: 'demo-workstation-credential-chengguan',
  username: 'doctor',
  password: 'demo1234',
};

/** A workstation with no enrolment yet keeps records under this institution and does not sync. */
export const unenrolledSession: ClinicSession = { institutionId: 'unenrolled', userId: 'local-user' };

export const identityFor = (config: RuntimeConfig): WorkstationIdentity | undefined => (config.demo ? demoIdentity : undefined);

const loginResponse = z.object({ accessToken: z.string().min(1), expiresIn: z.number().positive() });

/** getToken for the sync client: logs in when needed and renews the token a minute before it expires. */
export function hubTokenSource(hubUrl: string, identity: WorkstationIdentity, fetchImpl: typeof fetch = (...a) => fetch(...a)): () => Promise<string> {
  let token: { value: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;
  const login = async (): Promise<string> => {
    let response: Response;
    try {
      response = await fetchImpl(new URL('/auth/login', hubUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          workstationId: identity.workstationId,
          workstationCredential: identity.workstationCredential,
          username: identity.username,
          password: identity.password,
        }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (cause) {
      throw new SyncError('network', 0, undefined, undefined, { cause });
    }
    if (!response.ok) throw new SyncError(response.status === 401 ? 'auth-invalid' : 'bad-response', response.status);
    const body = loginResponse.safeParse(await response.json().catch(() => undefined));
    if (!body.success) throw new SyncError('bad-response', response.status);
    token = { value: body.data.accessToken, renewAt: Date.now() + Math.max(0, body.data.expiresIn - 60) * 1000 };
    return token.value;
  };
  return () => {
    if (token && Date.now() < token.renewAt) return Promise.resolve(token.value);
    return (pending ??= login().finally(() => (pending = undefined)));
  };
}
