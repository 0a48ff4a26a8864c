/**
 * Finds reader frames in the byte stream from the serial port: reassembles frames split across reads,
 * skips noise before STX, and resynchronises after a corrupt frame by moving one byte past the false
 * STX. Never throws: a corrupt but complete frame (ETX in place, LRC wrong) comes out as a
 * DeviceError('bad-checksum') event, so a waiting request can fail at once instead of timing out.
 *
 * Hand-written rather than @serialport/parser-packet-length: that parser resyncs only on its
 * delimiter and cannot check an LRC or ETX, so one noise byte that looks like STX would swallow the
 * next real frame.
 */
import { DeviceError } from '../../core/contract/device-error.ts';
import { ETX, FRAME_OVERHEAD, lrc, MAX_FRAME_BODY, STX, type ReaderFrame } from './codec.ts';

export type FramerEvent = { type: 'frame'; frame: ReaderFrame } | { type: 'error'; error: DeviceError };

type Candidate = 'complete' | 'bad-checksum' | 'incomplete' | 'invalid';

export class ReaderFramer {
  #buffer = new Uint8Array(0);

  /** Bytes held towards a frame not yet complete (for a "truncated frame" diagnosis on timeout). */
  get pendingBytes(): number {
    return this.#buffer.length;
  }

  /** Length the frame being assembled announces, if its header has arrived. */
  get pendingFrameLength(): number | undefined {
    if (this.#buffer.length < 3) return undefined;
    return ((this.#buffer[1]! << 8) | this.#buffer[2]!) + FRAME_OVERHEAD;
  }

  reset(): void {
    this.#buffer = new Uint8Array(0);
  }

  push(chunk: Uint8Array): FramerEvent[] {
    const joined = new Uint8Array(this.#buffer.length + chunk.length);
    joined.set(this.#buffer);
    joined.set(chunk, this.#buffer.length);
    let buf = joined;
    const events: FramerEvent[] = [];

    for (;;) {
      const start = buf.indexOf(STX);
      if (start < 0) {
        buf = buf.subarray(buf.length);
        break;
      }
      buf = buf.subarray(start);
      const state = classify(buf, 0);
      if (state === 'invalid') {
        buf = buf.subarray(1);
        continue;
      }
      if (state === 'incomplete') {
        // A noise STX may announce a long frame that never comes; if a complete, valid frame already
        // follows it in the buffer, the noise was not a frame start.
        const later = findLaterValidFrame(buf);
        if (later === undefined) break;
        buf = buf.subarray(later);
        continue;
      }
      const total = frameLength(buf, 0);
      if (state === 'bad-checksum') {
        events.push({ type: 'error', error: new DeviceError('bad-checksum', 'reader frame LRC mismatch') });
      } else {
        events.push({ type: 'frame', frame: { command: buf[3]!, data: buf.slice(4, total - 2) } });
      }
      buf = buf.subarray(total);
    }
    this.#buffer = buf.slice();
    return events;
  }
}

const frameLength = (buf: Uint8Array, at: number) => ((buf[at + 1]! << 8) | buf[at + 2]!) + FRAME_OVERHEAD;

function classify(buf: Uint8Array, at: number): Candidate {
  if (buf.length - at < 3) return 'incomplete';
  const body = (buf[at + 1]! << 8) | buf[at + 2]!;
  if (body < 1 || body > MAX_FRAME_BODY) return 'invalid';
  const total = body + FRAME_OVERHEAD;
  if (buf.length - at < total) return 'incomplete';
  if (buf[at + total - 1] !== ETX) return 'invalid';
  return buf[at + total - 2] === lrc(buf, at + 1, at + total - 2) ? 'complete' : 'bad-checksum';
}

function findLaterValidFrame(buf: Uint8Array): number | undefined {
  for (let at = buf.indexOf(STX, 1); at > 0; at = buf.indexOf(STX, at + 1)) {
    if (classify(buf, at) === 'complete') return at;
  }
  return undefined;
}
