import { describe, expect, it } from 'vitest';
import { nationCodeList, nationCodes, nationName } from './codes.ts';
import { maskIdNumber } from './id-number.ts';

describe('identity data as lists show it', () => {
  it('masks an ID number to region and last four: 110105********1234', () => {
    expect(maskIdNumber('110105198001011234')).toBe('110105********1234');
    expect(maskIdNumber('11010519800101123X')).toBe('110105********123X');
    expect(maskIdNumber(' 110105198001011234 ')).toBe('110105********1234');
    // Other documents (passport E12345678): the birth-date-like middle is never shown whole.
    expect(maskIdNumber('E12345678')).toBe('E12***678');
    expect(maskIdNumber('123')).toBe('***');
  });

  it('lists the nations in GB 3304 order, 汉族 first and 其他 last', () => {
    expect(nationCodeList.map(nationName).slice(0, 4)).toEqual(['汉族', '蒙古族', '回族', '藏族']);
    expect(nationCodeList.slice(-2)).toEqual(['97', '98']);
    expect([...nationCodeList].sort()).toEqual(Object.keys(nationCodes).sort());
  });
});
