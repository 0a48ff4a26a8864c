/**
 * Search keys for catalogue names, computed once when a catalogue is built: 高血压 → 'gxy' and
 * 'gaoxueya', so a doctor can type code, Chinese, initials or full pinyin. Unlike patient names
 * (core/records/patient.ts) there is no surname mode: 单纯疱疹 reads dan, not shan.
 */
import { pinyin } from 'pinyin-pro';

export interface SearchKeys {
  initials: string;
  full: string;
}

export const searchKeysFor = (text: string): SearchKeys => {
  const syllables = pinyin(text, { toneType: 'none', type: 'array', v: true, nonZh: 'consecutive' })
    .map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, ''))
    .filter((s) => s.length > 0);
  return { initials: syllables.map((s) => s[0]).join(''), full: syllables.join('') };
};

/** Lower-case, no spaces or dots: what is compared against codes and pinyin keys. */
export const normalizeQuery = (query: string): string => query.trim().toLowerCase().replace(/[\s.]/g, '');

/**
 * Ranks how well an entry matches: lower is better, undefined when it does not match. Code prefix
 * beats name prefix beats initials/pinyin prefix beats substring anywhere.
 */
export const matchRank = (entry: { code: string; name: string; keys: SearchKeys }, rawQuery: string): number | undefined => {
  const q = normalizeQuery(rawQuery);
  if (q === '') return undefined;
  const code = entry.code.toLowerCase().replace('.', '');
  if (code === q) return 0;
  if (code.startsWith(q)) return 1;
  const text = rawQuery.trim();
  if (entry.name.startsWith(text)) return 2;
  if (entry.keys.initials.startsWith(q) || entry.keys.full.startsWith(q)) return 3;
  if (entry.name.includes(text)) return 4;
  if (q.length >= 2 && (entry.keys.initials.includes(q) || entry.keys.full.includes(q))) return 5;
  return undefined;
};

/** The best `limit` matches, ties kept in catalogue order. */
export const searchEntries = <T extends { code: string; name: string; keys: SearchKeys }>(entries: readonly T[], query: string, limit: number): T[] => {
  const hits: Array<{ entry: T; rank: number; index: number }> = [];
  entries.forEach((entry, index) => {
    const rank = matchRank(entry, query);
    if (rank !== undefined) hits.push({ entry, rank, index });
  });
  return hits
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .slice(0, limit)
    .map((h) => h.entry);
};
