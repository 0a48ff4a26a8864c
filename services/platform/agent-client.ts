/**
 * WorkstationApi over the local device agent's WebSocket (browser mode). The protocol is declared
 * once in core/contract/agent-protocol.ts (request methods and params are typed from it) and spoken
 * by the one client of it, core/contract/agent-protocol-client.ts, which the Electron device host
 * uses too (authentication, call ids, replies with timeouts, zod on arrival):
 *
 *   → { type: 'auth', token }                 first message; the token never goes in a URL
 *   ← { id: null, ok: true, value: 'authenticated' }
 *   → { id, method, params? }                 app.info, listPorts, listAssignments, configure,
 *                                             subscribe, simulator.listSamples, simulator.placeCard…
 *   ← { id, ok: true, value } | { id, ok: false, error: SerializedError (core/errors) }
 *   ← { type: 'event', event }                after 'subscribe'
 *
 * This file adds the browser's part: the WebSocket, re-opened with doubling back-off after a lost
 * connection with the event subscription restored (a restarted agent is picked up without a
 * reload), and the WorkstationApi methods. Failures reject with an AgentClientError carrying a code
 * and a Chinese and English message.
 *
 * Written by hand: the JSON-RPC libraries on npm bring their own wire format, which the agent does
 * not speak.
 */
import { z } from 'zod';
import { ReconnectPolicy } from '../../core/async/reconnect.ts';
import { AgentProtocolClient, type AgentParams, type AgentRemoteError } from '../../core/contract/agent-protocol-client.ts';
import type { AgentMethod } from '../../core/contract/agent-protocol.ts';
import { CodedError, relayed, type ErrorCodeOf, type RelayedError } from '../../core/errors/index.ts';
import type { AppInfo, DeviceAssignment, DeviceEvent, EcgControls, EcgElectrode, PortInfo, SimulatedEcgRhythm } from '../../core/contract/workstation-api.ts';
import type { SampleCard, SimulatorControls, WorkstationWithSimulator } from './simulator.ts';

/** This side's failures: the catalogue's `agentClient.*` (core/errors). */
export type AgentClientErrorCode = Exclude<ErrorCodeOf<'agentClient'>, 'agent-refused'>;

/**
 * A call that failed: `code` is one of AgentClientErrorCode, or the code the agent sent (a
 * DeviceErrorCode, 'bad-request'…) with its key and words as they arrived.
 */
export class AgentClientError extends CodedError {
  override readonly name = 'AgentClientError';

  private constructor({ key, params, options }: RelayedError) {
    super(key, params as never, options);
  }

  static of(code: AgentClientErrorCode, detail?: string): AgentClientError {
    return new AgentClientError({ key: `agentClient.${code}`, params: {}, options: { detail } });
  }

  /** The agent's refusal, relayed (under `agentClient.agent-refused` when its key is not this catalogue's). */
  static refused(error: AgentRemoteError): AgentClientError {
    return new AgentClientError(relayed(error, 'agentClient.agent-refused'));
  }
}

const sampleSchema = z.array(z.object({ id: z.string(), kind: z.string().optional(), label: z.object({ zh: z.string(), en: z.string() }) }));

/** The part of the browser WebSocket the client uses, so tests can pass a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'unauthorized' | 'closed';

export interface AgentClientOptions {
  url: string;
  token: string;
  /** What app.info answers: the page's own runtime config knows the hub and demo mode. */
  info: AppInfo;
  createSocket?: (url: string) => SocketLike;
  callTimeoutMs?: number;
  reconnect?: { initialMs: number; maxMs: number };
}

/** The demo ECG front end's controls, beside the card controls (demo mode only). */
export interface EcgSimulatorControls {
  setEcgRhythm(rhythm: SimulatedEcgRhythm): Promise<void>;
  setEcgLeadOff(electrodes: EcgElectrode[]): Promise<void>;
}

export interface AgentClient extends WorkstationWithSimulator {
  readonly devices: WorkstationWithSimulator['devices'] & { readonly ecg: EcgControls };
  readonly simulator: SimulatorControls & EcgSimulatorControls;
  readonly connection: ConnectionState;
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}


