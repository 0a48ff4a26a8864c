/**
 * Validated IPC in main (after VS Code's validatedIpcMain): a handler runs only for a known,
 * prefixed channel, from a frame of the app's own origin, with a payload its zod schema accepts.
 * Every outcome is an IpcResult; a thrown DeviceError keeps its code and Chinese message.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { ipcChannels, isIpcChannel, type IpcChannel, type IpcRequest, type IpcResult } from '../../core/contract/ipc.ts';
import { ipcRequestSchemas } from '../../core/contract/ipc-schemas.ts';
import { isAppUrl } from './security.ts';

export type IpcHandlers = { [C in IpcChannel]: (request: IpcRequest<C>) => Promise<unknown> };

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
  handlers: IpcHandlers,
  appOrigin: string,
): Promise<IpcResult<unknown>> {
  if (!isIpcChannel(channel)) return failure('unknown-channel', `Unknown channel ${channel}`, '未知的调用');
  const senderUrl = event.senderFrame?.url ?? '';
  if (!isAppUrl(senderUrl, appOrigin)) return failure('forbidden-sender', 'Request from an untrusted page', '请求来自不受信任的页面');
  const parsed = ipcRequestSchemas[channel].safeParse(payload);
  if (!parsed.success) {
    return failure('invalid-request', `Invalid request: ${parsed.error.issues.map((i) => i.message).join('; ')}`, '请求内容无效');
  }
  try {
    const handler = handlers[channel] as (request: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    return toIpcError(error);
  }
}

export function registerIpcHandlers(ipcMain: IpcMain, handlers: IpcHandlers, appOrigin: string): void {
  for (const channel of ipcChannels) {
    ipcMain.handle(channel, (event, payload: unknown) => handleIpc(channel, event, payload, handlers, appOrigin));
  }
}
