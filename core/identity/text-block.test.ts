import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  makeForeignPermanent2017,
  makeForeignPermanent2023,
  makeResidencePermit,
  makeResidentCard,
} from '../../tests/fixtures/id-card/builders.ts';
import { DeviceError } from '../contract/device-error.ts';
import { decodeBase64, encodeBase64 } from './base64.ts';
import { nationCodes, nationName, sexCodes } from './codes.ts';
import {
  displayName,
  identityDocumentFromJson,
  identityDocumentToJson,
  isExpired,
  type IdentityDocument,
} from './identity-document.ts';
import { decodeIdentityText, encodeIdentityText, makeIdentityDocument } from './text-block.ts';

const withoutPhoto = ({ photoWlt: _p, fingerprint: _f, ...text }: IdentityDocument) => text;

/** A block laid out by hand, independently of encodeIdentityText, from docs/protocols.md §1. */
function handMadeResidentBlock(): Uint8Array {
  const block = new Uint8Array(256);
  const put = (offset: number, text: string, bytes: number) => {
    const padded = text.padEnd(bytes / 2, ' ');
    for (let i = 0; i < bytes / 2; i++) {
      block[offset + 2 * i] = padded.charCodeAt(i) & 0xff;
      block[offset + 2 * i + 1] = padded.charCodeAt(i) >> 8;
    }
  };
  put(0, '李四', 30);
  put(30, '2', 2);
  put(32, '03', 4);
  put(36, '19491231', 16);
  put(52, '北京市朝阳区', 70);
  put(122, '11010519491231002X', 36);
  put(158, '北京市公安局朝阳分局', 30);
  put(188, '20100101', 16);
  put(204, '长期', 16);
  put(220, '', 36);
  return block;
}

describe('the 256-byte identity text block', () => {
  it('reads a resident card laid out per GA 467: UCS-2LE, space padded, 长期 means no expiry', () => {
    const text = decodeIdentityText(handMadeResidentBlock());
    expect(text).toEqual({
      cardType: 'resident',
      name: '李四',
      sex: '2',
      nationCode: '03',
      birthDate: '1949-12-31',
      address: '北京市朝阳区',
      idNumber: '11010519491231002X',
      issuingAuthority: '北京市公安局朝阳分局',
      validity: { from: '2010-01-01', to: null },
    });
    expect(isExpired(text, new Date(2090, 0, 1))).toBe(false);
  });

  it.each([
    ['resident card', makeResidentCard()],
    ['residence permit (J)', makeResidencePermit()],
    ['foreign permanent resident card 2017 (I)', makeForeignPermanent2017()],
    ['foreign permanent resident card 2023 (Y), long English name across both parts', makeForeignPermanent2023()],
    ['long-term resident card', makeResidentCard({ validity: { from: '2010-01-01', to: null } })],
  ])('round-trips a %s through its text block', (_label, card) => {
    const block = encodeIdentityText(withoutPhoto(card));
    expect(block.length).toBe(256);
    expect(decodeIdentityText(block)).toEqual(withoutPhoto(card));
  });

  it('marks the card type at byte 248', () => {
    expect(encodeIdentityText(withoutPhoto(makeResidencePermit()))[248]).toBe('J'.charCodeAt(0));
    expect(encodeIdentityText(withoutPhoto(makeForeignPermanent2017()))[248]).toBe('I'.charCodeAt(0));
    expect(encodeIdentityText(withoutPhoto(makeForeignPermanent2023()))[248]).toBe('Y'.charCodeAt(0));
    expect(encodeIdentityText(withoutPhoto(makeResidentCard()))[248]).toBe(0x20);
  });

  it('refuses a block whose ID number fails its check digit, without putting the number in the error', () => {
    const card = makeResidentCard();
    const badNumber = card.idNumber.slice(0, 17) + (card.idNumber[17] === '1' ? '2' : '1');
    const block = encodeIdentityText(withoutPhoto({ ...card, idNumber: badNumber }));
    const error = (() => {
      try {
        decodeIdentityText(block);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DeviceError);
    expect((error as DeviceError).code).toBe('invalid-card-data');
    expect((error as DeviceError).message).not.toContain(badNumber);
  });

  it('refuses a block with an unknown nation code, an unknown type mark or the wrong size', () => {
    const block = encodeIdentityText(withoutPhoto(makeResidentCard()));
    block[32] = 0x39; // '9' → nation "91"
    expect(() => decodeIdentityText(block)).toThrow(DeviceError);
    const marked = encodeIdentityText(withoutPhoto(makeResidentCard()));
    marked[248] = 'Q'.charCodeAt(0);
    expect(() => decodeIdentityText(marked)).toThrow(/not valid/);
    expect(() => decodeIdentityText(new Uint8Array(255))).toThrow(DeviceError);
  });

  it('never throws anything but DeviceError on random bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), (bytes) => {
        try {
          decodeIdentityText(bytes);
        } catch (e) {
          return e instanceof DeviceError;
        }
        return true;
      }),
    );
  });
});

