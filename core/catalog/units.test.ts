import { describe, expect, it } from 'vitest';
import { displayResultValue, typesetUnit } from '../records/result-display.ts';
import { starterItemCatalog } from './items.ts';

/** What each unit in the starter catalogue must look like on screen and on paper. */
const printed: Record<string, string> = {
  '': '',
  '1': '',
  '%': '%',
  '10*9/L': '×10⁹/L',
  '10*12/L': '×10¹²/L',
  'g/L': 'g/L',
  fL: 'fL',
  pg: 'pg',
  '[pH]': '',
  '/uL': '/µL',
  '/[HPF]': '/HP',
  'mmol/L': 'mmol/L',
  'umol/L': 'µmol/L',
  'pmol/L': 'pmol/L',
  'U/L': 'U/L',
  'mL/min/{1.73_m2}': 'mL/min/1.73m²',
  'u[IU]/mL': 'µIU/mL',
  'm[IU]/mL': 'mIU/mL',
  'mg/L': 'mg/L',
  'mg/L{FEU}': 'mg/L FEU',
  'ng/mL': 'ng/mL',
  'pg/mL': 'pg/mL',
  'mm/h': 'mm/h',
  s: 's',
  '{INR}': '',
  'mg/g': 'mg/g',
};

describe('every unit in the item catalogue', () => {
  const analytes = starterItemCatalog().items.flatMap((item) => item.analytes.map((a) => ({ item: item.name, ...a })));

  it('lists the analytes of the common lab items with their units', () => {
    expect(analytes.length).toBeGreaterThan(50);
    expect(analytes.find((a) => a.item === '血常规' && a.name === '白细胞计数')?.unit).toBe('10*9/L');
  });

  it.each([...new Set(analytes.map((a) => a.unit))])('typesets %j as a lab report prints it', (unit) => {
    expect(printed, `add the printed form of ${unit} to this table`).toHaveProperty([unit]);
    expect(typesetUnit(unit)).toBe(printed[unit]);
  });

  it('shows a value of every analyte with its unit, no raw UCUM left', () => {
    for (const a of analytes) {
      const shown = displayResultValue({ code: a.code, name: a.name, value: 7.2, unit: a.unit, referenceRange: '', flag: '' });
      expect(shown.valueWithUnit, `${a.item} ${a.name}`).not.toMatch(/[*^{}[\]_]|7\.2\d/);
      expect(shown.valueWithUnit.startsWith('7.2')).toBe(true);
    }
  });
});
