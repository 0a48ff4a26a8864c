/**
 * The Electron IPC contract: channel names (all prefixed, so main can refuse anything else) and the
 * zod schema of each request payload, declared once for main and preload. Results cross the process
 * boundary as `{ ok: true, value } | { ok: false, error }` (Signal Desktop's shape), never as thrown
 * exceptions, so the renderer always gets a message it can show.
 */
import { z } from 'zod';

export const ipcChannelPrefix = 'cw:';

const deviceKind = z.enum(['id-card', 'insurance-card', 'barcode', 'ecg']);

export const ipcRequestSchemas = {
  'cw:app:info': z.undefined(),
  'cw:devices:list-ports': z.undefined(),
  'cw:devices:list-assignments': z.undefined(),
  'cw:devices:configure': z
    .object({
      kind: deviceKind,
      path: z.string().min(1).max(260),
      baudRate: z.number().int().min(1200).max(921_600),
      options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    })
    .strict(),
} as const;

export type IpcChannel = keyof typeof ipcRequestSchemas;
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
  channel.startsWith(ipcChannelPrefix) && Object.hasOwn(ipcRequestSchemas, channel);
