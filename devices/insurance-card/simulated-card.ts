/**
 * A social security card as the reader's contacts see it: the SSSE application with EF05/EF06, and
 * ISO 7816-4 answers to SELECT and READ RECORD. Used by the reader simulator and as a card behind a
 * bare APDU function in tests.
 */
import type { InsuranceCard } from '../../core/insurance/insurance-card.ts';
import { buildCardFileSystem, type CardFileSystem } from './cardholders.ts';
import { SSSE_NAME } from './codec.ts';

const sw = (value: number) => Uint8Array.of(value >> 8, value & 0xff);
const withSw = (data: Uint8Array, value: number) => {
  const out = new Uint8Array(data.length + 2);
  out.set(data);
  out.set(sw(value), data.length);
  return out;
};
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

export class SimulatedCard {
  readonly files: CardFileSystem;
  #ssseSelected = false;
  #currentFile: number | undefined;

  constructor(
    readonly holder: InsuranceCard,
    files?: CardFileSystem,
  ) {
    this.files = files ?? buildCardFileSystem(holder);
  }

  /** A cold reset: back to the master file. */
  reset(): void {
    this.#ssseSelected = false;
    this.#currentFile = undefined;
  }

  /** Answers one command APDU with its response APDU. `failSelect` makes the SSSE select answer 6A82. */
  answer(apdu: Uint8Array, failSelect = false): Uint8Array {
    const [cla, ins, p1, p2] = apdu;
    if (apdu.length < 4) return sw(0x6700);
    if (cla !== 0x00) return sw(0x6e00);
    if (ins === 0xa4 && p1 === 0x04) {
      const name = apdu.subarray(5, 5 + (apdu[4] ?? 0));
      if (failSelect || !sameBytes(name, SSSE_NAME)) return sw(0x6a82);
      this.#ssseSelected = true;
      this.#currentFile = undefined;
      return sw(0x611e); // selected; 30 FCI bytes waiting, as real cards answer
    }
    if (ins === 0xa4 && p1 === 0x02) {
      const fileId = ((apdu[5] ?? 0) << 8) | (apdu[6] ?? 0);
      if (!this.#ssseSelected || !this.files.has(fileId)) return sw(0x6a82);
      this.#currentFile = fileId;
      return sw(0x9000);
    }
    if (ins === 0xb2) {
      if (p2 !== 0x04) return sw(0x6a86);
      const record = this.#currentFile === undefined ? undefined : this.files.get(this.#currentFile)?.get(p1!);
      if (!record) return sw(0x6a83);
      const le = apdu[4] ?? 0;
      if (le !== 0 && le < record.length) return sw(0x6c00 | record.length);
      return withSw(record, 0x9000);
    }
    return sw(0x6d00);
  }
}
