import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeCitizenIdNumber, makePermanentResidentNumber } from '../../tests/fixtures/id-card/builders.ts';
import { checkCitizenIdNumber, checkPermanentResidentNumber, mod112CheckCharacter, parseCompactDate } from './id-number.ts';

const today = new Date(2026, 10, 23);

describe('GB 11643 citizen ID numbers', () => {
  it('computes the check character X for the standard example 11010519491231002', () => {
    expect(mod112CheckCharacter('11010519491231002')).toBe('X');
    expect(checkCitizenIdNumber('11010519491231002x', today)).toEqual({
      ok: true,
      idNumber: '11010519491231002X',
      regionCode: '110105',
      birthDate: '1949-12-31',
      sex: 'female',
    });
  });

  it('reads the sex from digit 17: odd is male', () => {
    const check = checkCitizenIdNumber(makeCitizenIdNumber({ sequence: '013' }), today);
    expect(check.ok && check.sex).toBe('male');
  });

  it.each([
    ['wrong-length', '1101051949123100'],
    ['bad-characters', '1101051949123100AX'],
    ['bad-check-digit', '110105194912310021'],
  ] as const)('refuses a number with %s and says why in Chinese and English', (problem, value) => {
    const check = checkCitizenIdNumber(value, today);
    expect(check).toMatchObject({ ok: false, problem });
    if (!check.ok) expect(check.reason.zh).toMatch(/号码/);
  });

  it('refuses a region that is not a province code', () => {
    expect(checkCitizenIdNumber(makeCitizenIdNumber({ region: '990101' }), today)).toMatchObject({ problem: 'unknown-region' });
  });

  it('refuses a birth date that does not exist (30 February, 29 February of a common year)', () => {
    expect(checkCitizenIdNumber(makeCitizenIdNumber({ birth: '19900230' }), today)).toMatchObject({ problem: 'impossible-birth-date' });
    expect(checkCitizenIdNumber(makeCitizenIdNumber({ birth: '19000229' }), today)).toMatchObject({ problem: 'impossible-birth-date' });
    expect(checkCitizenIdNumber(makeCitizenIdNumber({ birth: '20000229' }), today).ok).toBe(true);
  });

  it('refuses a birth date after today', () => {
    expect(checkCitizenIdNumber(makeCitizenIdNumber({ birth: '20261124' }), today)).toMatchObject({ problem: 'birth-date-in-future' });
    expect(checkCitizenIdNumber(makeCitizenIdNumber({ birth: '20261123' }), today).ok).toBe(true);
  });

  const validNumber = fc
    .record({
      province: fc.constantFrom('11', '31', '41', '44', '51', '65', '81', '83'),
      county: fc.integer({ min: 0, max: 9999 }),
      birth: fc.date({ min: new Date(1900, 0, 1), max: today, noInvalidDate: true }),
      sequence: fc.integer({ min: 0, max: 999 }),
    })
    .map(({ province, county, birth, sequence }) =>
      makeCitizenIdNumber({
        region: province + String(county).padStart(4, '0'),
        birth: `${birth.getFullYear()}${String(birth.getMonth() + 1).padStart(2, '0')}${String(birth.getDate()).padStart(2, '0')}`,
        sequence: String(sequence).padStart(3, '0'),
      }),
    );

  it('accepts every well-formed generated number (property)', () => {
    fc.assert(fc.property(validNumber, (id) => checkCitizenIdNumber(id, today).ok));
  });

  it('refuses every number with exactly one digit changed (property)', () => {
    fc.assert(
      fc.property(validNumber, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 10 }), (id, position, delta) => {
        const alphabet = position === 17 ? '0123456789X' : '0123456789';
        const index = alphabet.indexOf(id[position]!);
        const replacement = alphabet[(index + delta) % alphabet.length]!;
        fc.pre(replacement !== id[position]);
        const changed = id.slice(0, position) + replacement + id.slice(position + 1);
        return !checkCitizenIdNumber(changed, today).ok;
      }),
    );
  });
});

describe('2023 foreign permanent resident (Y) card numbers', () => {
  it('accepts an 18-digit number that begins with 9 and has a MOD 11-2 check', () => {
    expect(checkPermanentResidentNumber(makePermanentResidentNumber())).toMatchObject({ ok: true });
  });
  it('refuses a number that does not begin with 9', () => {
    expect(checkPermanentResidentNumber(makePermanentResidentNumber('81115619850412003'))).toMatchObject({
      problem: 'not-a-permanent-resident-number',
    });
  });
  it('refuses a wrong check digit', () => {
    const good = makePermanentResidentNumber();
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    expect(checkPermanentResidentNumber(bad)).toMatchObject({ problem: 'bad-check-digit' });
  });
});

describe('compact dates', () => {
  it('turns YYYYMMDD into an ISO date only when the day exists', () => {
    expect(parseCompactDate('20240229')).toBe('2024-02-29');
    expect(parseCompactDate('20230229')).toBeUndefined();
    expect(parseCompactDate('20231301')).toBeUndefined();
    expect(parseCompactDate('2023013')).toBeUndefined();
  });
});
