/**
 * The device agent over a local WebSocket (browser mode): bound to 127.0.0.1 only, a random
 * per-session token required (in the URL `?token=` or as the first message), every message
 * validated with zod, every call answered `{ id, ok, value | error }`. Patient data flows only to
 * authenticated sockets and is never logged.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { DeviceError, isDeviceError } from '../../core/contract/device-error.ts';
import type { AppInfo, DeviceEvent } from '../../core/contract/workstation-api.ts';
import { DeviceAgent, type DeviceAgentOptions } from './agent.ts';
import { agentAuthSchema, agentRequestSchema, type AgentProtocolErrorCode, type AgentReply, type AgentRequest } from '../../core/contract/agent-protocol.ts';
import { CodedError, type SerializedError } from '../../core/errors/index.ts';

export interface DeviceAgentServerOptions extends Omit<DeviceAgentOptions, 'configDir' | 'demo'> {
  configDir: string;
  demo: boolean;
  /** 0 or absent: a free port. */
  port?: number;
  /** Seconds a socket may stay unauthenticated. */
  authTimeoutMs?: number;
  appInfo?: Partial<AppInfo>;
}

export interface DeviceAgentServer {
  /** ws://127.0.0.1:PORT (add ?token=… or send { type: 'auth', token } first). */
  url: string;
  token: string;
  agent: DeviceAgent;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 64 * 1024;

export async function startDeviceAgentServer(options: DeviceAgentServerOptions): Promise<DeviceAgentServer> {
  const { port = 0, authTimeoutMs = 5000, appInfo, ...agentOptions } = options;
  const agent = new DeviceAgent(agentOptions);
  await agent.start();
  const token = randomBytes(32).toString('base64url');
  const info: AppInfo = { name: 'Clinic Workstation', version: '0.1.0', shell: 'browser', demo: options.demo, hubUrl: '', ...appInfo };

  const server = new WebSocketServer({ host: '127.0.0.1', port, maxPayload: MAX_MESSAGE_BYTES });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  if (typeof address === 'string' || !address) throw new Error('device agent server has no TCP address');

  server.on('connection', (socket, request) => serveSocket(socket, request, { agent, token, info, authTimeoutMs }));

  return {
    url: `ws://127.0.0.1:${address.port}`,
    token,
    agent,
    async close() {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await agent.close();
    },
  };
}

function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function protocolError(code: AgentProtocolErrorCode, detail?: string): SerializedError {
  return new CodedError(`agent.${code}`, {}, { detail }).toJSON();
}

function serveSocket(
  socket: WebSocket,
  request: IncomingMessage,
  context: { agent: DeviceAgent; token: string; info: AppInfo; authTimeoutMs: number },
): void {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  let authenticated = tokenMatches(context.token, url.searchParams.get('token'));
  if (!authenticated && url.searchParams.has('token')) {
    socket.send(JSON.stringify({ id: null, ok: false, error: protocolError('unauthorized') } satisfies AgentReply));
    socket.close(4401, 'unauthorized');
    return;
  }
  const authTimer = authenticated ? undefined : setTimeout(() => socket.close(4401, 'unauthorized'), context.authTimeoutMs);
  let unsubscribe: (() => void) | undefined;
  const send = (message: AgentReply | { type: 'event'; event: DeviceEvent }) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };

  socket.on('close', () => {
    clearTimeout(authTimer);
    unsubscribe?.();
  });

  socket.on('message', (data, isBinary) => {
    let message: unknown;
    try {
      if (isBinary) throw new Error('binary frame');
      message = JSON.parse(data.toString());
    } catch {
      return send({ id: null, ok: false, error: protocolError('bad-request', 'not a JSON text message') });
    }
    if (!authenticated) {
      const auth = agentAuthSchema.safeParse(message);
      if (auth.success && tokenMatches(context.token, auth.data.token)) {
        authenticated = true;
        clearTimeout(authTimer);
        return send({ id: null, ok: true, value: 'authenticated' });
      }
      send({ id: null, ok: false, error: protocolError('unauthorized') });
      socket.close(4401, 'unauthorized');
      return;
    }
    const parsed = agentRequestSchema.safeParse(message);
    if (!parsed.success) {
      const id = typeof message === 'object' && message && 'id' in message && (typeof message.id === 'number' || typeof message.id === 'string') ? message.id : null;
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`).join('; ');
      return send({ id, ok: false, error: protocolError('bad-request', detail) });
    }
    const call = parsed.data;
    handle(call, context, {
      subscribe: () => {
        unsubscribe ??= context.agent.subscribe((event) => send({ type: 'event', event }));
      },
      unsubscribe: () => {
        unsubscribe?.();
        unsubscribe = undefined;
      },
    }).then(
      (value) => send({ id: call.id, ok: true, value: value ?? null }),
      (e: unknown) =>
        send({ id: call.id, ok: false, error: isDeviceError(e) ? e.toJSON() : protocolError('internal', e instanceof Error ? e.message : undefined) }),
    );
  });
}

async function handle(
  call: AgentRequest,
  { agent, info }: { agent: DeviceAgent; info: AppInfo },
  events: { subscribe(): void; unsubscribe(): void },
): Promise<unknown> {
  const simulator = () => {
    if (!agent.simulator) throw new DeviceError('not-configured', 'simulator controls exist only in demo mode');
    return agent.simulator;
  };
  switch (call.method) {
    case 'app.info':
      return info;
    case 'listPorts':
      return agent.listPorts();
    case 'listAssignments':
      return agent.listAssignments();
    case 'configure':
      return agent.configure(call.params);
    case 'autoDetect':
      return agent.autoDetect();
    case 'subscribe':
      return events.subscribe();
    case 'unsubscribe':
      return events.unsubscribe();
    case 'simulator.listSamples':
      return simulator().listSamples();
    case 'simulator.placeCard':
      return simulator().placeCard(call.params.sampleId);
    case 'simulator.removeCard':
      return simulator().removeCard(call.params.kind);
    case 'simulator.scanCode':
      return simulator().scanCode?.(call.params.text);
    case 'ecg.start':
      return agent.ecg.start(call.params);
    case 'ecg.stop':
      return agent.ecg.stop();
    case 'simulator.setEcgRhythm':
      return simulator().setEcgRhythm?.(call.params.rhythm);
    case 'simulator.setEcgLeadOff':
      return simulator().setEcgLeadOff?.(call.params.electrodes);
  }
}
