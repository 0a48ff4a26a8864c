/**
 * The first-run wizard's logic (首次运行向导), apart from React: checking the hub address,
 * enrolling the workstation with the one-time code (POST /auth/enrol on the hub, sync/hub/README.md)
 * and turning auto-detect results into device assignments. Every failure is a SetupError with a
 * Chinese and an English message; nothing is saved until a step succeeds.
 */
import { z } from 'zod';
import { CodedError, type ErrorCodeOf } from '../../core/errors/index.ts';
import type { DetectedDevice, DeviceAssignment, DeviceKind } from '../../core/contract/workstation-api.ts';
import { deviceKinds as setupDeviceKinds, serialBaudRates as baudRates } from '../../core/contract/device-assignment.ts';

export type SetupErrorCode = ErrorCodeOf<'setup'>;

export class SetupError extends CodedError<`setup.${SetupErrorCode}`> {
  override readonly name = 'SetupError';
  declare readonly code: SetupErrorCode;
  constructor(
    code: SetupErrorCode,
    /** The hub's own message, when it sent one. */
    hubMessage?: { zh: string; en: string },
  ) {
    super(`setup.${code}`, {}, { text: hubMessage });
  }
}

/** The hub's base URL without a trailing slash; throws SetupError for anything else. */
export function parseHubUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new SetupError('hub-url-invalid');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SetupError('hub-url-invalid');
  if (url.username || url.password) throw new SetupError('hub-url-credentials');
  url.hash = '';
  url.search = '';
  return url.toString().replace(/\/+$/, '');
}

/** Case, spaces and dashes do not matter (the hub normalises the same way): ABCD-EFGH-JKLM. */
export function normaliseEnrolmentCode(text: string): string {
  const compact = text.replace(/[\s-]/g, '').toUpperCase();
  if (!/^[A-Z0-9]{12}$/.test(compact)) throw new SetupError('code-invalid');
  return `${compact.slice(0, 4)}-${compact.slice(4, 8)}-${compact.slice(8)}`;
}

const enrolmentSchema = z.object({
  workstationId: z.string().min(1).max(100),
  workstationName: z.string().max(200).optional(),
  institution: z.object({ id: z.string().min(1).max(100), name: z.string().max(200), kind: z.string().max(50) }),
  workstationCredential: z.string().min(16).max(200),
});
export type Enrolment = z.infer<typeof enrolmentSchema>;

const hubErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), messageZh: z.string() }) });

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string }) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

/** Exchanges the one-time code for this workstation's credential. */
export async function enrolWorkstation(hubUrl: string, code: string, fetchImpl: FetchLike = (u, i) => fetch(u, i)): Promise<Enrolment> {
  const body = JSON.stringify({ code: normaliseEnrolmentCode(code) });
  let response: Awaited<ReturnType<FetchLike>>;
  try {
    response = await fetchImpl(`${parseHubUrl(hubUrl)}/auth/enrol`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  } catch {
    throw new SetupError('hub-unreachable');
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    if (response.status >= 500) throw new SetupError('hub-unreachable');
    // The hub's errors are bilingual and meant for the user ({ error: { message, messageZh } }).
    const hub = hubErrorSchema.safeParse(json);
    throw new SetupError('code-rejected', hub.success ? { zh: hub.data.error.messageZh, en: hub.data.error.message } : undefined);
  }
  const parsed = enrolmentSchema.safeParse(json);
  if (!parsed.success) throw new SetupError('hub-bad-reply');
  return parsed.data;
}

/** Baud rates the device agent accepts, and the kinds the device step lists (core/contract/device-assignment.ts). */
export { baudRates, setupDeviceKinds };

/** One row of the device step: a port (or none) and a baud rate for each kind. */
export type DeviceChoices = Record<DeviceKind, { path: string; baudRate: number }>;

export function choicesFrom(assignments: readonly DeviceAssignment[]): DeviceChoices {
  const defaults: DeviceChoices = {
    'id-card': { path: '', baudRate: 115200 },
    'insurance-card': { path: '', baudRate: 115200 },
    barcode: { path: '', baudRate: 9600 },
    ecg: { path: '', baudRate: 115200 },
  };
  for (const a of assignments) defaults[a.kind] = { path: a.path, baudRate: a.baudRate };
  return defaults;
}

/** Puts what auto-detect found into the choices, leaving kinds it did not find as they were. */
export function applyDetection(choices: DeviceChoices, detected: readonly DetectedDevice[]): DeviceChoices {
  const next = structuredClone(choices);
  for (const d of detected) next[d.kind] = { path: d.path, baudRate: d.baudRate };
  return next;
}

/** The assignments to save: kinds with a port chosen. A port may serve one device only. */
export function assignmentsFrom(choices: DeviceChoices): DeviceAssignment[] {
  const result: DeviceAssignment[] = [];
  for (const kind of setupDeviceKinds) {
    const { path, baudRate } = choices[kind];
    if (!path) continue;
    if (!(baudRates as readonly number[]).includes(baudRate)) throw new SetupError('baud-invalid');
    result.push({ kind, path, baudRate });
  }
  return result;
}

/** Kinds that share a port with another kind (the UI marks them; saving them would fight). */
export function conflictingKinds(choices: DeviceChoices): DeviceKind[] {
  const byPath = new Map<string, DeviceKind[]>();
  for (const kind of setupDeviceKinds) {
    const { path } = choices[kind];
    if (path) byPath.set(path, [...(byPath.get(path) ?? []), kind]);
  }
  return [...byPath.values()].filter((kinds) => kinds.length > 1).flat();
}
