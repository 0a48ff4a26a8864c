/**
 * Finds GA 467 frame edges in a byte stream: reassembles a reply split across reads (a 1295-byte
 * read reply arrives as 1024 + 271 on many ports) and resynchronises on the AA AA AA 96 69 preamble
 * after garbage. It does not check checksums: the codec does that on the whole frame.
 */
import { HEADER_BYTES, MAX_LEN, PREAMBLE } from './codec.ts';

export class Ga467Framer {
  #buffer: Uint8Array = new Uint8Array(0);
  /** Bytes dropped while hunting for a preamble, since the last reset (for diagnostics). */
  discardedBytes = 0;

  constructor(private readonly minLen = 4) {}

  /** Bytes of a frame begun but not finished (non-zero after silence means a truncated frame). */
  get pendingBytes(): number {
    return this.#buffer.length;
  }

  reset(): void {
    this.#buffer = new Uint8Array(0);
    this.discardedBytes = 0;
  }

  /** Feeds one chunk; returns every complete frame it finishes, in order. */
  push(chunk: Uint8Array): Uint8Array[] {
    this.#buffer = concat(this.#buffer, chunk);
    const frames: Uint8Array[] = [];
    for (;;) {
      const start = findPreamble(this.#buffer);
      if (start < 0) {
        // Keep a tail that may be the start of a preamble split across chunks.
        const keep = preamblePrefixAtEnd(this.#buffer);
        this.discardedBytes += this.#buffer.length - keep;
        this.#buffer = this.#buffer.slice(this.#buffer.length - keep);
        return frames;
      }
      if (start > 0) {
        this.discardedBytes += start;
        this.#buffer = this.#buffer.slice(start);
      }
      if (this.#buffer.length < HEADER_BYTES) return frames;
      const len = (this.#buffer[5]! << 8) | this.#buffer[6]!;
      if (len < this.minLen || len > MAX_LEN) {
        // Not a real header (garbage that happened to hold the preamble): skip one byte and hunt on.
        this.discardedBytes += 1;
        this.#buffer = this.#buffer.slice(1);
        continue;
      }
      const total = HEADER_BYTES + len;
      if (this.#buffer.length < total) return frames;
      frames.push(this.#buffer.slice(0, total));
      this.#buffer = this.#buffer.slice(total);
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return Uint8Array.from(b);
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function findPreamble(buffer: Uint8Array): number {
  outer: for (let i = 0; i + PREAMBLE.length <= buffer.length; i++) {
    for (let j = 0; j < PREAMBLE.length; j++) if (buffer[i + j] !== PREAMBLE[j]) continue outer;
    return i;
  }
  return -1;
}

/** Length of the longest suffix of `buffer` that is a proper prefix of the preamble. */
function preamblePrefixAtEnd(buffer: Uint8Array): number {
  for (let k = Math.min(PREAMBLE.length - 1, buffer.length); k > 0; k--) {
    let match = true;
    for (let j = 0; j < k; j++) {
      if (buffer[buffer.length - k + j] !== PREAMBLE[j]) {
        match = false;
        break;
      }
    }
    if (match) return k;
  }
  return 0;
}
