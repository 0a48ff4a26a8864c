/**
 * A TCP proxy between a test client and the hub that breaks the link on purpose: cut the request
 * after N bytes, cut the response after N bytes (the hub has answered, the client never hears it),
 * stall the request (half a body, then silence), delay every chunk, or send every request of the
 * connection to the hub twice (a duplicate the client never hears of). Written here rather than
 * using a library (toxiproxy needs its own server binary) because forty lines of node:net do it and
 * a fault applies to exactly the next connection, which keeps the tests deterministic.
 */
import net from 'node:net';

export type Fault =
  | { kind: 'none' }
  | { kind: 'cut-request'; afterBytes: number }
  | { kind: 'cut-response'; afterBytes: number }
  | { kind: 'stall-request'; afterBytes: number }
  | { kind: 'delay'; ms: number }
  /** Every request byte also goes to the hub over a second connection whose answers are dropped. */
  | { kind: 'duplicate-request' };

export class FaultProxy {
  private server = net.createServer((client) => this.handle(client));
  private readonly sockets = new Set<net.Socket>();
  private nextFault: Fault = { kind: 'none' };
  private persistentFault: Fault = { kind: 'none' };
  /** Resolves when a connection stalled by 'stall-request' has sent its bytes. */
  stalled: Promise<void> = Promise.resolve();
  private markStalled: () => void = () => {};

  constructor(private targetPort: number) {}

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  /** The fault for the next connection only. */
  once(fault: Fault): void {
    this.nextFault = fault;
    if (fault.kind === 'stall-request') this.stalled = new Promise((resolve) => (this.markStalled = resolve));
  }

  /** A fault for every connection until cleared with { kind: 'none' }. */
  always(fault: Fault): void {
    this.persistentFault = fault;
  }

  retarget(port: number): void {
    this.targetPort = port;
  }

  /** Drops every open connection, as a crashed hub or a dead link would. */
  dropAll(): void {
    for (const s of this.sockets) s.destroy();
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(client: net.Socket): void {
    const fault = this.nextFault.kind !== 'none' ? this.nextFault : this.persistentFault;
    this.nextFault = { kind: 'none' };
    const upstream = net.connect(this.targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => {});
    }
    const kill = () => {
      client.destroy();
      upstream.destroy();
    };

    let sentUp = 0;
    let sentDown = 0;
    const forward = (from: net.Socket, to: net.Socket, direction: 'up' | 'down') => {
      // Chunks (and the end of the stream) pass in order, each after the fault's delay if any.
      let queue = Promise.resolve();
      const later = (step: () => void) => {
        queue = queue.then(() => new Promise<void>((resolve) => setTimeout(resolve, fault.kind === 'delay' ? fault.ms : 0))).then(step);
      };
      from.on('data', (chunk: Buffer) => {
        const sent = direction === 'up' ? sentUp : sentDown;
        const limit =
          (fault.kind === 'cut-request' || fault.kind === 'stall-request') && direction === 'up'
            ? fault.afterBytes
            : fault.kind === 'cut-response' && direction === 'down'
              ? fault.afterBytes
              : Infinity;
        const allowed = chunk.subarray(0, Math.max(0, limit - sent));
        if (direction === 'up') sentUp += allowed.length;
        else sentDown += allowed.length;
        const cut = allowed.length < chunk.length;
        later(() => {
          if (allowed.length > 0 && !to.destroyed) to.write(allowed);
          if (!cut) return;
          if (fault.kind === 'stall-request') this.markStalled(); // hold the rest forever
          else setImmediate(kill);
        });
      });
      from.on('end', () => later(() => to.end()));
      from.on('close', () => later(() => to.destroy()));
    };
    forward(client, upstream, 'up');
    forward(upstream, client, 'down');
    if (fault.kind === 'duplicate-request') {
      const twin = net.connect(this.targetPort, '127.0.0.1');
      this.sockets.add(twin);
      twin.on('close', () => this.sockets.delete(twin));
      twin.on('error', () => {});
      twin.resume(); // the twin's answers are thrown away
      client.on('data', (chunk: Buffer) => twin.write(chunk));
      client.on('end', () => twin.end());
    }
  }
}
