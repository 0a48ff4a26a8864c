/**
 * Validated IPC in main (after VS Code's validatedIpcMain): a request is served only on a known,
 * prefixed channel, from a frame of the app's own origin, with a payload the agent method table's
 * zod schema accepts. `cw:app:info` main answers itself; every `cw:agent:<method>` is relayed to the
 * device host. Every outcome is an IpcResult; a DeviceError keeps its code and Chinese message.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { agentMethodOf, appInfoChannel, type IpcResult } from '../../core/contract/ipc.ts';
import { ipcChannelList, ipcRequestSchema } from '../../core/contract/ipc-schemas.ts';
import type { AppInfo } from '../../core/contract/workstation-api.ts';
import { isAppUrl } from './security.ts';

export interface IpcBackend {
  /** The packaged file:// UI or the dev server origin. */
  appOrigin: string;
  appInfo(): AppInfo;
  /** Sends one validated agent call to the device host and resolves with its value. */
  relay(method: string, params: unknown): Promise<unknown>;
}

const failure = (code: string, message: string, messageZh: string): IpcResult<never> => ({
  ok: false,
  error: { code, message, messageZh },
});

export function toIpcError(error: unknown): IpcResult<never> {
  if (error && typeof error === 'object' && 'code' in error && 'messageZh' in error) {
    const e = error as { code: unknown; message?: unknown; messageEn?: unknown; messageZh: unknown };
    return failure(String(e.code), String(e.messageEn ?? e.message ?? ''), String(e.messageZh));
  }
  return failure('internal', 'The workstation could not complete the request', '工作站无法完成该操作');
}

export async function handleIpc(
  channel: string,
  event: Pick<IpcMainInvokeEvent, 'senderFrame'>,
  payload: unknown,
  backend: IpcBackend,
): Promise<IpcResult<unknown>> {
  const schema = ipcRequestSchema(channel);
  if (!schema) return failure('unknown-channel', `Unknown channel ${channel}`, '未知的调用');
  const senderUrl = event.senderFrame?.url ?? '';
  if (!isAppUrl(senderUrl, backend.appOrigin)) return failure('forbidden-sender', 'Request from an untrusted page', '请求来自不受信任的页面');
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    return failure('invalid-request', `Invalid request: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, '请求内容无效');
  }
  try {
    if (channel === appInfoChannel) return { ok: true, value: backend.appInfo() };
    const value = await backend.relay(agentMethodOf(channel) as string, parsed.data);
    // Structured clone cannot carry undefined inside an `ok` result consistently; null is plain.
    return { ok: true, value: value ?? null };
  } catch (error) {
    return toIpcError(error);
  }
}

/** Registers one handler per channel: app info plus every relayed method of the agent table. */
export function registerIpcHandlers(ipcMain: Pick<IpcMain, 'handle'>, backend: IpcBackend): string[] {
  const channels = ipcChannelList();
  for (const channel of channels) {
    ipcMain.handle(channel, (event, payload: unknown) => handleIpc(channel, event, payload, backend));
  }
  return channels;
}
