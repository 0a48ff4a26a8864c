/**
 * The Electron IPC contract: channel names (all prefixed, so main can refuse anything else), result
 * shape and timeouts, shared by main and preload. Results cross the process boundary as
 * `{ ok: true, value } | { ok: false, error }` (Signal Desktop's shape), never as thrown exceptions,
 * so the renderer always gets a message it can show. The payload schemas are in ./ipc-schemas.ts,
 * which only main imports: the sandboxed preload stays small and free of zod.
 */
import type { z } from 'zod';
import type { ipcRequestSchemas } from './ipc-schemas.ts';

export const ipcChannelPrefix = 'cw:';

export const ipcChannels = ['cw:app:info', 'cw:devices:list-ports', 'cw:devices:list-assignments', 'cw:devices:configure'] as const;

export type IpcChannel = (typeof ipcChannels)[number];
export type IpcRequest<C extends IpcChannel> = z.infer<(typeof ipcRequestSchemas)[C]>;

/** Main → renderer push channel for device events. */
export const deviceEventChannel = 'cw:devices:event';

export interface IpcError {
  code: string;
  message: string;
  messageZh: string;
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** How long the preload waits for main before it reports a timeout. */
export const ipcTimeoutMs = 10_000;

export const isIpcChannel = (channel: string): channel is IpcChannel =>
  channel.startsWith(ipcChannelPrefix) && (ipcChannels as readonly string[]).includes(channel);
