/**
 * WorkstationApi over the local device agent's WebSocket (browser mode). The protocol is declared
 * once in core/contract/agent-protocol.ts (request methods and params are typed from it); what
 * arrives from the socket is validated here with zod before use:
 *
 *   → { type: 'auth', token }                 first message; the token never goes in a URL
 *   ← { id: null, ok: true, value: 'authenticated' }
 *   → { id, method, params? }                 app.info, listPorts, listAssignments, configure,
 *                                             subscribe, simulator.listSamples, simulator.placeCard…
 *   ← { id, ok: true, value } | { id, ok: false, error: SerializedError (core/errors) }
 *   ← { type: 'event', event }                after 'subscribe'
 *
 * Every call has a timeout; a lost connection is re-opened with doubling back-off and the event
 * subscription restored, so a restarted agent is picked up without a reload. Failures reject with an
 * AgentClientError carrying a code and a Chinese and English message.
 *
 * Written by hand: it is a small request/reply layer over the browser's own WebSocket, and the
 * JSON-RPC libraries on npm bring their own wire format, which the agent does not speak.
 */
import { z } from 'zod';
import { ReconnectPolicy } from '../../core/async/reconnect.ts';
import { Waitress } from '../../core/async/waitress.ts';
import type { AgentMethod, AgentRequest } from '../../core/contract/agent-protocol.ts';
import { serializedErrorSchema } from '../../core/errors/index.ts';
import type { AppInfo, DeviceAssignment, DeviceEvent, EcgControls, EcgElectrode, PortInfo, SimulatedEcgRhythm } from '../../core/contract/workstation-api.ts';
import type { SampleCard, SimulatorControls, WorkstationWithSimulator } from './simulator.ts';

export const agentClientErrors = {
  'agent-unreachable': { zh: '无法连接本机设备服务，正在重试', en: 'Cannot reach the device service on this computer; retrying' },
  'agent-timeout': { zh: '设备服务无响应，请稍后再试', en: 'The device service did not answer; try again shortly' },
  'agent-disconnected': { zh: '与设备服务的连接已断开，正在重新连接', en: 'The connection to the device service was lost; reconnecting' },
  'agent-unauthorized': { zh: '设备服务令牌无效，请从启动程序重新打开本页面', en: 'The device service token is not valid: open this page again from the launcher' },
  'agent-closed': { zh: '设备服务连接已关闭', en: 'The device service connection is closed' },
  'agent-bad-reply': { zh: '设备服务返回了无法识别的数据', en: 'The device service sent a reply this page cannot read' },
} as const;
export type AgentClientErrorCode = keyof typeof agentClientErrors;

export class AgentClientError extends Error {
  override readonly name = 'AgentClientError';
  constructor(
    /** One of agentClientErrors, or a code the agent sent (a DeviceErrorCode, 'bad-request'…). */
    readonly code: string,
    readonly messageZh: string,
    readonly messageEn: string,
    readonly detail?: string | undefined,
  ) {
    super(detail ? `${messageEn} (${detail})` : messageEn);
  }

  static of(code: AgentClientErrorCode, detail?: string): AgentClientError {
    return new AgentClientError(code, agentClientErrors[code].zh, agentClientErrors[code].en, detail);
  }
}

const replySchema = z.union([
  z.object({ id: z.union([z.number(), z.string(), z.null()]), ok: z.literal(true), value: z.unknown() }),
  z.object({ id: z.union([z.number(), z.string(), z.null()]), ok: z.literal(false), error: serializedErrorSchema }),
]);
// The payload inside is validated where it is used (registration checks cards with their own schemas).
const pushSchema = z.object({ type: z.literal('event'), event: z.looseObject({ type: z.string() }) });
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

const OPEN = 1;

export function createAgentClient(options: AgentClientOptions): AgentClient {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const callTimeoutMs = options.callTimeoutMs ?? 10_000;
  const { initialMs, maxMs } = options.reconnect ?? { initialMs: 500, maxMs: 15_000 };

  let socket: SocketLike | undefined;
  let authenticated = false;
  let state: ConnectionState = 'connecting';
  let nextId = 1;
  const reconnect = new ReconnectPolicy({ initialMs, maxMs });
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let closedByUser = false;
  /** Replies awaited, by call id; and each call's frame, sent once the socket is authenticated. */
  const replies = new Waitress<number, unknown>();
  const outbox = new Map<number, { frame: string; sent: boolean }>();
  const eventListeners = new Set<(e: DeviceEvent) => void>();
  const stateListeners = new Set<(s: ConnectionState) => void>();

  const setState = (next: ConnectionState) => {
    if (state === next) return;
    state = next;
    stateListeners.forEach((l) => l(next));
  };

  const flush = () => {
    if (!socket || socket.readyState !== OPEN || !authenticated) return;
    for (const call of outbox.values()) {
      if (!call.sent) {
        socket.send(call.frame);
        call.sent = true;
      }
    }
  };

  type ParamsOf<M extends AgentMethod> = Extract<AgentRequest, { method: M }> extends { params: infer P } ? P : undefined;
  const call = <M extends AgentMethod>(method: M, ...[params]: ParamsOf<M> extends undefined ? [] : [ParamsOf<M>]): Promise<unknown> => {
    if (closedByUser) return Promise.reject(AgentClientError.of('agent-closed'));
    const id = nextId++;
    const reply = replies
      .wait(id, callTimeoutMs, () => AgentClientError.of(state === 'connected' ? 'agent-timeout' : 'agent-unreachable', method))
      .finally(() => outbox.delete(id));
    outbox.set(id, { frame: JSON.stringify(params === undefined ? { id, method } : { id, method, params }), sent: false });
    flush();
    return reply;
  };

  const onMessage = (raw: unknown) => {
    let message: unknown;
    try {
      message = JSON.parse(String(raw));
    } catch {
      return; // not JSON: ignored, as the agent ignores ours
    }
    const push = pushSchema.safeParse(message);
    if (push.success) {
      const event = push.data.event as unknown as DeviceEvent;
      eventListeners.forEach((l) => l(event));
      return;
    }
    const reply = replySchema.safeParse(message);
    if (!reply.success) return;
    const r = reply.data;
    if (r.id === null) {
      if (r.ok && r.value === 'authenticated') {
        authenticated = true;
        reconnect.reset();
        setState('connected');
        if (eventListeners.size > 0) void call('subscribe').catch(() => undefined);
        flush();
      } else if (!r.ok && r.error.code === 'unauthorized') {
        setState('unauthorized');
      }
      return;
    }
    if (typeof r.id !== 'number') return;
    if (r.ok) replies.resolve(r.id, r.value);
    else replies.reject(r.id, new AgentClientError(r.error.code, r.error.messageZh, r.error.message, r.error.detail ?? undefined));
  };

  const connect = () => {
    if (closedByUser) return;
    authenticated = false;
    setState('connecting');
    let s: SocketLike;
    try {
      s = createSocket(options.url);
    } catch {
      return scheduleReconnect();
    }
    socket = s;
    s.onopen = () => s.send(JSON.stringify({ type: 'auth', token: options.token }));
    s.onmessage = (e) => onMessage(e.data);
    s.onerror = () => undefined; // onclose follows and decides
    s.onclose = (e) => {
      if (socket !== s) return;
      socket = undefined;
      authenticated = false;
      // Calls already sent will never be answered on this socket; unsent ones wait for the next.
      for (const [id, c] of outbox) if (c.sent) replies.reject(id, AgentClientError.of('agent-disconnected'));
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
      replies.rejectAll(AgentClientError.of('agent-closed'));
      outbox.clear();
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
