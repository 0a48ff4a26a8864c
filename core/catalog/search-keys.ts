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

/** A name and its pinyin keys: the entry's own name, or another name it is known by. */
export interface SearchName {
  name: string;
  keys: SearchKeys;
}

export const searchName = (name: string): SearchName => ({ name, keys: searchKeysFor(name) });

/** What searchEntries ranks: a code, a name, optionally other names (简称, English) and how common it is. */
export interface Searchable {
  code: string;
  name: string;
  keys: SearchKeys;
  aliases?: readonly SearchName[];
  /** Higher is more common; breaks ties between equally good matches. */
  commonness?: number;
}

/** Lower-case, no spaces or dots: what is compared against codes and pinyin keys. */
export const normalizeQuery = (query: string): string => query.trim().toLowerCase().replace(/[\s.]/g, '');

const nameRank = (candidate: SearchName, lowerText: string, q: string): number | undefined => {
  const name = candidate.name.toLowerCase();
  const { initials, full } = candidate.keys;
  if (name === lowerText || initials === q || full === q) return 1;
  if (name.startsWith(lowerText) || initials.startsWith(q) || full.startsWith(q)) return 3;
  if (name.includes(lowerText)) return 4;
  if (q.length >= 2 && (initials.includes(q) || full.includes(q))) return 5;
  return undefined;
};

/**
 * Ranks how well an entry matches: lower is better, undefined when it does not match. Exact code;
 * then an exact name, 简称 or pinyin (上感, gxb); then code prefix; then name or pinyin prefix; then
 * a name containing the text; then pinyin containing it.
 */
export const matchRank = (entry: Searchable, rawQuery: string): number | undefined => {
  const q = normalizeQuery(rawQuery);
  if (q === '') return undefined;
  const code = entry.code.toLowerCase().replace('.', '');
  if (code === q) return 0;
  const text = rawQuery.trim();
  const lowerText = text.toLowerCase();
  let best = code.startsWith(q) ? 2 : undefined;
  for (const candidate of [{ name: entry.name, keys: entry.keys }, ...(entry.aliases ?? [])]) {
    const rank = nameRank(candidate, lowerText, q);
    if (rank !== undefined && (best === undefined || rank < best)) best = rank;
  }
  return best;
};

/** The best `limit` matches: by match quality, then the more common first, then catalogue order. */
export const searchEntries = <T extends Searchable>(entries: readonly T[], query: string, limit: number): T[] => {
  const hits: Array<{ entry: T; rank: number; index: number }> = [];
  entries.forEach((entry, index) => {
    const rank = matchRank(entry, query);
    if (rank !== undefined) hits.push({ entry, rank, index });
  });
  return hits
    .sort((a, b) => a.rank - b.rank || (b.entry.commonness ?? 0) - (a.entry.commonness ?? 0) || a.index - b.index)
    .slice(0, limit)
    .map((h) => h.entry);
};
