/**
 * zod schemas of every IPC request payload, derived from the device agent's method table
 * (./agent-protocol.ts) so both transports validate with one table. Only main imports this file.
 */
import { z } from 'zod';
import { agentRequestSchema } from './agent-protocol.ts';
import { agentChannelPrefix, appInfoChannel, mainChannels, mainOwnedAgentMethods } from './ipc.ts';
import { settingsPatchSchema } from './settings-schema.ts';

const mainOwned = new Set<string>(mainOwnedAgentMethods);

/** Every relayed agent method with the schema of its params (z.undefined() when it takes none). */
export const agentParamsSchemas: ReadonlyMap<string, z.ZodType> = new Map(
  agentRequestSchema.options
    .map((option) => {
      const shape = option.shape as { method: z.ZodLiteral<string>; params?: z.ZodType };
      return [shape.method.value, shape.params ?? z.undefined()] as const;
    })
    .filter(([method]) => !mainOwned.has(method)),
);

/** Payloads of the channels main answers itself. */
export const mainChannelSchemas: ReadonlyMap<string, z.ZodType> = new Map<string, z.ZodType>([
  [appInfoChannel, z.undefined()],
  [mainChannels.openEcgFileReady, z.undefined()],
  [mainChannels.listPrinters, z.undefined()],
  [
    mainChannels.print,
    z
      .object({ layout: z.enum(['ticket', 'report']).optional(), copies: z.number().int().min(1).max(20).optional() })
      .strict()
      .optional(),
  ],
  [mainChannels.getSettings, z.undefined()],
  [mainChannels.updateSettings, settingsPatchSchema],
]);

/** The channels main registers: its own, plus one per relayed agent method. */
export const ipcChannelList = (): string[] => [...mainChannelSchemas.keys(), ...[...agentParamsSchemas.keys()].map((m) => `${agentChannelPrefix}${m}`)];

/** The schema a channel's payload must satisfy, or undefined when the channel is not ours. */
export function ipcRequestSchema(channel: string): z.ZodType | undefined {
  const own = mainChannelSchemas.get(channel);
  if (own) return own;
  if (!channel.startsWith(agentChannelPrefix)) return undefined;
  return agentParamsSchemas.get(channel.slice(agentChannelPrefix.length));
}
