import { describe, expect, it } from 'vitest';
import { readEventStream } from './event-stream.ts';

const streamOf = (chunks: string[]) => {
  const bytes = chunks.map((c) => new TextEncoder().encode(c));
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const b of bytes) controller.enqueue(b);
      controller.close();
    },
  });
};

const collect = async (chunks: string[]) => {
  const events: string[] = [];
  let activity = 0;
  await readEventStream(streamOf(chunks), { onData: (d) => events.push(d), onActivity: () => activity++ });
  return { events, activity };
};

describe('event stream reader', () => {
  const text = ': keep-alive\n\ndata: {"collection":"visits","checkpoint":{"seq":9}}\n\ndata: "RESYNC"\n\n';

  it('reads change notices and RESYNC, skipping keep-alive comments', async () => {
    expect((await collect([text])).events).toEqual(['{"collection":"visits","checkpoint":{"seq":9}}', '"RESYNC"']);
  });

  it('gives the same events however the bytes are cut, CRLF and a split multi-byte character included', async () => {
    const crlf = 'data: 张三\r\ndata: second line\r\n\r\n';
    const bytes = new TextEncoder().encode(crlf + text);
    const events: string[] = [];
    // One byte per chunk: splits the UTF-8 of 张 and every CRLF.
    const oneByOne = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const b of bytes) controller.enqueue(new Uint8Array([b]));
        controller.close();
      },
    });
    await readEventStream(oneByOne, { onData: (d) => events.push(d) });
    expect(events).toEqual(['张三\nsecond line', '{"collection":"visits","checkpoint":{"seq":9}}', '"RESYNC"']);
  });

  it('reports activity for keep-alives so a silent connection can be told from an idle one', async () => {
    expect((await collect([': keep-alive\n\n', ': keep-alive\n\n'])).activity).toBe(2);
  });

  it('drops an event cut off before its blank line', async () => {
    expect((await collect(['data: "RESYNC"\n\ndata: {"coll'])).events).toEqual(['"RESYNC"']);
  });
});
