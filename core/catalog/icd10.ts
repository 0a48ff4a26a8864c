/**
 * ICD-10 diagnoses (诊断) the doctor picks from: the township primary-care table in
 * data/icd10-subset.ts (its header says where the codes come from), or a county's replacement in
 * the same columns. Searched by code, name, 简称, pinyin and initials; ranked by how common a
 * diagnosis is in primary care; a diagnosis that cannot apply to the patient (妊娠期高血压 for a
 * man) is not offered.
 */
import { CodedError, type CodedErrorArgs, type ErrorCodeOf } from '../errors/index.ts';
import { icd10Code } from '../records/visit.ts';
import type { SexCode } from '../identity/index.ts';
import { icd10SubsetText } from './data/icd10-subset.ts';
import { searchEntries, searchKeysFor, searchName, type SearchKeys, type SearchName } from './search-keys.ts';

/** Who a diagnosis can apply to; absent fields do not limit. Ages in whole years, minAge <= age < maxAge. */
export interface DiagnosisLimits {
  sex?: '1' | '2'; // GB/T 2261.1: 1 男, 2 女
  minAge?: number;
  maxAge?: number;
}

export interface Icd10Diagnosis {
  code: string;
  /** Chinese clinical name, as recorded on the visit. */
  name: string;
  /** 常用简称 and English abbreviations the doctor may type (冠心病, 上感, COPD). */
  aliases: readonly SearchName[];
  /** 1–5, how often a township clinic writes it (5: every day). */
  commonness: number;
  limits: DiagnosisLimits;
  keys: SearchKeys;
}

/** The patient a diagnosis is being searched for; sex 0/9 (unknown, unspecified) does not filter. */
export interface DiagnosisPatient {
  sex: SexCode;
  ageYears?: number;
}

type CatalogProblem = ErrorCodeOf<'catalog'>;

/** A table or catalogue file that cannot be loaded, naming the line or item (the catalogue's `catalog.*`). */
export class CatalogError<C extends CatalogProblem = CatalogProblem> extends CodedError<`catalog.${C}`> {
  override readonly name = 'CatalogError';
  constructor(problem: C, ...[params]: CodedErrorArgs<`catalog.${C}`>) {
    super(`catalog.${problem}`, ...([params] as CodedErrorArgs<`catalog.${C}`>));
  }
}

const parseLimits = (text: string): DiagnosisLimits | undefined => {
  const limits: DiagnosisLimits = {};
  for (const token of text.split(/\s+/).filter(Boolean)) {
    if (token === 'F') limits.sex = '2';
    else if (token === 'M') limits.sex = '1';
    else {
      const age = /^age(\d{0,3})-(\d{0,3})$/.exec(token);
      if (!age || (age[1] === '' && age[2] === '')) return undefined;
      if (age[1] !== '') limits.minAge = Number(age[1]);
      if (age[2] !== '') limits.maxAge = Number(age[2]);
    }
  }
  return limits;
};

/**
 * Parses "CODE<TAB>名称[<TAB>简称、简称[<TAB>常见度[<TAB>适用]]]" lines; throws CatalogError naming the
 * line when one is malformed or repeated.
 */
export const parseIcd10Table = (text: string): Icd10Diagnosis[] => {
  const seen = new Set<string>();
  const out: Icd10Diagnosis[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const [code = '', name = '', aliasText = '', commonnessText = '', limitsText = ''] = line.split('\t').map((s) => s.trim());
    const lineNumber = index + 1;
    if (!icd10Code.safeParse(code).success || name === '') throw new CatalogError('icd10-line-format', { line: lineNumber });
    if (seen.has(code)) throw new CatalogError('icd10-code-repeated', { line: lineNumber, code });
    const commonness = commonnessText === '' ? 1 : Number(commonnessText);
    if (!Number.isInteger(commonness) || commonness < 1 || commonness > 5) throw new CatalogError('icd10-commonness', { line: lineNumber });
    const limits = parseLimits(limitsText);
    if (!limits) throw new CatalogError('icd10-limits', { line: lineNumber, limits: limitsText.slice(0, 20) });
    seen.add(code);
    const aliases = aliasText
      .split('、')
      .map((a) => a.trim())
      .filter((a) => a !== '' && a !== name)
      .map(searchName);
    out.push({ code, name, aliases, commonness, limits, keys: searchKeysFor(name) });
  });
  return out;
};

let cached: Icd10Diagnosis[] | undefined;
/** The bundled table; pinyin keys of names and 简称 computed on first use, once, never per keystroke. */
export const icd10Diagnoses = (): readonly Icd10Diagnosis[] => (cached ??= parseIcd10Table(icd10SubsetText));

/** Whether a diagnosis can apply to this patient (sex and age limits of the table). */
export const fitsPatient = (d: Icd10Diagnosis, patient: DiagnosisPatient | undefined): boolean => {
  if (!patient) return true;
  if (d.limits.sex && (patient.sex === '1' || patient.sex === '2') && d.limits.sex !== patient.sex) return false;
  const age = patient.ageYears;
  if (age === undefined) return true;
  if (d.limits.minAge !== undefined && age < d.limits.minAge) return false;
  if (d.limits.maxAge !== undefined && age >= d.limits.maxAge) return false;
  return true;
};

export interface DiagnosisSearch {
  limit?: number;
  /** When given, diagnoses that cannot apply to this patient are left out. */
  patient?: DiagnosisPatient;
}

/**
 * Diagnoses matching a code (I10, j069), Chinese name or 简称 (高血压, 上感), initials (gxb) or full
 * pinyin (gaoxueya); the most common first among equally good matches.
 */
export const searchDiagnoses = (query: string, { limit = 20, patient }: DiagnosisSearch = {}): Icd10Diagnosis[] => {
  const candidates = patient ? icd10Diagnoses().filter((d) => fitsPatient(d, patient)) : icd10Diagnoses();
  return searchEntries(candidates, query, limit);
};

export const findDiagnosis = (code: string): Icd10Diagnosis | undefined => icd10Diagnoses().find((d) => d.code === code);
