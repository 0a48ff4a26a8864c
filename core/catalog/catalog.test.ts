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

  it('finds what township doctors type: 简称, pinyin initials and partial names, commonest first', () => {
    expect(searchDiagnoses('gxb')[0]).toMatchObject({ code: 'I25.1', name: '冠状动脉粥样硬化性心脏病' });
    expect(searchDiagnoses('冠心病')[0]?.code).toBe('I25.1');
    expect(searchDiagnoses('冠心')[0]?.code).toBe('I25.1');
    expect(searchDiagnoses('上感')[0]).toMatchObject({ code: 'J06.9', name: '急性上呼吸道感染' });
    expect(searchDiagnoses('sg')[0]?.code).toBe('J06.9');
    expect(searchDiagnoses('慢阻肺')[0]).toMatchObject({ code: 'J44.9', name: '慢性阻塞性肺疾病' });
    expect(searchDiagnoses('COPD')[0]?.code).toBe('J44.9');
    expect(searchDiagnoses('糖尿病')[0]).toMatchObject({ code: 'E11.9', name: '2型糖尿病' });
    expect(searchDiagnoses('tnb')[0]?.code).toBe('E11.9');
    expect(searchDiagnoses('急性胃肠炎')[0]?.code).toBe('A09.9');
    expect(searchDiagnoses('房颤')[0]?.code).toBe('I48.9');
  });

  it('ranks essential hypertension above the rarer hypertensive diseases', () => {
    const hits = codes(searchDiagnoses('高血压'));
    expect(hits[0]).toBe('I10');
    expect(hits.indexOf('I10')).toBeLessThan(hits.indexOf('I11.9'));
    expect(codes(searchDiagnoses('gxy'))[0]).toBe('I10');
  });

  it('does not offer a diagnosis that cannot apply to the patient', () => {
    const man = { sex: '1' as const, ageYears: 58 };
    const pregnantWoman = { sex: '2' as const, ageYears: 29 };
    expect(codes(searchDiagnoses('妊娠期高血压', { patient: man }))).not.toContain('O13');
    expect(codes(searchDiagnoses('妊娠期高血压', { patient: pregnantWoman }))).toContain('O13');
    expect(codes(searchDiagnoses('前列腺', { patient: pregnantWoman }))).toEqual([]);
    expect(codes(searchDiagnoses('前列腺增生', { patient: man }))).toContain('N40');
    expect(codes(searchDiagnoses('新生儿黄疸', { patient: man }))).toEqual([]);
    expect(codes(searchDiagnoses('新生儿黄疸', { patient: { sex: '2', ageYears: 0 } }))).toEqual(['P59.9']);
    // Sex not known (0) or not stated (9): nothing is hidden for sex.
    expect(codes(searchDiagnoses('妊娠期高血压', { patient: { sex: '9', ageYears: 30 } }))).toContain('O13');
  });

  it('holds the diagnoses a township clinic writes most, each with a commonness and 简称 where doctors use one', () => {
    const all = icd10Diagnoses();
    for (const code of ['I10', 'I25.1', 'J06.9', 'E11.9', 'J44.9', 'A09.9', 'I63.9', 'J20.9', 'K29.5', 'M54.5']) {
      expect(all.find((d) => d.code === code)?.commonness, code).toBe(5);
    }
    expect(all.filter((d) => d.aliases.length > 0).length).toBeGreaterThan(80);
  });

  it("reads a county's replacement table with national clinical edition codes", () => {
    const [chd, htn] = parseIcd10Table('I25.103\t冠状动脉粥样硬化性心脏病\t冠心病\t5\nI10.x00x002\t原发性高血压\t高血压\t5');
    expect(chd).toMatchObject({ code: 'I25.103', commonness: 5 });
    expect(htn?.code).toBe('I10.x00x002');
  });

  it('refuses a malformed table line, naming the line', () => {
    expect(() => parseIcd10Table('I10\t原发性高血压\nnot-a-code\t什么')).toThrow(/line 2/);
    expect(() => parseIcd10Table('I10\t高血压\nI10\t高血压')).toThrow(CatalogError);
    expect(() => parseIcd10Table('I10\t高血压\nI10\t高血压')).toThrow(expect.objectContaining({ messageZh: 'ICD-10 诊断表第 2 行编码 I10 重复', message: 'ICD-10 table line 2: code I10 repeated' }));
    expect(() => parseIcd10Table('I10\t高血压\t\t9')).toThrow(/commonness/);
    expect(() => parseIcd10Table('O13\t妊娠期高血压\t\t3\tpregnant')).toThrow(/limits/);
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
