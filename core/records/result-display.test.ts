import { describe, expect, it } from 'vitest';
import { displayResultValue, parseReferenceRange, typesetUnit } from './result-display.ts';
import type { ResultValue } from './result.ts';

const value = (overrides: Partial<ResultValue>): ResultValue => ({ code: 'WBC', name: '白细胞计数', value: 7.2, unit: '10*9/L', referenceRange: '3.5-9.5', flag: '', ...overrides });

describe('a result value as the doctor reads it', () => {
  it('never glues the number to a power of ten: 7.2 with 10*9/L reads "7.2 ×10⁹/L"', () => {
    const shown = displayResultValue(value({}));
    expect(shown.valueWithUnit).toBe('7.2 ×10⁹/L');
    expect(shown.text).toBe('白细胞计数 7.2 ×10⁹/L (3.5–9.5)');
    expect(shown.text).not.toContain('7.210');
  });

  it('prints every spelling of a power of ten that labs send the same way', () => {
    for (const unit of ['10*9/L', '10^9/L', '10E9/L', 'x10^9/L', '×10^9/L', '×10⁹/L', '*10^9/L']) expect(typesetUnit(unit), unit).toBe('×10⁹/L');
    expect(typesetUnit('10*12/L')).toBe('×10¹²/L');
    expect(typesetUnit('10*3/uL')).toBe('×10³/µL');
  });

  it('prints micro as µ whether the lab wrote u (UCUM) or the Greek μ', () => {
    expect(typesetUnit('umol/L')).toBe('µmol/L');
    expect(typesetUnit('μmol/L')).toBe('µmol/L');
    expect(typesetUnit('u[IU]/mL')).toBe('µIU/mL');
    expect(typesetUnit('mmol/L')).toBe('mmol/L');
    expect(typesetUnit('U/L')).toBe('U/L');
  });

  it('puts no space before a percent sign and shows nothing for a unitless value', () => {
    expect(displayResultValue(value({ name: '糖化血红蛋白', value: 6.8, unit: '%', referenceRange: '4-6' })).valueWithUnit).toBe('6.8%');
    expect(displayResultValue(value({ name: '国际标准化比值', value: 1.1, unit: '{INR}', referenceRange: '' })).valueWithUnit).toBe('1.1');
    expect(displayResultValue(value({ name: '尿蛋白', value: '阴性', unit: '', referenceRange: '阴性' })).text).toBe('尿蛋白 阴性 (阴性)');
  });

  it('shows the lab flag as an arrow, and marks HH/LL as critical', () => {
    expect(displayResultValue(value({ value: 12.1, flag: 'H' })).text).toBe('白细胞计数 12.1 ×10⁹/L ↑ (3.5–9.5)');
    expect(displayResultValue(value({ value: 2.1, flag: 'L' })).flag).toBe('L');
    const critical = displayResultValue(value({ name: '钾', value: 6.9, unit: 'mmol/L', referenceRange: '3.5-5.3', flag: 'HH' }));
    expect(critical).toMatchObject({ critical: true, flagDerived: false });
    expect(critical.text).toBe('钾 6.9 mmol/L ↑↑ (3.5–5.3)');
  });

  it('flags a value outside its range when the lab sent no flag, and says the flag was derived', () => {
    expect(displayResultValue(value({ value: 10.4 }))).toMatchObject({ flag: 'H', flagDerived: true });
    expect(displayResultValue(value({ value: 3.1 }))).toMatchObject({ flag: 'L', flagDerived: true });
    expect(displayResultValue(value({ value: 9.5 }))).toMatchObject({ flag: '', flagDerived: false });
    // A lab's explicit flag is never overridden.
    expect(displayResultValue(value({ value: 5, flag: 'A' }))).toMatchObject({ flag: 'A', flagDerived: false });
  });

  it('reads the ranges the hub stores, one-sided ones included', () => {
    expect(parseReferenceRange('3.5-9.5')).toEqual({ low: 3.5, high: 9.5, text: '3.5–9.5' });
    expect(parseReferenceRange('2.8-')).toEqual({ low: 2.8, text: '≥2.8' });
    expect(parseReferenceRange('-5.2')).toEqual({ high: 5.2, text: '≤5.2' });
    expect(parseReferenceRange('<5.2')).toEqual({ high: 5.2, text: '<5.2' });
    expect(parseReferenceRange('>=1.0')).toEqual({ low: 1, text: '≥1.0' });
    expect(parseReferenceRange('0.56~1.7')).toEqual({ low: 0.56, high: 1.7, text: '0.56–1.7' });
    expect(parseReferenceRange('阴性')).toEqual({ text: '阴性' });
    expect(parseReferenceRange('')).toEqual({ text: '' });
  });
});
