/**
 * The test and exam item catalogue (检查检验项目目录): what a doctor may order, how long a result
 * stays recognizable (互认有效期) and where, and what it costs. Loaded from JSON an administrator can
 * replace (data/items.json is the bundled starter set); every file is zod-validated on load and a bad
 * one is refused with a message naming the item and field, in Chinese and English.
 */
import { z } from 'zod';
import { CatalogError } from './icd10.ts';
import { searchEntries, searchKeysFor, type SearchKeys } from './search-keys.ts';
import starterItems from './data/items.json' with { type: 'json' };

export const itemCategories = ['lab', 'exam'] as const; // 检验 / 检查
/** 互认范围: the level of the medical community within which a result is accepted. */
export const recognitionScopes = ['community', 'city', 'province'] as const;

export const DEFAULT_VALIDITY_DAYS = 30;

/** One measured value of a lab item (血常规 → 白细胞计数 …) and the unit labs report it in, as UCUM. */
const analyteSchema = z.object({
  code: z.string().regex(/^[A-Z0-9][A-Z0-9#%-]{0,31}$/, { message: 'analyte code: upper-case letters, digits, #, % and -, at most 32' }),
  name: z.string().min(1).max(100),
  unit: z.string().max(32),
});
export type CatalogAnalyte = z.infer<typeof analyteSchema>;

const itemSchema = z.object({
  code: z.string().regex(/^[A-Z0-9][A-Z0-9-]{0,31}$/, { message: 'code: upper-case letters, digits and -, at most 32' }),
  name: z.string().min(1).max(100),
  category: z.enum(itemCategories),
  /** Days a result of this item stays recognizable; the file's default when absent. */
  validityDays: z.number().int().min(1).max(3650).optional(),
  priceYuan: z.number().min(0).max(100_000),
  recognitionScope: z.enum(recognitionScopes),
  analytes: z.array(analyteSchema).max(200).optional(),
});

export const itemCatalogFileSchema = z.object({
  version: z.number().int().min(1),
  description: z.string().max(500).optional(),
  defaultValidityDays: z.number().int().min(1).max(3650).default(DEFAULT_VALIDITY_DAYS),
  items: z.array(itemSchema).min(1).max(10_000),
});

export interface CatalogItem {
  code: string;
  name: string;
  category: (typeof itemCategories)[number];
  validityDays: number;
  priceYuan: number;
  /** Price in fen (分), the unit money is counted in (Order.recognition.priceSavedFen). */
  priceFen: number;
  recognitionScope: (typeof recognitionScopes)[number];
  /** What a result of this item reports, with units; empty for exams and qualitative-only items. */
  analytes: readonly CatalogAnalyte[];
  keys: SearchKeys;
}

export interface ItemCatalog {
  items: readonly CatalogItem[];
  find(code: string): CatalogItem | undefined;
  search(query: string, limit?: number): CatalogItem[];
}

/** Validates a catalogue file (parsed JSON) and indexes it; throws CatalogError on any problem. */
export const loadItemCatalog = (json: unknown): ItemCatalog => {
  const parsed = itemCatalogFileSchema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`)
      .join('; ');
    throw new CatalogError('items-file-invalid', { where });
  }
  const seen = new Set<string>();
  const items = parsed.data.items.map((item, index): CatalogItem => {
    if (seen.has(item.code)) {
      throw new CatalogError('item-code-repeated', { index, position: index + 1, code: item.code });
    }
    seen.add(item.code);
    return {
      ...item,
      validityDays: item.validityDays ?? parsed.data.defaultValidityDays,
      analytes: item.analytes ?? [],
      priceFen: Math.round(item.priceYuan * 100),
      keys: searchKeysFor(item.name),
    };
  });
  const byCode = new Map(items.map((i) => [i.code, i]));
  return {
    items,
    find: (code) => byCode.get(code),
    search: (query, limit = 20) => searchEntries(items, query, limit),
  };
};

let starter: ItemCatalog | undefined;
/** The bundled starter catalogue (data/items.json). */
export const starterItemCatalog = (): ItemCatalog => (starter ??= loadItemCatalog(starterItems));
