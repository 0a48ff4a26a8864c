/**
 * MIT-format WFDB annotation files (.atr …), after annot(5) of the WFDB Programmer's Guide.
 * The file is a sequence of 16-bit little-endian words: the top 6 bits are the annotation type A,
 * the low 10 bits I. For an ordinary annotation (A = 1…49) I is the time since the previous one.
 * Pseudo-annotations:
 *   A = 59 SKIP  I = 0; the next 4 bytes are a time interval, PDP-11 long (high word first, each
 *                word little-endian), added to the running time;
 *   A = 60 NUM   I = `num` of the current annotation and of those after it;
 *   A = 61 SUB   I = `subtype` of the current annotation only;
 *   A = 62 CHN   I = `chan` of the current annotation and of those after it;
 *   A = 63 AUX   I = byte length of the auxiliary string that follows, padded to an even length;
 *   A = 0, I = 0 end of file.
 * "Current" is the annotation just before the pseudo-annotation.
 */
import { EcgFormatError } from '../format-error.ts';

/** ecgcodes.h: annotation type number → mnemonic. */
export const mitAnnotationCodes: readonly string[] = [
  '', 'N', 'L', 'R', 'a', 'V', 'F', 'J', 'A', 'S', 'E', 'j', '/', 'Q', '~', '', '|', '', 's', 'T', '*', 'D', '"', '=', 'p',
  'B', '^', 't', '+', 'u', '?', '!', '[', ']', 'e', 'n', '@', 'x', 'f', '(', ')', 'r',
];

export interface WfdbAnnotation {
  sample: number;
  /** MIT mnemonic ('N', 'V', '+', …), or `#<number>` for a type without one. */
  code: string;
  type: number;
  subtype: number;
  chan: number;
  num: number;
  /** Auxiliary text, e.g. "(AFIB" on a rhythm-change annotation. */
  aux: string | undefined;
}

const SKIP = 59;
const NUM = 60;
const SUB = 61;
const CHN = 62;
const AUX = 63;

const latin1 = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

export function readWfdbAnnotations(bytes: Uint8Array): WfdbAnnotation[] {
  const annotations: WfdbAnnotation[] = [];
  let time = 0;
  let num = 0;
  let chan = 0;
  let offset = 0;
  const word = (): number => {
    if (offset + 2 > bytes.length) throw new EcgFormatError('WFDB_BAD_ANNOTATIONS', `truncated at byte ${offset}`);
    const w = (bytes[offset] as number) | ((bytes[offset + 1] as number) << 8);
    offset += 2;
    return w;
  };
  for (;;) {
    // A file that simply stops after a whole annotation (no end marker) is accepted, as WFDB does.
    if (offset >= bytes.length) break;
    const w = word();
    const type = w >> 10;
    const value = w & 0x3ff;
    if (type === 0 && value === 0) break;
    const current = annotations[annotations.length - 1];
    switch (type) {
      case SKIP: {
        const high = word();
        const low = word();
        time += ((high << 16) | low) >> 0;
        break;
      }
      case NUM:
        num = value;
        if (current) current.num = value;
        break;
      case SUB:
        if (current) current.subtype = value;
        break;
      case CHN:
        chan = value;
        if (current) current.chan = value;
        break;
      case AUX: {
        if (offset + value > bytes.length) throw new EcgFormatError('WFDB_BAD_ANNOTATIONS', `auxiliary text runs past the end at byte ${offset}`);
        let text = latin1(bytes.subarray(offset, offset + value));
        const nul = text.indexOf('\0');
        if (nul >= 0) text = text.slice(0, nul);
        if (current) current.aux = text;
        offset += value + (value & 1);
        break;
      }
      default: {
        if (type > 49) throw new EcgFormatError('WFDB_BAD_ANNOTATIONS', `unknown annotation type ${type} at byte ${offset - 2}`);
        time += value;
        annotations.push({ sample: time, code: mitAnnotationCodes[type] || `#${type}`, type, subtype: 0, chan, num, aux: undefined });
      }
    }
  }
  return annotations;
}

export interface WfdbAnnotationInput {
  sample: number;
  code: string;
  subtype?: number;
  chan?: number;
  num?: number;
  aux?: string;
}

/** Writes MIT-format annotations (for tests and for exporting beat labels). Times must not decrease. */
export function writeWfdbAnnotations(annotations: readonly WfdbAnnotationInput[]): Uint8Array {
  const words: number[] = [];
  const push = (type: number, value: number): void => {
    words.push(((type << 10) | (value & 0x3ff)) & 0xffff);
  };
  let time = 0;
  let num = 0;
  let chan = 0;
  for (const a of annotations) {
    const type = mitAnnotationCodes.indexOf(a.code);
    if (type <= 0) throw new EcgFormatError('WFDB_NOT_WRITABLE', `annotation code "${a.code}"`);
    const delta = a.sample - time;
    if (delta < 0) throw new EcgFormatError('WFDB_NOT_WRITABLE', 'annotations out of time order');
    if (delta > 1023) {
      push(SKIP, 0);
      words.push((delta >>> 16) & 0xffff, delta & 0xffff);
      push(type, 0);
    } else {
      push(type, delta);
    }
    time = a.sample;
    if ((a.num ?? num) !== num) {
      num = a.num ?? num;
      push(NUM, num);
    }
    if (a.subtype) push(SUB, a.subtype);
    if ((a.chan ?? chan) !== chan) {
      chan = a.chan ?? chan;
      push(CHN, chan);
    }
    if (a.aux !== undefined) {
      const text = Array.from(a.aux, (c) => c.charCodeAt(0) & 0xff);
      push(AUX, text.length);
      if (text.length % 2) text.push(0);
      for (let i = 0; i < text.length; i += 2) words.push((text[i] as number) | ((text[i + 1] as number) << 8));
    }
  }
  words.push(0);
  const out = new Uint8Array(words.length * 2);
  words.forEach((w, i) => {
    out[2 * i] = w & 0xff;
    out[2 * i + 1] = w >> 8;
  });
  return out;
}
