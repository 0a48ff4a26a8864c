/**
 * zod schemas of every IPC request payload, derived from the device agent's method table
 * (./agent-protocol.ts) so both transports validate with one table. Only main imports this file.
 */
import { z } from 'zod';
import { agentRequestSchema } from './agent-protocol.ts';
import { agentChannelPrefix, appInfoChannel, mainOwnedAgentMethods } from './ipc.ts';

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

/** The channels main registers: app info plus one per relayed agent method. */
export const ipcChannelList = (): string[] => [appInfoChannel, ...[...agentParamsSchemas.keys()].map((m) => `${agentChannelPrefix}${m}`)];

/** The schema a channel's payload must satisfy, or undefined when the channel is not ours. */
export function ipcRequestSchema(channel: string): z.ZodType | undefined {
  if (channel === appInfoChannel) return z.undefined();
  if (!channel.startsWith(agentChannelPrefix)) return undefined;
  return agentParamsSchemas.get(channel.slice(agentChannelPrefix.length));
}
