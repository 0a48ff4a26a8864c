/**
 * A TCP proxy that behaves like a slow township link: every byte crosses a shared pipe of fixed
 * bandwidth per direction (all connections of the clinic share it, as they share one line) and
 * then a fixed one-way latency. Written here (fifty lines of node:net) rather than with tc/netem,
 * which needs root and a network namespace, or toxiproxy, which needs its own server binary.
 */
import net from 'node:net';

export interface LinkProfile {
  /** Clinic → hub, bits per second. */
  upBitsPerSecond: number;
  /** Hub → clinic, bits per second. */
  downBitsPerSecond: number;
  /** Added once per direction to every byte (half the round-trip time). */
  oneWayLatencyMs: number;
}

/** Segment size: large writes are cut so concurrent connections interleave on the pipe. */
const SEGMENT = 4 * 1024;

class Pipe {
  private freeAt = 0;
  constructor(
    private readonly bitsPerSecond: number,
    private readonly latencyMs: number,
  ) {}

  /** Milliseconds from now until `bytes` queued now have crossed the pipe. */
  delayFor(bytes: number): number {
    const now = performance.now();
    const start = Math.max(now, this.freeAt);
    this.freeAt = start + (bytes * 8 * 1000) / this.bitsPerSecond;
    return this.freeAt + this.latencyMs - now;
  }
}

export class ThrottleProxy {
  private readonly server = net.createServer((client) => this.handle(client));
  private readonly sockets = new Set<net.Socket>();
  private readonly up: Pipe;
  private readonly down: Pipe;
  /** Bytes carried each way, for the figures. */
  readonly carried = { up: 0, down: 0 };

  constructor(
    private readonly targetPort: number,
    profile: LinkProfile,
  ) {
    this.up = new Pipe(profile.upBitsPerSecond, profile.oneWayLatencyMs);
    this.down = new Pipe(profile.downBitsPerSecond, profile.oneWayLatencyMs);
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(client: net.Socket): void {
    const upstream = net.connect(this.targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.setNoDelay(true);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => {});
    }
    const forward = (from: net.Socket, to: net.Socket, pipe: Pipe, direction: 'up' | 'down') => {
      // One FIFO per connection and direction, drained by one timer: bytes leave in the order they
      // came, whatever the rounding of timer deadlines.
      const queue: { at: number; act: () => void }[] = [];
      let timer: NodeJS.Timeout | undefined;
      const pump = () => {
        timer = undefined;
        while (queue.length > 0 && queue[0]!.at <= performance.now()) queue.shift()!.act();
        if (queue.length > 0) timer = setTimeout(pump, Math.max(1, queue[0]!.at - performance.now()));
      };
      const enqueue = (bytes: number, act: () => void) => {
        queue.push({ at: performance.now() + pipe.delayFor(bytes), act });
        if (!timer) timer = setTimeout(pump, Math.max(1, queue[0]!.at - performance.now()));
      };
      from.on('data', (chunk: Buffer) => {
        for (let i = 0; i < chunk.length; i += SEGMENT) {
          const segment = chunk.subarray(i, i + SEGMENT);
          this.carried[direction] += segment.length;
          enqueue(segment.length, () => {
            if (!to.destroyed) to.write(segment);
          });
        }
      });
      from.on('end', () => enqueue(0, () => to.end()));
      from.on('close', () => enqueue(0, () => to.destroy()));
    };
    forward(client, upstream, this.up, 'up');
    forward(upstream, client, this.down, 'down');
  }
}
