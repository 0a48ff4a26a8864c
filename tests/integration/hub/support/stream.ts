/** Reads the hub's SSE live stream with fetch (it needs the Authorization header) for the tests. */
import { paths, streamEventSchema, type StreamEvent } from '../../../../sync/protocol/wire.ts';

export interface StreamReader {
  /** The next event, or a rejection after `timeoutMs`. */
  next(timeoutMs: number): Promise<StreamEvent>;
  /** Resolves when the hub ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function openStream(hubUrl: string, token: string): Promise<StreamReader> {
  const controller = new AbortController();
  const response = await fetch(`${hubUrl}${paths.stream()}`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  if (response.status !== 200 || !response.body) throw new Error(`stream refused: ${response.status}`);
  const events: StreamEvent[] = [];
  const waiters: (() => void)[] = [];
  let buffer = '';
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  const ended = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data) events.push(streamEventSchema.parse(JSON.parse(data.slice(6))));
          waiters.splice(0).forEach((w) => w());
        }
      }
    } catch {
      /* aborted */
    } finally {
      waiters.splice(0).forEach((w) => w());
    }
  })();
  return {
    ended,
    async next(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (events.length === 0) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error('no stream event in time');
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      return events.shift()!;
    },
    close: () => controller.abort(),
  };
}
