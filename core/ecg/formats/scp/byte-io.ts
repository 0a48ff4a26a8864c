/** Bounds-checked little-endian reading and growable writing for SCP-ECG (little-endian throughout). */
import { EcgFormatError } from '../format-error.ts';

export class ByteReader {
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    /** Where we are, for error messages: "section 6". */
    readonly context: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get length(): number {
    return this.bytes.length;
  }
  private need(at: number, size: number): void {
    if (!Number.isInteger(at) || at < 0 || at + size > this.bytes.length) {
      throw new EcgFormatError('SCP_TRUNCATED', `${this.context}: ${size} byte(s) at offset ${at} lie beyond its ${this.bytes.length} bytes`);
    }
  }
  u8(at: number): number {
    this.need(at, 1);
    return this.view.getUint8(at);
  }
  u16(at: number): number {
    this.need(at, 2);
    return this.view.getUint16(at, true);
  }
  i16(at: number): number {
    this.need(at, 2);
    return this.view.getInt16(at, true);
  }
  u32(at: number): number {
    this.need(at, 4);
    return this.view.getUint32(at, true);
  }
  slice(at: number, size: number): Uint8Array {
    this.need(at, size);
    return this.bytes.subarray(at, at + size);
  }
}

export class ByteWriter {
  private buffer = new Uint8Array(1024);
  private view = new DataView(this.buffer.buffer);
  length = 0;
  private reserve(size: number): number {
    const at = this.length;
    if (at + size > this.buffer.length) {
      const next = new Uint8Array(Math.max(this.buffer.length * 2, at + size));
      next.set(this.buffer.subarray(0, at));
      this.buffer = next;
      this.view = new DataView(next.buffer);
    }
    this.length += size;
    return at;
  }
  u8(v: number): this {
    const at = this.reserve(1);
    this.view.setUint8(at, v);
    return this;
  }
  u16(v: number): this {
    const at = this.reserve(2);
    this.view.setUint16(at, v, true);
    return this;
  }
  i16(v: number): this {
    const at = this.reserve(2);
    this.view.setInt16(at, v, true);
    return this;
  }
  u32(v: number): this {
    const at = this.reserve(4);
    this.view.setUint32(at, v, true);
    return this;
  }
  bytes(b: Uint8Array): this {
    const at = this.reserve(b.length); // reserve first: it may replace this.buffer
    this.buffer.set(b, at);
    return this;
  }
  /** Overwrites an already written u16/u32 (lengths and CRCs known only at the end). */
  setU16(at: number, v: number): void {
    this.view.setUint16(at, v, true);
  }
  setU32(at: number, v: number): void {
    this.view.setUint32(at, v, true);
  }
  toBytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}
