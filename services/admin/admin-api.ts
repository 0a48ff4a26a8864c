/**
 * The administrator's calls to the hub (paths and wire types: sync/protocol/admin.ts), under the
 * signed-in administrator's token. Failures are the sync client's SyncError, in both languages.
 */
import { z } from 'zod';
import { hubJson, type HubConnection } from '../../sync/client/hub-http.ts';
import {
  adminPaths,
  adminUsersResponseSchema,
  createdUserSchema,
  createdWorkstationSchema,
  workstationsResponseSchema,
  type AdminUser,
  type CreatedWorkstation,
  type StaffRole,
  type WorkstationHealth,
} from '../../sync/protocol/admin.ts';

const ok = z.object({ ok: z.literal(true) });
const timeout = () => AbortSignal.timeout(15_000);
const post = (body?: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body ?? {}),
  signal: timeout(),
});

export interface NewUser {
  username: string;
  displayName: string;
  role: StaffRole;
  password: string;
  institutionId?: string | undefined;
}

export interface AdminApi {
  users(): Promise<AdminUser[]>;
  createUser(user: NewUser): Promise<void>;
  disableUser(id: string): Promise<void>;
  enableUser(id: string): Promise<void>;
  unlockUser(id: string): Promise<void>;
  resetPassword(id: string, password: string): Promise<void>;
  workstations(): Promise<WorkstationHealth[]>;
  /** Answers the one-time enrolment code: show it once, the hub keeps only its hash. */
  createWorkstation(name: string, institutionId?: string): Promise<CreatedWorkstation>;
  revokeWorkstation(id: string): Promise<void>;
}

export function hubAdminApi(hub: HubConnection): AdminApi {
  const done = async (path: string, body?: unknown) => void (await hubJson(hub, path, ok, post(body)));
  return {
    users: async () => (await hubJson(hub, adminPaths.users, adminUsersResponseSchema, { signal: timeout() })).users,
    createUser: async (user) => void (await hubJson(hub, adminPaths.users, createdUserSchema, post(user))),
    disableUser: (id) => done(adminPaths.disableUser(id)),
    enableUser: (id) => done(adminPaths.enableUser(id)),
    unlockUser: (id) => done(adminPaths.unlockUser(id)),
    resetPassword: (id, password) => done(adminPaths.resetPassword(id), { password }),
    workstations: async () => (await hubJson(hub, adminPaths.workstations, workstationsResponseSchema, { signal: timeout() })).workstations,
    createWorkstation: (name, institutionId) => hubJson(hub, adminPaths.workstations, createdWorkstationSchema, post({ name, ...(institutionId ? { institutionId } : {}) })),
    revokeWorkstation: (id) => done(adminPaths.revokeWorkstation(id)),
  };
}
