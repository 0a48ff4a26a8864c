/**
 * The Electron IPC contract, shared by main and preload. Channels are all prefixed with `cw:` so
 * main can refuse anything else (VS Code's validatedIpcMain), and the device channels are derived
 * from the device agent's own method table (./agent-protocol.ts): `cw:agent:<method>` for every
 * agent method, so the WebSocket server (browser mode) and the IPC relay (desktop app) validate with
 * one schema table and a new agent method is relayed without edits here or in main.
 *
 * Results cross the process boundary as `{ ok: true, value } | { ok: false, error }` (Signal
 * Desktop's shape), never as thrown exceptions, so the renderer always gets a message it can show.
 * This file imports zod and the agent table as types only: the sandboxed preload stays free of zod.
 * Main validates payloads with ./ipc-schemas.ts.
 */
import type { AgentMethod, AgentRequest } from './agent-protocol.ts';
import type { SerializedError } from '../errors/index.ts';

export const ipcChannelPrefix = 'cw:';
export const agentChannelPrefix = 'cw:agent:';

/** Answered by main itself: the shell's own facts (it knows it is Electron, where the hub is). */
export const appInfoChannel = 'cw:app:info';

/**
 * Agent methods main does not relay as calls: main answers app.info itself, and it holds the one
 * subscription to the device host, pushing every event to the window on deviceEventChannel.
 */
export const mainOwnedAgentMethods = ['app.info', 'subscribe', 'unsubscribe'] as const;
export type RelayedAgentMethod = Exclude<AgentMethod, (typeof mainOwnedAgentMethods)[number]>;

export type AgentChannel<M extends RelayedAgentMethod = RelayedAgentMethod> = `${typeof agentChannelPrefix}${M}`;
/** Channels main answers itself (not the device host): files, printing, settings. */
export const mainChannels = {
  /** The preload's ECG-file listener is ready: main answers with the files held since launch. */
  openEcgFileReady: 'cw:files:open-ecg-ready',
  listPrinters: 'cw:printing:list',
  print: 'cw:printing:print',
  getSettings: 'cw:settings:get',
  updateSettings: 'cw:settings:update',
} as const;
export type MainChannel = (typeof mainChannels)[keyof typeof mainChannels];

/** Main → renderer push channel for ECG files opened from the OS (after the ready call). */
export const openEcgFileChannel = 'cw:files:open-ecg';

export type IpcChannel = typeof appInfoChannel | AgentChannel | MainChannel;

/** The params the agent method takes (undefined when it takes none). */
export type AgentParams<M extends AgentMethod> = Extract<AgentRequest, { method: M }> extends { params: infer P } ? P : undefined;

export const agentChannel = <M extends RelayedAgentMethod>(method: M): AgentChannel<M> => `${agentChannelPrefix}${method}`;

/** The agent method a channel relays, or undefined for anything that is not an agent channel. */
export const agentMethodOf = (channel: string): string | undefined =>
  channel.startsWith(agentChannelPrefix) ? channel.slice(agentChannelPrefix.length) : undefined;

/** Main → renderer push channel for device events. */
export const deviceEventChannel = 'cw:devices:event';

/** A failed call: the one serialised error shape (core/errors). */
export type IpcError = SerializedError;

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** How long the preload waits for main before it reports a timeout. */
export const ipcTimeoutMs = 10_000;

/**
 * Calls that legitimately take longer: auto-detect probes every free port with every family's
 * command, one at a time (400 ms each by default), so a PC with eight ports needs ~13 s.
 */
const slowCallTimeoutsMs: Partial<Record<string, number>> = { autoDetect: 60_000 };

/** Printing may wait on the system print dialog, where a nurse can take her time. */
const printTimeoutMs = 10 * 60_000;

/** The preload's timeout for a channel. */
export const ipcTimeoutFor = (channel: string): number =>
  channel === mainChannels.print ? printTimeoutMs : (slowCallTimeoutsMs[agentMethodOf(channel) ?? ''] ?? ipcTimeoutMs);

/**
 * Main's timeout for relaying one agent call to the device host: shorter than the preload's, so a
 * hung device host is reported by main as a DeviceError ('timeout') rather than a bare IPC timeout.
 */
export const relayTimeoutFor = (method: string): number => (slowCallTimeoutsMs[method] ?? ipcTimeoutMs) - 1_000;
