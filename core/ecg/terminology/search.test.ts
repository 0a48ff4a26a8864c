import { describe, expect, it } from 'vitest';
import { searchStatements } from './search.ts';
import { ecgStatements } from './statements.ts';

const codes = (query: string) => searchStatements(query).map((s) => s.code);

describe('finding an ECG statement as a cardiologist types it', () => {
  it('matches pinyin and its initials: qianbi and qb find the anterior infarctions', () => {
    expect(searchStatements('qianbi').map((s) => s.zh)).toEqual(expect.arrayContaining(['急性前壁心肌梗死', '急性广泛前壁心肌梗死', '陈旧性前壁心肌梗死']));
    expect(searchStatements('qianbi').every((s) => s.zh.includes('前') && s.zh.includes('壁'))).toBe(true);
    expect(codes('fangchan')[0]).toBe('RHY-009');
    expect(codes('xfcd')[0]).toBe('RHY-009');
  });

  it('matches the abbreviations used on the wards: STEMI, AF, RBBB, in any case', () => {
    expect(codes('STEMI')).toEqual(expect.arrayContaining(['INF-008', 'INF-002', 'INF-005']));
    expect(searchStatements('STEMI').every((s) => s.category === 'infarction')).toBe(true);
    expect(codes('AF').slice(0, 2)).toEqual(['RHY-009', 'RHY-010']);
    expect(codes('rbbb')).toEqual(['CON-007', 'CON-008']);
    expect(codes('LBBB')).toEqual(['CON-009', 'CON-010']);
    expect(codes('PVC')[0]).toBe('RHY-014');
  });

  it('still matches Chinese and English text, and shows everything for an empty search', () => {
    expect(codes('右束支')).toEqual(['CON-007', 'CON-008']);
    expect(codes('fibrillation')).toEqual(expect.arrayContaining(['RHY-009', 'RHY-010', 'RHY-023']));
    expect(searchStatements('  ')).toHaveLength(ecgStatements.length);
    expect(searchStatements('zzzzqqq')).toEqual([]);
  });
});
