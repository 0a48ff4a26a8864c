/**
 * The device host: the DeviceAgent (serial drivers, simulators) runs in an Electron utilityProcess,
 * never in main (docs/style.md, "Main is wiring"; Actual Budget forks its backend the same way). A driver
 * that crashes or blocks takes down only that process; main restarts it with back-off, and the new
 * host reloads the saved device assignments from disk, so nothing is lost.
 *
 * How messages flow:
 *   renderer ─ipcRenderer.invoke('cw:agent:<method>')→ main (prefix, sender origin, zod: ipc.ts)
 *   main ─WebSocket on 127.0.0.1, per-start random token→ utility process: the same agent server
 *        browser mode uses (devices/agent/ws-server.ts), which validates again with the same table
 *   utility process ─{ id, ok, value | error }→ main ─IpcResult→ preload → renderer
 *   device events: agent ─{ type: 'event' }→ main (one subscription) ─webContents.send(
 *        'cw:devices:event')→ preload → renderer listeners
 * The utility process tells main the server's address and token once, over its parentPort
 * ({ type: 'ready', url, token }); the token never reaches the renderer. Reusing the agent server
 * (instead of a second dispatcher over parentPort) means one implementation serves both shells and
 * an agent method added there is relayed with no edit in electron/. Main speaks to it through the
 * same protocol client as the browser (core/contract/agent-protocol-client.ts); this file adds the
 * supervision: spawning, readiness, restarts with back-off.
 */
import { z } from 'zod';
import { AgentProtocolClient, type AgentRemoteError } from '../../core/contract/agent-protocol-client.ts';
import type { AgentMethod } from '../../core/contract/agent-protocol.ts';
import { DeviceError } from '../../core/contract/device-error.ts';
import { relayTimeoutFor } from '../../core/contract/ipc.ts';
import type { DeviceEvent } from '../../core/contract/workstation-api.ts';
import { deviceKinds } from '../../core/contract/device-assignment.ts';
import { CodedError, relayed } from '../../core/errors/index.ts';

/** The part of Electron's UtilityProcess the host supervisor uses (tests pass a fake). */
export interface HostProcess {
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

/** The part of a `ws` client socket the supervisor uses. */
export interface HostSocket {
  send(data: string): void;
  close(): void;
  on(event: 'open' | 'close', listener: () => void): unknown;
  on(event: 'message', listener: (data: unknown) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface DeviceHostOptions {
  spawn(): HostProcess;
  connect(url: string): HostSocket;
  /** Every device event, for main to push to the window. */
  onEvent(event: DeviceEvent): void;
  /** One line per lifecycle change (no patient data: only codes and counts). */
  log?(line: string): void;
  /** Pause before each restart; the last value repeats. */
  restartDelaysMs?: readonly number[];
  /** A host that stays up this long has its crash count reset. */
  stableAfterMs?: number;
  /** How long a starting host may take to say it is ready. */
  readyTimeoutMs?: number;
  callTimeoutMs?: (method: string) => number;
}

export type DeviceHostState = 'starting' | 'ready' | 'restarting' | 'stopped';

const readyMessage = z.object({ type: z.literal('ready'), url: z.string().regex(/^ws:\/\/127\.0\.0\.1:\d+$/), token: z.string().min(16).max(256) });

/** An error the agent reported, relayed with its code, key, parameters and words (core/errors). */
export class AgentCallError extends CodedError {
  override readonly name = 'AgentCallError';
  constructor(error: AgentRemoteError) {
    const { key, params, options } = relayed(error, 'agentClient.agent-refused');
    super(key, params as never, options);
  }
}


export class DeviceHost {
  readonly #options: Required<Omit<DeviceHostOptions, 'log'>> & { log(line: string): void };
  #state: DeviceHostState = 'stopped';
  #process: HostProcess | undefined;
  #socket: HostSocket | undefined;
  #crashes = 0;
  #timers = new Set<ReturnType<typeof setTimeout>>();
  /** Calls made before the host is ready wait in it until the host's socket is accepted. */
  readonly #agent: AgentProtocolClient;

  constructor(options: DeviceHostOptions) {
    this.#options = {
      log: () => undefined,
      restartDelaysMs: [1_000, 2_000, 5_000, 10_000, 30_000],
      stableAfterMs: 60_000,
      readyTimeoutMs: 15_000,
      callTimeoutMs: relayTimeoutFor,
      ...options,
    };
    this.#agent = new AgentProtocolClient({
      onAuthenticated: () => {
        this.#state = 'ready';
        this.#options.log('device host ready');
      },
      wantsEvents: () => true,
      onEvent: (event) => this.#options.onEvent(event),
      onUnreadable: () => this.#options.log('device host sent a message main cannot read'),
      refused: (error) => new AgentCallError(error),
    });
  }

