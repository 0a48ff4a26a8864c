/**
 * The live view's memory: the last few seconds of every lead in fixed typed arrays, written as
 * ecg-samples blocks arrive and read by the drawing loop. Nothing here touches React: a block
 * costs a few array writes, never a re-render.
 *
 * Written by hand: it is twenty lines over Float32Array, and the ring-buffer packages on npm hold
 * one channel of boxed values.
 */
export class LeadRingBuffer {
  readonly leads: readonly string[];
  readonly capacity: number;
  readonly #data: Float32Array[];
  /** Index (since the stream began) of the sample after the newest one written. */
  #end = 0;
  #started = false;

  constructor(leads: readonly string[], capacity: number) {
    if (!Number.isInteger(capacity) || capacity <= 0) throw new RangeError('capacity must be a positive integer');
    this.leads = leads;
    this.capacity = capacity;
    this.#data = leads.map(() => new Float32Array(capacity).fill(Number.NaN));
  }

  /** Index of the sample after the newest (0 before anything arrived). */
  get end(): number {
    return this.#end;
  }

  /** Index of the oldest sample still held. */
  get start(): number {
    return Math.max(0, this.#end - this.capacity);
  }

  /**
   * Writes one block at its place on the stream's timeline. Samples that never arrived (lost
   * packets advance firstSampleIndex) stay NaN, so the trace shows a gap instead of a made-up line.
   */
  write(firstSampleIndex: number, leads: Readonly<Record<string, ArrayLike<number>>>): void {
    const length = Math.max(0, ...this.leads.map((l) => leads[l]?.length ?? 0));
    // Blocks of one stream arrive in order and never overlap, so a block that starts before the
    // newest sample means the device started a new stream (counting from 0 again): start over.
    if (this.#started && firstSampleIndex < this.#end) this.clear();
    if (!this.#started) {
      this.#started = true;
      this.#end = firstSampleIndex;
    }
    // Blank the gap between what we had and this block.
    for (let i = this.#end; i < firstSampleIndex; i++) for (const lead of this.#data) lead[i % this.capacity] = Number.NaN;
    this.leads.forEach((name, l) => {
      const source = leads[name];
      const target = this.#data[l]!;
      for (let i = 0; i < length; i++) target[(firstSampleIndex + i) % this.capacity] = source && i < source.length ? source[i]! : Number.NaN;
    });
    this.#end = Math.max(this.#end, firstSampleIndex + length);
  }

  /** The sample of `lead` (its index in `leads`) at stream index `index`, NaN if not held. */
  at(lead: number, index: number): number {
    if (index < this.start || index >= this.#end || index < 0) return Number.NaN;
    return this.#data[lead]![index % this.capacity]!;
  }

  /** Forgets everything (a new stream starts its indices from 0 again). */
  clear(): void {
    for (const lead of this.#data) lead.fill(Number.NaN);
    this.#end = 0;
    this.#started = false;
  }
}
