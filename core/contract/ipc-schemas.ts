/** zod schemas of every IPC request payload; main validates each request against its channel's. */
import { z } from 'zod';
import type { IpcChannel } from './ipc.ts';

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
} as const satisfies Record<IpcChannel, z.ZodType>;
