/**
 * How a result value is shown, on every screen and printout: the number as the lab sent it, the unit
 * typeset as a Chinese lab report prints it (UCUM "10*9/L" → "×10⁹/L", "umol/L" → "µmol/L"), the
 * reference range with an en dash, and the H/L flag as an arrow. One function, so that "7.2" and
 * "10*9/L" can never again be glued into "7.210*9/L".
 *
 * Units arrive as FHIR Quantity.unit strings (sync/hub/recognition/fhir-results.ts stores them as
 * posted): usually UCUM codes, sometimes already-typeset text. Both forms give the same display.
 */
import type { ResultValue } from './result.ts';

const superscriptDigits: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '-': '⁻' };
const superscript = (exponent: string) => [...exponent].map((c) => superscriptDigits[c] ?? c).join('');

/** UCUM unit atoms whose printed form differs from the code. */
const printedAtoms: ReadonlyArray<[RegExp, string]> = [
  [/\bmm\[Hg\]/g, 'mmHg'],
  [/\[HPF\]/gi, 'HP'], // 每高倍视野
  [/\[LPF\]/gi, 'LP'], // 每低倍视野
  [/\[(i?U|IU)\]/g, 'IU'],
  [/\bCel\b/g, '℃'],
  [/\[pH\]/g, ''], // pH is the quantity's name, not a unit
];

/**
 * The unit as printed: powers of ten as "×10ⁿ", micro as "µ", UCUM brackets and annotations
 * ("{1.73_m2}", "{FEU}") turned into text. An empty unit stays empty.
 */
export const typesetUnit = (raw: string): string => {
  let unit = raw.trim();
  // '1' and a lone annotation ({INR}, {ratio}) are UCUM for "no unit".
  if (unit === '' || unit === '1' || /^\{[^}]*\}$/.test(unit)) return '';
  for (const [pattern, printed] of printedAtoms) unit = unit.replace(pattern, printed);
  // Annotations: {1.73_m2} → 1.73m², {FEU} → FEU, {ratio} and other words in braces are dropped when alone.
  unit = unit.replace(/\{([^}]*)\}/g, (_, note: string) => {
    const body = note.replace(/_/g, '').replace(/m2$/, 'm²');
    return /^[\d.]/.test(body) ? body : ` ${body}`;
  });
  // Powers of ten in any spelling labs use: 10*9, 10^9, 10E9, ×10^9, x10*9, *10^9.
  unit = unit.replace(/^[×xX*]?\s*10\s*(?:\*|\^|E|e)\s*(-?\d+)/, (_, exp: string) => `×10${superscript(exp)}`);
  // Micro prefix: UCUM writes u (umol, uL, uIU); Greek mu (U+03BC) is unified to the micro sign.
  unit = unit.replace(/(^|[/\s(])u(?=(mol|g|L|l|IU|U|m)\b)/g, '$1µ').replace(/μ/g, 'µ');
  // Remaining exponents after a unit letter: m2 → m², L-1 stays as written.
  unit = unit.replace(/([a-zA-Z])([23])(?![\d])/g, (_, letter: string, exp: string) => `${letter}${superscript(exp)}`);
  return unit.replace(/\s+/g, ' ').trim();
};

const numberPattern = String.raw`-?\d+(?:\.\d+)?`;
const rangePattern = new RegExp(String.raw`^\s*(${numberPattern})?\s*(?:-|–|~|～|至)\s*(${numberPattern})?\s*$`);

export interface ReferenceRange {
  low?: number;
  high?: number;
  /** As printed: "3.5–9.5", "≥1.0", "≤5.2", or the lab's own text ("阴性", "<5.2"). */
  text: string;
}

/**
 * Reads the stored range text ("3.5-9.5" from FHIR low/high, or the lab's own text) into bounds
 * where it has them. "2.8-" means at least 2.8; "-5.2" at most 5.2 (the hub writes an absent bound
 * as empty).
 */
export const parseReferenceRange = (stored: string): ReferenceRange => {
  const text = stored.trim();
  const range = rangePattern.exec(text);
  if (range && (range[1] !== undefined || range[2] !== undefined)) {
    const low = range[1] === undefined ? undefined : Number(range[1]);
    const high = range[2] === undefined ? undefined : Number(range[2]);
    const printed = low !== undefined && high !== undefined ? `${range[1]}–${range[2]}` : low !== undefined ? `≥${range[1]}` : `≤${range[2]}`;
    return { ...(low !== undefined && { low }), ...(high !== undefined && { high }), text: printed };
  }
  const bound = /^\s*(<=|≤|<|>=|≥|>)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
  if (bound) {
    const [, op = '', n = ''] = bound;
    const printed = { '<=': '≤', '>=': '≥' }[op] ?? op;
    return op.includes('<') || op === '≤' ? { high: Number(n), text: `${printed}${n}` } : { low: Number(n), text: `${printed}${n}` };
  }
  return { text };
};

export type ResultFlag = ResultValue['flag'];

/** Arrows as Chinese lab reports print them; A (abnormal, no direction) as an asterisk. */
export const flagSymbols: Record<Exclude<ResultFlag, ''>, string> = { H: '↑', L: '↓', HH: '↑↑', LL: '↓↓', A: '*' };

export interface ResultValueDisplay {
  name: string;
  /** The number or text as the lab sent it ("7.2", "阴性"). */
  value: string;
  /** Typeset unit, '' when none ("×10⁹/L"). */
  unit: string;
  /** Value and unit together with the right space: "7.2 ×10⁹/L", "6.8%" (no space before %). */
  valueWithUnit: string;
  range: ReferenceRange;
  /** The lab's flag; when the lab sent none, H or L derived from a numeric value outside the range. */
  flag: ResultFlag;
  /** True when the flag was derived here, not sent by the lab. */
  flagDerived: boolean;
  /** HH, LL: a critical value (危急值) as the lab flagged it. */
  critical: boolean;
  /** The whole line for plain text: "白细胞计数 7.2 ×10⁹/L ↑ (3.5–9.5)". */
  text: string;
}

const derivedFlag = (value: ResultValue['value'], range: ReferenceRange): ResultFlag => {
  if (typeof value !== 'number') return '';
  if (range.high !== undefined && value > range.high) return 'H';
  if (range.low !== undefined && value < range.low) return 'L';
  return '';
};

export const displayResultValue = (v: ResultValue): ResultValueDisplay => {
  const value = typeof v.value === 'number' ? String(v.value) : v.value.trim();
  const unit = typesetUnit(v.unit);
  const valueWithUnit = unit === '' ? value : unit === '%' || unit.startsWith('‰') ? `${value}${unit}` : `${value} ${unit}`;
  const range = parseReferenceRange(v.referenceRange);
  const derived = v.flag === '' ? derivedFlag(v.value, range) : '';
  const flag = v.flag === '' ? derived : v.flag;
  const text = [v.name, valueWithUnit, flag === '' ? '' : flagSymbols[flag], range.text === '' ? '' : `(${range.text})`].filter(Boolean).join(' ');
  return { name: v.name, value, unit, valueWithUnit, range, flag, flagDerived: derived !== '', critical: flag === 'HH' || flag === 'LL', text };
};
