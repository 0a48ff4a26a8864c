/**
 * The soak's fault proxy, one per site (clinic, ECG centre, county hospital LIS): a TCP proxy between
 * the site and the hub that breaks the link the way a township line breaks, chosen by the caller's
 * seeded random source:
 * - `cut(ms)`: the link goes down — every open connection is dropped and new ones are reset — for
 *   ms milliseconds (one fault per cut);
 * - per new connection, a fault drawn by `pick()`: delay every chunk by some milliseconds, send every
 *   request of the connection to the hub twice (the second answer thrown away, so the hub sees a
 *   duplicate the client never hears of), cut the request after some bytes, or cut the answer after
 *   some bytes (the hub has acted, the client never hears it).
 * Several upstream hubs are served round robin per connection (`--hubs 2`).
 * Built on node:net like tests/integration/hub/support/fault-proxy.ts (whose faults apply to one
 * chosen connection, for deterministic tests); this one runs unattended for hours and counts.
 */
import net from 'node:net';

export type ConnectionFault =
  | { kind: 'none' }
  | { kind: 'delay'; ms: number }
  | { kind: 'duplicate' }
  | { kind: 'cut-request'; afterBytes: number }
  | { kind: 'cut-response'; afterBytes: number };

export interface ProxyCounts {
  connections: number;
  cuts: number;
  cutMs: number;
  /** Connections reset because they arrived while the link was cut (not counted as faults). */
  refusedWhileCut: number;
  delayed: number;
  duplicated: number;
  /** HTTP requests sent twice (request lines seen on duplicated connections). */
  duplicatedRequests: number;
  requestsCut: number;
  responsesCut: number;
}

const HTTP_REQUEST_LINE = /^(GET|POST|PUT|DELETE|PATCH|HEAD) \//;

export class SoakFaultProxy {
  private readonly server = net.createServer((client) => this.handle(client));
  private readonly sockets = new Set<net.Socket>();
  private downUntil = 0;
  private next = 0;
  readonly counts: ProxyCounts = { connections: 0, cuts: 0, cutMs: 0, refusedWhileCut: 0, delayed: 0, duplicated: 0, duplicatedRequests: 0, requestsCut: 0, responsesCut: 0 };

  constructor(
    readonly name: string,
    /** Upstream hub ports, read at every connection (a restarted hub may move). */
    private readonly targets: () => number[],
    /** The fault for a new connection; { kind: 'none' } when faults are off. */
    private readonly pick: () => ConnectionFault,
  ) {}

  get faults(): number {
    const c = this.counts;
    return c.cuts + c.delayed + c.duplicated + c.requestsCut + c.responsesCut;
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  /** The link goes down for `ms`: open connections drop, new ones are reset until it is back. */
  cut(ms: number): void {
    this.counts.cuts++;
    this.counts.cutMs += ms;
    this.downUntil = Math.max(this.downUntil, Date.now() + ms);
    this.dropAll();
  }

  get isCut(): boolean {
    return Date.now() < this.downUntil;
  }

  dropAll(): void {
    for (const s of this.sockets) s.destroy();
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(s: net.Socket): void {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
    s.on('error', () => {});
  }

  private handle(client: net.Socket): void {
    this.track(client);
    if (this.isCut) {
      this.counts.refusedWhileCut++;
      client.resetAndDestroy();
      return;
    }
    this.counts.connections++;
    const ports = this.targets();
    const port = ports[this.next++ % ports.length]!;
    const fault = this.pick();
    const upstream = net.connect(port, '127.0.0.1');
    this.track(upstream);
    const kill = () => {
      client.destroy();
      upstream.destroy();
    };
    if (fault.kind === 'delay') this.counts.delayed++;

    let sentUp = 0;
    let sentDown = 0;
    let cutCounted = false;
    const forward = (from: net.Socket, to: net.Socket, direction: 'up' | 'down') => {
      let queue = Promise.resolve();
      const later = (step: () => void) => {
        queue = fault.kind === 'delay' ? queue.then(() => new Promise<void>((resolve) => setTimeout(resolve, fault.ms))).then(step) : queue.then(step);
      };
      from.on('data', (chunk: Buffer) => {
        const sent = direction === 'up' ? sentUp : sentDown;
        const limit =
          fault.kind === 'cut-request' && direction === 'up' ? fault.afterBytes : fault.kind === 'cut-response' && direction === 'down' ? fault.afterBytes : Infinity;
        const allowed = chunk.subarray(0, Math.max(0, limit - sent));
        if (direction === 'up') sentUp += allowed.length;
        else sentDown += allowed.length;
        const cut = allowed.length < chunk.length;
        later(() => {
          if (allowed.length > 0 && !to.destroyed) to.write(allowed);
          if (!cut) return;
          if (!cutCounted) {
            cutCounted = true;
            if (fault.kind === 'cut-request') this.counts.requestsCut++;
            else this.counts.responsesCut++;
          }
          setImmediate(kill);
        });
      });
      from.on('end', () => later(() => to.end()));
      from.on('close', () => later(() => to.destroy()));
    };
    forward(client, upstream, 'up');
    forward(upstream, client, 'down');
    if (fault.kind === 'duplicate') {
      this.counts.duplicated++;
      const twin = net.connect(port, '127.0.0.1');
      this.track(twin);
      twin.resume(); // the twin's answers are thrown away
      client.on('data', (chunk: Buffer) => {
        if (HTTP_REQUEST_LINE.test(chunk.subarray(0, 8).toString('latin1'))) this.counts.duplicatedRequests++;
        if (!twin.destroyed) twin.write(chunk);
      });
      client.on('end', () => twin.end());
      client.on('close', () => twin.destroy());
    }
  }
}
