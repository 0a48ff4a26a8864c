/** ICD-10 diagnoses (诊断) the doctor picks from: the starter subset in data/icd10-subset.ts. */
import { icd10Code } from '../records/visit.ts';
import { icd10SubsetText } from './data/icd10-subset.ts';
import { searchEntries, searchKeysFor, type SearchKeys } from './search-keys.ts';

export interface Icd10Diagnosis {
  code: string;
  /** Chinese clinical name. */
  name: string;
  keys: SearchKeys;
}

export class CatalogError extends Error {
  override readonly name = 'CatalogError';
  readonly messageZh: string;
  constructor(message: string, messageZh: string) {
    super(message);
    this.messageZh = messageZh;
  }
}

/** Parses "CODE<TAB>名称" lines; throws CatalogError naming the line when one is malformed or repeated. */
export const parseIcd10Table = (text: string): Icd10Diagnosis[] => {
  const seen = new Set<string>();
  const out: Icd10Diagnosis[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const [code = '', name = ''] = line.split('\t').map((s) => s.trim());
    if (!icd10Code.safeParse(code).success || name === '') {
      throw new CatalogError(`ICD-10 table line ${index + 1}: expected "CODE<TAB>name"`, `ICD-10 诊断表第 ${index + 1} 行格式错误，应为"编码<TAB>名称"`);
    }
    if (seen.has(code)) throw new CatalogError(`ICD-10 table line ${index + 1}: code ${code} repeated`, `ICD-10 诊断表第 ${index + 1} 行编码 ${code} 重复`);
    seen.add(code);
    out.push({ code, name, keys: searchKeysFor(name) });
  });
  return out;
};

let cached: Icd10Diagnosis[] | undefined;
/** The bundled subset; pinyin keys computed on first use, once. */
export const icd10Diagnoses = (): readonly Icd10Diagnosis[] => (cached ??= parseIcd10Table(icd10SubsetText));

/** Diagnoses matching a code prefix (i10, J06), Chinese name (高血压), initials (gxy) or pinyin (gaoxueya). */
export const searchDiagnoses = (query: string, limit = 20): Icd10Diagnosis[] => searchEntries(icd10Diagnoses(), query, limit);

export const findDiagnosis = (code: string): Icd10Diagnosis | undefined => icd10Diagnoses().find((d) => d.code === code);