describe('IdentityDocument', () => {
  it('keeps the raw WLT photo bytes and carries them as base64 in JSON', () => {
    const card = makeResidentCard();
    const json = identityDocumentToJson(card);
    expect(json).not.toHaveProperty('photoWlt');
    const back = identityDocumentFromJson(JSON.parse(JSON.stringify(json)));
    expect(back.photoWlt).toEqual(card.photoWlt);
    expect(back).toEqual(card);
  });

  it('joins decoded text with photo and fingerprint', () => {
    const card = makeForeignPermanent2023();
    const fingerprint = new Uint8Array(512).fill(7);
    const doc = makeIdentityDocument(decodeIdentityText(encodeIdentityText(withoutPhoto(card))), card.photoWlt, fingerprint);
    expect(doc.fingerprint).toEqual(fingerprint);
    expect(displayName(doc)).toBe('玛丽亚');
  });

  it('knows an expired card from a valid one', () => {
    expect(isExpired(makeResidencePermit(), new Date(2026, 0, 1))).toBe(true);
    expect(isExpired(makeResidentCard(), new Date(2026, 0, 1))).toBe(false);
  });
});

describe('code tables', () => {
  it('has all 56 nations plus 97 and 98 (GB 3304)', () => {
    expect(Object.keys(nationCodes)).toHaveLength(58);
    expect(nationName('05')).toBe('维吾尔族');
    expect(nationName('98')).toBe('外国血统中国籍人士');
  });
  it('has the GB/T 2261.1 sex codes', () => {
    expect(Object.keys(sexCodes).sort()).toEqual(['0', '1', '2', '9']);
  });
});

describe('base64', () => {
  it('matches the RFC 4648 test vectors and round-trips any bytes', () => {
    const text = (s: string) => new TextEncoder().encode(s);
    expect(['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'].map((s) => encodeBase64(text(s)))).toEqual([
      '', 'Zg==', 'Zm8=', 'Zm9v', 'Zm9vYg==', 'Zm9vYmE=', 'Zm9vYmFy',
    ]);
    fc.assert(fc.property(fc.uint8Array(), (bytes) => {
      expect(decodeBase64(encodeBase64(bytes))).toEqual(bytes);
    }));
  });
});

describe('identityDocumentJsonSchema (what the renderer checks before use)', () => {
  it('accepts every card type in its JSON form', async () => {
    const { identityDocumentJsonSchema } = await import('./identity-document-schema.ts');
    for (const card of [makeResidentCard(), makeResidencePermit(), makeForeignPermanent2017(), makeForeignPermanent2023()]) {
      expect(identityDocumentJsonSchema.safeParse(JSON.parse(JSON.stringify(identityDocumentToJson(card)))).success).toBe(true);
    }
  });

  it('refuses a document whose ID number, nation or dates were tampered with', async () => {
    const { identityDocumentJsonSchema } = await import('./identity-document-schema.ts');
    const card = makeResidentCard();
    const json = identityDocumentToJson(card);
    const wrongCheckDigit = card.idNumber.slice(0, 17) + (card.idNumber[17] === '0' ? '1' : '0');
    const variants = [
      { ...json, idNumber: wrongCheckDigit },
      { ...json, nationCode: '60' },
      { ...json, birthDate: '1988-02-30' },
      { ...json, validity: { from: '2015-06-01', to: 'forever' } },
      { ...json, photoWltBase64: 'not base64!' },
    ];
    for (const variant of variants) expect(identityDocumentJsonSchema.safeParse(variant).success).toBe(false);
  });
});