export function createAgentClient(options: AgentClientOptions): AgentClient {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const callTimeoutMs = options.callTimeoutMs ?? 10_000;
  const { initialMs, maxMs } = options.reconnect ?? { initialMs: 500, maxMs: 15_000 };

  let socket: SocketLike | undefined;
  let state: ConnectionState = 'connecting';
  const reconnect = new ReconnectPolicy({ initialMs, maxMs });
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let closedByUser = false;
  const eventListeners = new Set<(e: DeviceEvent) => void>();
  const stateListeners = new Set<(s: ConnectionState) => void>();

  const setState = (next: ConnectionState) => {
    if (state === next) return;
    state = next;
    stateListeners.forEach((l) => l(next));
  };

  const protocol = new AgentProtocolClient({
    onAuthenticated() {
      reconnect.reset();
      setState('connected');
    },
    wantsEvents: () => eventListeners.size > 0,
    onUnauthorized: () => setState('unauthorized'),
    onEvent: (event) => eventListeners.forEach((l) => l(event)),
    refused: (error) => AgentClientError.refused(error),
  });

  const call = <M extends AgentMethod>(method: M, ...[params]: AgentParams<M> extends undefined ? [] : [AgentParams<M>]): Promise<unknown> => {
    if (closedByUser) return Promise.reject(AgentClientError.of('agent-closed'));
    return protocol.call(method, params, callTimeoutMs, () => AgentClientError.of(state === 'connected' ? 'agent-timeout' : 'agent-unreachable', method));
  };

  const connect = () => {
    if (closedByUser) return;
    setState('connecting');
    let s: SocketLike;
    try {
      s = createSocket(options.url);
    } catch {
      return scheduleReconnect();
    }
    socket = s;
    s.onopen = () => protocol.opened((frame) => s.send(frame), options.token);
    s.onmessage = (e) => {
      if (socket === s) protocol.received(e.data);
    };
    s.onerror = () => undefined; // onclose follows and decides
    s.onclose = (e) => {
      if (socket !== s) return;
      socket = undefined;
      // Calls already sent will never be answered on this socket; unsent ones wait for the next.
      protocol.closed(AgentClientError.of('agent-disconnected'));
      if (closedByUser) return setState('closed');
      // 4401: the agent refused the token. A new token comes only with a new page from the launcher.
      if (e.code === 4401 || state === 'unauthorized') return setState('unauthorized');
      setState('disconnected');
      scheduleReconnect();
    };
  };

  const scheduleReconnect = () => {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, reconnect.nextDelayMs());
  };

  connect();

  return {
    get connection() {
      return state;
    },
    onConnectionChange(listener) {
      stateListeners.add(listener);
      return () => void stateListeners.delete(listener);
    },
    close() {
      closedByUser = true;
      clearTimeout(retryTimer);
      protocol.rejectAll(AgentClientError.of('agent-closed'));
      socket?.close(1000, 'closed');
      setState('closed');
    },
    app: { info: async () => options.info },
    devices: {
      listPorts: async () => (await call('listPorts')) as PortInfo[],
      listAssignments: async () => (await call('listAssignments')) as DeviceAssignment[],
      configure: async (assignment) => void (await call('configure', assignment)),
      subscribe(listener) {
        const first = eventListeners.size === 0;
        eventListeners.add(listener);
        if (first) void call('subscribe').catch(() => undefined);
        return () => {
          eventListeners.delete(listener);
          if (eventListeners.size === 0 && !closedByUser) void call('unsubscribe').catch(() => undefined);
        };
      },
      ecg: {
        start: async (options = {}) => void (await call('ecg.start', options.sampleRateHz === undefined ? {} : { sampleRateHz: options.sampleRateHz })),
        stop: async () => void (await call('ecg.stop')),
      },
    },
    simulator: {
      async listSampleCards(): Promise<SampleCard[]> {
        const parsed = sampleSchema.safeParse(await call('simulator.listSamples'));
        if (!parsed.success) throw AgentClientError.of('agent-bad-reply', 'simulator.listSamples');
        return parsed.data;
      },
      placeCard: async (sampleId) => void (await call('simulator.placeCard', { sampleId })),
      removeCard: async (kind) => void (await call('simulator.removeCard', { kind })),
      setEcgRhythm: async (rhythm) => void (await call('simulator.setEcgRhythm', { rhythm })),
      setEcgLeadOff: async (electrodes) => void (await call('simulator.setEcgLeadOff', { electrodes })),
    },
  };
}
