/**
 * A Server-Sent Events reader over fetch. EventSource cannot send an Authorization header, and Node
 * 20 has no EventSource at all; a fetch body stream exists in Chromium, Electron and Node alike.
 * Parses the text/event-stream format (WHATWG HTML §9.2): `data:` lines joined with '\n', an event
 * dispatched at a blank line, comment lines (':') as keep-alives. Only `data` is used by this protocol.
 */
export interface EventStreamHandlers {
  onData(data: string): void;
  /** Any bytes received, comments included: used to notice a dead connection. */
  onActivity?(): void;
}

export async function readEventStream(body: ReadableStream<Uint8Array>, handlers: EventStreamHandlers, signal?: AbortSignal): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  const onAbort = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', onAbort, { once: true });
  let buffer = '';
  let data: string[] = [];
  const line = (text: string) => {
    if (text === '') {
      if (data.length > 0) handlers.onData(data.join('\n'));
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      handlers.onActivity?.();
      buffer += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buffer.search(/\r\n|\r|\n/)) !== -1) {
        // A CR at the very end may be the first half of a CRLF split across chunks: wait for more.
        if (buffer[nl] === '\r' && nl === buffer.length - 1) break;
        const crlf = buffer[nl] === '\r' && buffer[nl + 1] === '\n';
        line(buffer.slice(0, nl));
        buffer = buffer.slice(nl + (crlf ? 2 : 1));
      }
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    reader.releaseLock();
  }
}
