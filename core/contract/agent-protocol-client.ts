/**
 * The client side of the device agent's protocol (agent-protocol.ts), written once for both clients:
 * the browser's WorkstationApi (services/platform/agent-client.ts) and the Electron device host
 * (electron/main/device-host.ts). It authenticates each new socket with the token, numbers the
 * calls, keeps calls made while no socket is authenticated until one is, matches every reply to its
 * call with a timeout (core/async's Waitress), validates what arrives with zod and hands pushed
 * device events on.
 *
 * Pure and socket-agnostic: the owner opens sockets (the browser's WebSocket, Node's `ws`) and
 * reports what each does — `opened(send)`, `received(data)`, `closed(error)`. Reconnecting,
 * restarting a crashed host and the errors a caller sees stay with the owner, since the two
 * differ there: the browser retries with back-off, main restarts the utility process.
 */
import { z } from 'zod';
import { Waitress } from '../async/waitress.ts';
import type { AgentMethod, AgentRequest } from './agent-protocol.ts';
import type { DeviceEvent } from './workstation-api.ts';
import { serializedErrorSchema } from '../errors/index.ts';

/** An error the agent answered with: its code and both messages (a DeviceError's, or the protocol's own). */
export type AgentRemoteError = z.infer<typeof remoteErrorSchema>;

// The one serialised error shape (core/errors): code, key, params, message (English), messageZh, detail.
const remoteErrorSchema = serializedErrorSchema;
const replyId = z.union([z.number(), z.string(), z.null()]);
/** Everything the agent sends: a reply to a call (id null: to the authentication), or a pushed device event. */
const agentMessageSchema = z.union([
  z.object({ id: replyId, ok: z.literal(true), value: z.unknown() }),
  z.object({ id: replyId, ok: z.literal(false), error: remoteErrorSchema }),
  // The event's own fields are checked where it is used (registration checks cards with their own schemas).
  z.object({ type: z.literal('event'), event: z.looseObject({ type: z.string() }) }),
]);

type AgentReplyMessage = Exclude<z.infer<typeof agentMessageSchema>, { type: 'event' }>;

export type AgentParams<M extends AgentMethod> = Extract<AgentRequest, { method: M }> extends { params: infer P } ? P : undefined;

export interface AgentProtocolClientOptions {
  /** The socket in use was accepted; the queued calls go out right after. */
  onAuthenticated(): void;
  /**
   * Whether device events are wanted now: each accepted socket is then subscribed first, before the
   * queued calls, so an agent that restarted keeps pushing events without anyone asking again.
   */
  wantsEvents(): boolean;
  /** The agent refused the token: no socket will do better until a new token comes. */
  onUnauthorized?(): void;
  onEvent(event: DeviceEvent): void;
  /** Something arrived that is JSON but not the protocol (the host logs it; the browser ignores it). */
  onUnreadable?(): void;
  /** What a call the agent refused rejects with. */
  refused(error: AgentRemoteError): Error;
}

/** `sent`: whether the call had gone out on a socket when its time ran out (else no socket was ready). */
export type CallTimeoutError = (sent: boolean) => Error;

export class AgentProtocolClient {
  readonly #options: AgentProtocolClientOptions;
  readonly #replies = new Waitress<number, unknown>();
  /** Each awaited call's frame, and whether it went out on the current socket. */
  readonly #outbox = new Map<number, { frame: string; sent: boolean }>();
  #send: ((frame: string) => void) | undefined;
  #authenticated = false;
  #nextId = 1;

  constructor(options: AgentProtocolClientOptions) {
    this.#options = options;
  }

  get authenticated(): boolean {
    return this.#authenticated;
  }

  /**
   * Calls `method` and resolves with the agent's value. Sent at once on an authenticated socket,
   * else kept until one is; rejects with `refused(…)`, the caller's timeout error, or what
   * `closed`/`rejectAll` give.
   */
  call<M extends AgentMethod>(method: M, params: AgentParams<M> | undefined, timeoutMs: number, timeoutError: CallTimeoutError): Promise<unknown> {
    const id = this.#nextId++;
    const reply = this.#replies.wait(id, timeoutMs, () => timeoutError(this.#outbox.get(id)?.sent ?? false)).finally(() => this.#outbox.delete(id));
    this.#outbox.set(id, { frame: JSON.stringify(params === undefined ? { id, method } : { id, method, params }), sent: false });
    this.#flush();
    return reply;
  }

  /** A socket opened: authenticate on it with the agent's token (per start of the agent). */
  opened(send: (frame: string) => void, token: string): void {
    this.#send = send;
    this.#authenticated = false;
    send(JSON.stringify({ type: 'auth', token }));
  }

  /** One message from the socket. Anything that is not the protocol is dropped without failing a call. */
  received(data: unknown): void {
    let json: unknown;
    try {
      json = JSON.parse(String(data));
    } catch {
      return; // not JSON: ignored, as the agent ignores ours
    }
    const parsed = agentMessageSchema.safeParse(json);
    if (!parsed.success) return this.#options.onUnreadable?.();
    const message = parsed.data;
    if ('type' in message) return this.#options.onEvent(message.event as unknown as DeviceEvent);
    if (message.id === null) return this.#authentication(message);
    if (typeof message.id !== 'number') return;
    if (message.ok) this.#replies.resolve(message.id, message.value);
    else this.#replies.reject(message.id, this.#options.refused(message.error));
  }

  /** The socket closed: calls sent on it will never be answered and fail with `error`; unsent ones wait for the next socket. */
  closed(error: Error): void {
    this.#send = undefined;
    this.#authenticated = false;
    for (const [id, call] of this.#outbox) if (call.sent) this.#replies.reject(id, error);
  }

  /** Fails every call, sent or not (the client is closing for good). */
  rejectAll(error: Error): void {
    this.#replies.rejectAll(error);
    this.#outbox.clear();
  }

  #authentication(message: AgentReplyMessage): void {
    if (message.ok && message.value === 'authenticated') {
      if (this.#authenticated) return;
      this.#authenticated = true;
      // Its reply (or refusal) finds no waiter and is dropped: nobody waits on a restored subscription.
      if (this.#options.wantsEvents()) this.#send?.(JSON.stringify({ id: this.#nextId++, method: 'subscribe' }));
      this.#options.onAuthenticated();
      this.#flush();
    } else if (!message.ok && message.error.code === 'unauthorized') {
      this.#options.onUnauthorized?.();
    }
  }

  #flush(): void {
    const send = this.#send;
    if (!send || !this.#authenticated) return;
    for (const call of this.#outbox.values()) {
      if (call.sent) continue;
      send(call.frame);
      call.sent = true;
    }
  }
}
