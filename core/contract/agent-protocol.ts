/**
 * The device agent's WebSocket protocol, declared once with zod. Pure (zod only), so a browser
 * client shares it: the browser-mode agent client, the Electron IPC relay and the agent itself.
 *
 *   client → agent  { id, method, params? }            (first message may be { type: 'auth', token })
 *   agent → client  { id, ok: true, value } | { id, ok: false, error }
 *                   { type: 'event', event }           (after a 'subscribe' call)
 */
import { z } from 'zod';
import type { ErrorCodeOf, SerializedError } from '../errors/index.ts';
import type { DeviceEvent } from './workstation-api.ts';
import { rhythms } from '../ecg/synthesis/rhythm.ts';
import { electrodes } from '../ecg/synthesis/noise.ts';
import { deviceAssignmentWireSchema, deviceKindSchema } from './device-assignment.ts';

const requestId = z.union([z.number().int().nonnegative(), z.string().min(1).max(64)]);

const assignment = deviceAssignmentWireSchema;

export const agentRequestSchema = z.discriminatedUnion('method', [
  z.object({ id: requestId, method: z.literal('app.info') }).strict(),
  z.object({ id: requestId, method: z.literal('listPorts') }).strict(),
  z.object({ id: requestId, method: z.literal('listAssignments') }).strict(),
  z.object({ id: requestId, method: z.literal('configure'), params: assignment }).strict(),
  z.object({ id: requestId, method: z.literal('autoDetect') }).strict(),
  z.object({ id: requestId, method: z.literal('subscribe') }).strict(),
  z.object({ id: requestId, method: z.literal('unsubscribe') }).strict(),
  z.object({ id: requestId, method: z.literal('simulator.listSamples') }).strict(),
  z.object({ id: requestId, method: z.literal('simulator.placeCard'), params: z.object({ sampleId: z.string().min(1).max(128) }) }).strict(),
  z.object({ id: requestId, method: z.literal('simulator.removeCard'), params: z.object({ kind: deviceKindSchema }) }).strict(),
  z.object({ id: requestId, method: z.literal('simulator.scanCode'), params: z.object({ text: z.string().min(1).max(8192) }) }).strict(),
  // ECG acquisition: start/stop the live stream (devices/ecg/PROFILE.md §3: 250/500/1000 Hz).
  z.object({ id: requestId, method: z.literal('ecg.start'), params: z.object({ sampleRateHz: z.union([z.literal(250), z.literal(500), z.literal(1000)]).optional() }).strict() }).strict(),
  z.object({ id: requestId, method: z.literal('ecg.stop') }).strict(),
  z.object({ id: requestId, method: z.literal('simulator.setEcgRhythm'), params: z.object({ rhythm: z.enum(rhythms) }).strict() }).strict(),
  z.object({ id: requestId, method: z.literal('simulator.setEcgLeadOff'), params: z.object({ electrodes: z.array(z.enum(electrodes)).max(electrodes.length) }).strict() }).strict(),
]);

export type AgentRequest = z.infer<typeof agentRequestSchema>;
export type AgentMethod = AgentRequest['method'];

export const agentAuthSchema = z.object({ type: z.literal('auth'), token: z.string().min(1).max(256) }).strict();

export type AgentReply =
  | { id: string | number | null; ok: true; value: unknown }
  | { id: string | number | null; ok: false; error: SerializedError };

export type AgentPush = { type: 'event'; event: DeviceEvent };

/** The agent's own refusals (the words are the catalogue's `agent.*`). */
export type AgentProtocolErrorCode = ErrorCodeOf<'agent'>;
