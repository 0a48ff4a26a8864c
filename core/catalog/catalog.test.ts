import { describe, expect, it } from 'vitest';
import { CatalogError, icd10Diagnoses, parseIcd10Table, searchDiagnoses } from './icd10.ts';
import { loadItemCatalog, starterItemCatalog } from './items.ts';
import starterFile from './data/items.json' with { type: 'json' };

const codes = (list: Array<{ code: string }>) => list.map((d) => d.code);

describe('ICD-10 subset', () => {
  it('holds a few hundred distinct primary-care diagnoses', () => {
    const all = icd10Diagnoses();
    expect(all.length).toBeGreaterThanOrEqual(300);
    expect(new Set(codes([...all])).size).toBe(all.length);
  });

  it('finds essential hypertension by code prefix, Chinese name, initials and full pinyin', () => {
    expect(codes(searchDiagnoses('I10'))[0]).toBe('I10');
    expect(codes(searchDiagnoses('i1'))).toContain('I10');
    expect(codes(searchDiagnoses('高血压'))).toContain('I10');
    expect(searchDiagnoses('原发性高血压')[0]?.code).toBe('I10');
    expect(codes(searchDiagnoses('yfxgxy'))).toEqual(['I10']);
    expect(codes(searchDiagnoses('yuanfaxinggaoxueya'))).toEqual(['I10']);
  });

  it('matches a dotted code typed without the dot', () => {
    expect(searchDiagnoses('j069')[0]?.code).toBe('J06.9');
  });

  it('puts code matches before name matches and finds nothing for nonsense', () => {
    const hits = searchDiagnoses('E11');
    expect(hits.every((d) => d.code.startsWith('E11'))).toBe(true);
    expect(searchDiagnoses('qqqqzzzz')).toEqual([]);
    expect(searchDiagnoses('  ')).toEqual([]);
  });

  it('refuses a malformed table line, naming the line', () => {
    expect(() => parseIcd10Table('I10\t原发性高血压\nnot-a-code\t什么')).toThrow(/line 2/);
    expect(() => parseIcd10Table('I10\t高血压\nI10\t高血压')).toThrow(CatalogError);
  });
});

describe('test and exam item catalogue', () => {
  it('loads the bundled starter file with validity windows, prices in fen and scopes', () => {
    const catalog = starterItemCatalog();
    expect(catalog.items.length).toBe(starterFile.items.length);
    const cbc = catalog.find('LAB-CBC');
    expect(cbc).toMatchObject({ name: '血常规', category: 'lab', validityDays: 7, priceFen: 2000, recognitionScope: 'province' });
  });

  it('gives an item without its own window the file default of 30 days', () => {
    const catalog = loadItemCatalog({ version: 1, items: [{ code: 'LAB-X', name: '某项检验', category: 'lab', priceYuan: 12.5, recognitionScope: 'city' }] });
    expect(catalog.find('LAB-X')).toMatchObject({ validityDays: 30, priceFen: 1250 });
  });

  it('finds an item by Chinese name, initials and code', () => {
    const catalog = starterItemCatalog();
    expect(codes(catalog.search('血常规'))[0]).toBe('LAB-CBC');
    expect(codes(catalog.search('xcg'))).toContain('LAB-CBC');
    expect(codes(catalog.search('exam-ecg'))[0]).toBe('EXAM-ECG');
  });

  it('refuses a replacement file with a bad item, saying which item and field, in both languages', () => {
    const bad = { version: 1, items: [{ code: 'LAB-X', name: '某项', category: 'lab', priceYuan: -3, recognitionScope: 'city' }] };
    try {
      loadItemCatalog(bad);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CatalogError);
      expect((error as CatalogError).message).toContain('items.0.priceYuan');
      expect((error as CatalogError).messageZh).toContain('检查检验项目目录文件无效');
    }
  });

  it('refuses a file that repeats an item code', () => {
    const item = { code: 'LAB-X', name: '某项', category: 'lab', priceYuan: 3, recognitionScope: 'city' };
    expect(() => loadItemCatalog({ version: 1, items: [item, item] })).toThrow(/repeated/);
  });
});
