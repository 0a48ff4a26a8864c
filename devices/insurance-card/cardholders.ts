/**
 * Sample cardholders for the simulator, the demo and tests: invented people with valid GB 11643
 * numbers (computed, not copied), and the card file system (EF05/EF06 records) their card carries.
 */
import iconv from 'iconv-lite';
import { mod112CheckCharacter } from '../../core/identity/id-number.ts';
import type { InsuranceCard } from '../../core/insurance/insurance-card.ts';
import { encodeFieldValue, encodeRecord, RECORD_LAYOUTS } from './codec.ts';

/** Builds a card; the ID number gets its check character and the birth date follows it. */
export function makeCardholder(overrides: Partial<InsuranceCard> & { idFirst17?: string } = {}): InsuranceCard {
  const { idFirst17 = '33010219800101123', ...rest } = overrides;
  const socialSecurityNumber = rest.socialSecurityNumber ?? idFirst17 + mod112CheckCharacter(idFirst17);
  const birth = socialSecurityNumber.slice(6, 14);
  return {
    cardIdentificationCode: '330100D15600000500A1B2C3D4E5F601',
    issueDate: '2019-06-01',
    expiryDate: '2029-06-01',
    cardNumber: 'A01234567',
    name: '张伟',
    sexCode: Number(socialSecurityNumber[16]) % 2 === 1 ? '1' : '2',
    nationCode: '01',
    birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
    ...rest,
    socialSecurityNumber,
  };
}

export const sampleCardholders: readonly InsuranceCard[] = [
  makeCardholder(),
  makeCardholder({
    idFirst17: '33108219650315004',
    name: '李秀英',
    cardNumber: 'B98765432',
    cardIdentificationCode: '331082D15600000500B1C2D3E4F50617',
    issueDate: '2017-11-20',
    expiryDate: '2027-11-20',
  }),
  makeCardholder({
    idFirst17: '52263119920708301',
    name: '欧阳建国',
    nationCode: '06',
    cardNumber: 'C20240815',
    cardIdentificationCode: '522631D1560000050011223344556677',
    issueDate: '2021-03-05',
    expiryDate: '2031-03-05',
  }),
  makeCardholder({
    idFirst17: '45030520011231002',
    name: '韦丽',
    nationCode: '08',
    cardNumber: 'D00000001',
    cardIdentificationCode: '450305D156000005008899AABBCCDDEE',
    issueDate: '2023-08-08',
    expiryDate: '2033-08-08',
  }),
];

/** A card's elementary files: file id → record number → the TLV record as READ RECORD returns it. */
export type CardFileSystem = Map<number, Map<number, Uint8Array>>;

export function buildCardFileSystem(card: InsuranceCard): CardFileSystem {
  const gbkName = Uint8Array.from(iconv.encode(card.name, 'gbk'));
  const files: CardFileSystem = new Map();
  for (const layout of RECORD_LAYOUTS) {
    const records = files.get(layout.file) ?? new Map<number, Uint8Array>();
    records.set(layout.record, encodeRecord(layout.record, encodeFieldValue(layout, card, gbkName)));
    files.set(layout.file, records);
  }
  return files;
}
