/**
 * Finding a statement as a cardiologist types it: Chinese (前壁), pinyin or its initials (qianbi, qb),
 * the English term (fibrillation) or the abbreviation used on the wards (STEMI, AF, RBBB). Keys are
 * computed once, on the first search, never per keystroke.
 */
import { searchEntries, searchKeysFor, type Searchable, type SearchName } from '../../catalog/search-keys.ts';
import { ecgStatements, type EcgStatement } from './statements.ts';

/** English abbreviations in clinical use, per statement code (AHA/ACC/HRS wording where it has one). */
const abbreviations: Record<string, readonly string[]> = {
  'RHY-001': ['SR', 'NSR'],
  'RHY-006': ['PAC', 'APC'],
  'RHY-007': ['AT'],
  'RHY-008': ['AFL'],
  'RHY-009': ['AF'],
  'RHY-010': ['AF', 'RVR'],
  'RHY-011': ['PJC'],
  'RHY-012': ['JER'],
  'RHY-013': ['PSVT', 'SVT'],
  'RHY-014': ['PVC', 'VPB'],
  'RHY-015': ['PVC', 'VPB'],
  'RHY-016': ['PVC'],
  'RHY-017': ['PVC'],
  'RHY-018': ['PVC'],
  'RHY-019': ['PVC'],
  'RHY-020': ['VT'],
  'RHY-021': ['TdP'],
  'RHY-022': ['VFL'],
  'RHY-023': ['VF'],
  'RHY-025': ['AIVR'],
  'RHY-026': ['PM'],
  'CON-001': ['AVB', 'I°AVB'],
  'CON-002': ['AVB', 'II°AVB'],
  'CON-003': ['AVB', 'II°AVB'],
  'CON-004': ['AVB'],
  'CON-005': ['AVB'],
  'CON-006': ['AVB', 'III°AVB', 'CHB'],
  'CON-007': ['RBBB', 'CRBBB'],
  'CON-008': ['RBBB', 'IRBBB'],
  'CON-009': ['LBBB', 'CLBBB'],
  'CON-010': ['LBBB', 'ILBBB'],
  'CON-011': ['LAFB', 'LAHB'],
  'CON-012': ['LPFB', 'LPHB'],
  'CON-014': ['IVCD'],
  'CON-015': ['WPW'],
  'CON-017': ['SAB'],
  'AXS-001': ['LAD'],
  'AXS-002': ['RAD'],
  'HYP-002': ['LVH'],
  'HYP-003': ['LVH'],
  'HYP-004': ['RVH'],
  'HYP-005': ['BVH'],
  'HYP-006': ['LAE', 'LAA'],
  'HYP-007': ['RAE', 'RAA'],
  'STT-008': ['AMI'],
  'STT-009': ['ER', 'ERP'],
  'STT-010': ['LQT', 'QTc'],
  'STT-011': ['LQT', 'QTc'],
  'STT-012': ['SQT'],
  'INF-001': ['STEMI', 'AMI'],
  'INF-002': ['STEMI', 'AMI'],
  'INF-003': ['STEMI', 'AMI'],
  'INF-004': ['STEMI', 'AMI'],
  'INF-005': ['STEMI', 'AMI'],
  'INF-006': ['STEMI', 'AMI'],
  'INF-007': ['STEMI', 'AMI'],
  'INF-008': ['STEMI', 'AMI'],
  'INF-009': ['OMI'],
  'INF-010': ['OMI'],
};

export const statementAbbreviations = (code: string): readonly string[] => abbreviations[code] ?? [];

/** English words are matched as typed (case-insensitive); they have no pinyin keys. */
const latinName = (name: string): SearchName => ({ name, keys: { initials: '', full: '' } });

type SearchableStatement = Searchable & { statement: EcgStatement };

let index: SearchableStatement[] | undefined;
const searchIndex = (): SearchableStatement[] =>
  (index ??= ecgStatements.map((statement) => ({
    statement,
    code: statement.code,
    name: statement.zh,
    keys: searchKeysFor(statement.zh),
    aliases: [statement.en, ...statementAbbreviations(statement.code)].map(latinName),
  })));

/** Statements matching the query, best first; every statement, in catalogue order, for an empty query. */
export const searchStatements = (query: string): EcgStatement[] =>
  query.trim() === '' ? [...ecgStatements] : searchEntries(searchIndex(), query, ecgStatements.length).map((s) => s.statement);
