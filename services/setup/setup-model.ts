/**
 * The first-run wizard's logic (首次运行向导), apart from React: checking the hub address,
 * enrolling the workstation with the one-time code (POST /auth/enrol on the hub, sync/hub/README.md)
 * and turning auto-detect results into device assignments. Every failure is a SetupError with a
 * Chinese and an English message; nothing is saved until a step succeeds.
 */
import { z } from 'zod';
import type { DetectedDevice, DeviceAssignment, DeviceKind } from '../../core/contract/workstation-api.ts';
import { deviceKinds as setupDeviceKinds, serialBaudRates as baudRates } from '../../core/contract/device-assignment.ts';

export const setupErrors = {
  'hub-url-invalid': { zh: '请输入以 http:// 或 https:// 开头的县级平台地址', en: 'Enter the county hub address, starting with http:// or https://' },
  'hub-url-credentials': { zh: '地址中不能包含用户名或密码', en: 'The address must not contain a user name or password' },
  'code-invalid': { zh: '注册码应为 12 位字母或数字（如 ABCD-EFGH-JKLM）', en: 'The enrolment code has 12 letters or digits (e.g. ABCD-EFGH-JKLM)' },
  'code-rejected': { zh: '注册码无效、已使用或已过期，请向管理员重新申请', en: 'The enrolment code is invalid, used or expired: ask the administrator for a new one' },
  'hub-unreachable': { zh: '无法连接县级平台，请检查地址和网络', en: 'Cannot reach the county hub: check the address and the network' },
  'hub-bad-reply': { zh: '县级平台返回了无法识别的数据', en: 'The county hub sent a reply the workstation cannot read' },
  'baud-invalid': { zh: '请选择有效的波特率', en: 'Choose a valid baud rate' },
} as const;
export type SetupErrorCode = keyof typeof setupErrors;

export class SetupError extends Error {
  override readonly name = 'SetupError';
  readonly messageZh: string;
  readonly messageEn: string;
  constructor(
    readonly code: SetupErrorCode,
    /** The hub's own message, when it sent one. */
    hubMessage?: { zh: string; en: string },
  ) {
    super(hubMessage?.en ?? setupErrors[code].en);
    this.messageZh = hubMessage?.zh ?? setupErrors[code].zh;
    this.messageEn = hubMessage?.en ?? setupErrors[code].en;
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