  get state(): DeviceHostState {
    return this.#state;
  }

  /** How many times the host has crashed since it last ran stably. */
  get crashes(): number {
    return this.#crashes;
  }

  start(): void {
    if (this.#state !== 'stopped') return;
    this.#spawn();
  }

  stop(): void {
    this.#state = 'stopped';
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    const closing = new DeviceError('device-host-unavailable', 'the app is closing');
    this.#teardown(closing);
    this.#agent.rejectAll(closing);
    this.#process?.kill();
    this.#process = undefined;
  }

  /**
   * Relays one agent call (method and params were validated by ipc.ts); rejects with a DeviceError or
   * AgentCallError, never hangs. A call made while the host starts or restarts waits for it within
   * the same time.
   */
  async call(method: string, params?: unknown): Promise<unknown> {
    if (this.#state === 'stopped') throw new DeviceError('device-host-unavailable');
    const waitedFor = this.#state === 'restarting' ? 'device-host-down' : 'timeout';
    return this.#agent.call(method as AgentMethod, params as never, this.#options.callTimeoutMs(method), (sent) =>
      sent ? new DeviceError('timeout', `device host did not answer ${method}`) : new DeviceError(waitedFor, 'device host not ready'),
    );
  }

  #later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      run();
    }, ms);
    this.#timers.add(timer);
  }

  #spawn(): void {
    this.#state = this.#crashes === 0 ? 'starting' : 'restarting';
    const child = this.#options.spawn();
    this.#process = child;
    const spawnedAt = Date.now();
    let readyInTime = false;
    this.#later(this.#options.readyTimeoutMs, () => {
      if (this.#process === child && !readyInTime) {
        this.#options.log('device host did not become ready; killing it');
        child.kill();
      }
    });
    child.on('message', (message) => {
      if (this.#process !== child) return;
      const ready = readyMessage.safeParse(message);
      if (!ready.success) return;
      readyInTime = true;
      this.#attach(ready.data.url, ready.data.token, child);
    });
    child.on('exit', (code) => {
      if (this.#process !== child) return;
      this.#process = undefined;
      if (this.#state === 'stopped') return;
      if (Date.now() - spawnedAt >= this.#options.stableAfterMs) this.#crashes = 0;
      this.#crashes += 1;
      const delays = this.#options.restartDelaysMs;
      const delay = delays[Math.min(this.#crashes - 1, delays.length - 1)] ?? 1_000;
      this.#options.log(`device host exited (code ${code}); restart ${this.#crashes} in ${delay} ms`);
      this.#state = 'restarting';
      const error = new DeviceError('device-host-down', `exit code ${code}`);
      this.#teardown(error);
      for (const kind of deviceKinds) this.#options.onEvent({ type: 'status', kind, status: 'error', error: error.toJSON() });
      this.#later(delay, () => {
        if (this.#state === 'restarting') this.#spawn();
      });
    });
  }

  #attach(url: string, token: string, child: HostProcess): void {
    const socket = this.#options.connect(url);
    this.#socket = socket;
    socket.on('open', () => this.#agent.opened((frame) => socket.send(frame), token));
    socket.on('error', (error) => this.#options.log(`device host socket error: ${error.message}`));
    socket.on('close', () => {
      // The socket is the host's only voice: without it the host is useless, so restart it.
      if (this.#socket === socket && this.#process === child && this.#state !== 'stopped') child.kill();
    });
    socket.on('message', (data) => {
      if (this.#socket === socket) this.#agent.received(data);
    });
  }

  #teardown(error: DeviceError): void {
    const socket = this.#socket;
    this.#socket = undefined;
    socket?.close();
    this.#agent.closed(error);
  }
}
