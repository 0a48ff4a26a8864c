/**
 * Administration and reference data (管理与基础数据): the wire types of the hub's admin routes
 * (sync/hub/routes/admin.ts), shared with the workstation's admin screens (renderer/admin) and with
 * every screen that names people and institutions instead of showing their ids.
 */
import { z } from 'zod';
import { isoDateTime } from '../../core/records/common.ts';

export const adminPaths = {
  institutions: '/admin/institutions',
  /** GET list, POST create. */
  users: '/admin/users',
  disableUser: (id: string) => `/admin/users/${encodeURIComponent(id)}/disable`,
  enableUser: (id: string) => `/admin/users/${encodeURIComponent(id)}/enable`,
  unlockUser: (id: string) => `/admin/users/${encodeURIComponent(id)}/unlock`,
  resetPassword: (id: string) => `/admin/users/${encodeURIComponent(id)}/password`,
  /** GET list with sync health, POST create (answers the one-time enrolment code, once). */
  workstations: '/admin/workstations',
  revokeWorkstation: (id: string) => `/admin/workstations/${encodeURIComponent(id)}/revoke`,
  /** POST by any signed-in workstation: its own pending and set-aside counts (sync health). */
  syncReport: '/workstations/sync-report',
  /** GET by any signed-in user: institutions and people of the community, by name. */
  directory: '/directory',
} as const;

export const staffRoles = ['nurse', 'doctor', 'cardiologist', 'administrator'] as const;
export type StaffRole = (typeof staffRoles)[number];
export const institutionKinds = ['county_hospital', 'township_clinic', 'ecg_center'] as const;

export const institutionSchema = z.object({ id: z.string(), kind: z.enum(institutionKinds), name: z.string() });
export type Institution = z.infer<typeof institutionSchema>;
export const institutionsResponseSchema = z.object({ institutions: z.array(institutionSchema) });

export const adminUserSchema = z.object({
  id: z.string(),
  institutionId: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(staffRoles),
  disabled: z.boolean(),
  /** Locked after repeated wrong passwords (until `lockedUntil`, or until an administrator unlocks). */
  locked: z.boolean(),
  lockedUntil: isoDateTime.nullable(),
  createdAt: isoDateTime,
});
export type AdminUser = z.infer<typeof adminUserSchema>;
export const adminUsersResponseSchema = z.object({ users: z.array(adminUserSchema) });

export const createdUserSchema = z.object({ id: z.string(), institutionId: z.string(), username: z.string(), displayName: z.string(), role: z.enum(staffRoles) });

/** A workstation seen from the hub: its enrolment and its sync health. */
export const workstationHealthSchema = z.object({
  id: z.string(),
  institutionId: z.string(),
  name: z.string(),
  state: z.enum(['awaiting-enrolment', 'enrolled', 'revoked']),
  createdAt: isoDateTime,
  enrolledAt: isoDateTime.nullable(),
  revokedAt: isoDateTime.nullable(),
  /** The last time the hub heard from it (a request under its token, a sign-in, a sync report). */
  lastSeenAt: isoDateTime.nullable(),
  /** As the workstation last reported (null: it never did): changes not yet at the hub. */
  pending: z.number().int().nonnegative().nullable(),
  /** Records the hub refused that wait on the workstation for someone to look at (needs attention). */
  setAside: z.number().int().nonnegative().nullable(),
  /** The workstation's last complete sync, by its own account. */
  lastSyncedAt: isoDateTime.nullable(),
  /** Writes from it the hub refused in the last 30 days (audit 'refused'). */
  refusedLast30Days: z.number().int().nonnegative(),
});
export type WorkstationHealth = z.infer<typeof workstationHealthSchema>;
export const workstationsResponseSchema = z.object({ workstations: z.array(workstationHealthSchema) });

export const createdWorkstationSchema = z.object({
  workstationId: z.string(),
  institutionId: z.string(),
  /** Shown once: the hub stores only its hash. */
  enrolmentCode: z.string(),
  expiresInSeconds: z.number(),
});
export type CreatedWorkstation = z.infer<typeof createdWorkstationSchema>;

export const syncReportSchema = z.strictObject({
  pending: z.number().int().min(0).max(10_000_000),
  setAside: z.number().int().min(0).max(10_000_000),
  lastSyncedAt: isoDateTime.nullable(),
});
export type SyncReport = z.infer<typeof syncReportSchema>;

export const directoryPersonSchema = z.object({ id: z.string(), institutionId: z.string(), displayName: z.string(), role: z.enum(staffRoles) });
export type DirectoryPerson = z.infer<typeof directoryPersonSchema>;
export const directorySchema = z.object({ institutions: z.array(institutionSchema), people: z.array(directoryPersonSchema) });
export type Directory = z.infer<typeof directorySchema>;
