import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { DeviceError } from '../../core/contract/device-error.ts';
import { insuranceCardSchema } from '../../core/insurance/insurance-card.ts';
import { buildCardFileSystem, makeCardholder, sampleCardholders } from './cardholders.ts';
import {
  CardStatusError,
  decodeBcd,
  decodeField,
  decodeReaderFrame,
  encodeBcd,
  encodeReaderFrame,
  encodeRecord,
  parseResponseApdu,
  readInsuranceCard,
  readRecord,
  RECORD_LAYOUTS,
  replyPayload,
  selectByName,
  selectElementaryFile,
  SSSE_NAME,
  type RecordLayout,
} from './codec.ts';
import { SimulatedCard } from './simulated-card.ts';

const bytes = (hex: string) => Uint8Array.from(hex.trim().split(/\s+/), (h) => parseInt(h, 16));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).toUpperCase().padStart(2, '0')).join(' ');
const layout = (record: number) => RECORD_LAYOUTS.find((l) => l.record === record)!;

/** A card behind a bare APDU function, recording every command it was sent; `rewrite` replaces replies. */
function cardTransmit(card = new SimulatedCard(makeCardholder()), rewrite?: (apdu: Uint8Array) => Uint8Array | undefined) {
  const sent: string[] = [];
  const transmit = async (apdu: Uint8Array) => {
    sent.push(toHex(apdu));
    const reply = card.answer(apdu);
    return rewrite?.(apdu) ?? reply;
  };
  return { transmit, sent };
}

/** Reply with a given status word to the command whose hex starts with `prefix`, else the card's answer. */
const failing = (prefix: string, sw: number) => (apdu: Uint8Array) =>
  toHex(apdu).startsWith(prefix) ? Uint8Array.of(sw >> 8, sw & 0xff) : undefined;

async function rejection(promise: Promise<unknown>): Promise<DeviceError> {
  try {
    await promise;
  } catch (error) {
    return error as DeviceError;
  }
  throw new Error('expected a rejection');
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('command APDUs (docs/protocols.md §2), byte for byte', () => {
  it('selects the SSSE application by its GBK name exactly as public readers send it', () => {
    expect(toHex(selectByName(SSSE_NAME))).toBe('00 A4 04 00 0F 73 78 31 2E 73 68 2E C9 E7 BB E1 B1 A3 D5 CF');
  });

  it('spells the SSSE name as ASCII sx1.sh. plus GBK 社会保障', () => {
    const expected = Buffer.concat([Buffer.from('sx1.sh.', 'ascii'), iconv.encode('社会保障', 'gbk')]);
    expect(toHex(SSSE_NAME)).toBe(toHex(Uint8Array.from(expected)));
  });

  it('selects EF05 and EF06 by file identifier', () => {
    expect(toHex(selectElementaryFile(0xef05))).toBe('00 A4 02 00 02 EF 05');
    expect(toHex(selectElementaryFile(0xef06))).toBe('00 A4 02 00 02 EF 06');
  });

  it('reads a record by number with Le covering tag, length and value', () => {
    expect(toHex(readRecord(0x07, 11))).toBe('00 B2 07 04 0B');
    expect(toHex(readRecord(0x08, 20))).toBe('00 B2 08 04 14');
  });

  it('sends the whole sequence in order: SSSE, EF05 01 05 06 07, EF06 08 09 0A 0B 0D', async () => {
    const { transmit, sent } = cardTransmit();
    await readInsuranceCard(transmit);
    expect(sent).toEqual([
      '00 A4 04 00 0F 73 78 31 2E 73 68 2E C9 E7 BB E1 B1 A3 D5 CF',
      '00 A4 02 00 02 EF 05',
      '00 B2 01 04 12',
      '00 B2 05 04 06',
      '00 B2 06 04 06',
      '00 B2 07 04 0B',
      '00 A4 02 00 02 EF 06',
      '00 B2 08 04 14',
      '00 B2 09 04 20',
      '00 B2 0A 04 03',
      '00 B2 0B 04 03',
      '00 B2 0D 04 06',
    ]);
  });
});

describe('reading a social security card', () => {
  it.each(sampleCardholders.map((c) => [c.name, c] as const))('reads every field of %s’s card', async (_name, holder) => {
    const card = await readInsuranceCard(cardTransmit(new SimulatedCard(holder)).transmit);
    expect(card).toEqual(holder);
    expect(insuranceCardSchema.parse(card)).toEqual(card);
  });

  it('accepts 9000 as well as 61xx from the SSSE select', async () => {
    const { transmit } = cardTransmit(undefined, (apdu) => (apdu[2] === 0x04 ? bytes('90 00') : undefined));
    await expect(readInsuranceCard(transmit)).resolves.toMatchObject({ name: '张伟' });
  });

  it('decodes the GBK name and strips its 00 padding', () => {
    const name = Uint8Array.from(iconv.encode('欧阳建国', 'gbk'));
    const value = new Uint8Array(30);
    value.set(name);
    expect(decodeField(layout(0x09), encodeRecord(0x09, value))).toBe('欧阳建国');
  });

  it('strips F padding from BCD and 00/FF padding from ASCII numbers', () => {
    expect(toHex(encodeBcd('12345', 3))).toBe('12 34 5F');
    expect(decodeBcd(bytes('12 34 5F'))).toBe('12345');
    expect(decodeField(layout(0x07), encodeRecord(0x07, bytes('41 30 31 32 33 00 00 FF FF')))).toBe('A0123');
    expect(decodeField(layout(0x0b), encodeRecord(0x0b, bytes('06')))).toBe('06');
    expect(decodeField(layout(0x05), encodeRecord(0x05, bytes('20 19 06 01')))).toBe('2019-06-01');
  });

  it('turns the card identification code into 32 hex digits', () => {
    const code = bytes('33 01 00 D1 56 00 00 05 00 A1 B2 C3 D4 E5 F6 01');
    expect(decodeField(layout(0x01), encodeRecord(0x01, code))).toBe('330100D15600000500A1B2C3D4E5F601');
  });
});

describe('status words other than success', () => {
  it.each([
    ['00 A4 04', 0x6a82, 'select-failed', 'select SSSE: SW 6A82 (file or application not found)'],
    ['00 A4 02 00 02 EF 05', 0x6a82, 'read-failed', 'select EF05: SW 6A82 (file or application not found)'],
    ['00 B2 09', 0x6a83, 'read-failed', 'read record 09: SW 6A83 (record not found)'],
    ['00 B2 08', 0x6982, 'read-failed', 'read record 08: SW 6982 (security status not satisfied)'],
    ['00 B2 01', 0x6d00, 'read-failed', 'read record 01: SW 6D00 (instruction code not supported)'],
  ])('after %s, SW %s is a %s DeviceError saying what it means', async (prefix, sw, code, detail) => {
    const error = await rejection(readInsuranceCard(cardTransmit(undefined, failing(prefix, sw)).transmit));
    expect(error).toBeInstanceOf(CardStatusError);
    expect(error).toBeInstanceOf(DeviceError);
    expect(error.code).toBe(code);
    expect(error.detail).toBe(detail);
    expect(error.messageZh).toMatch(/卡/);
  });
});

describe('bad card data is DeviceError("invalid-card-data"), nothing else', () => {
  const cases: Array<[string, RecordLayout, Uint8Array]> = [
    ['a record with another tag', layout(0x07), encodeRecord(0x08, bytes('41 30 31 32 33 34 35 36 37'))],
    ['a length longer than the value bytes', layout(0x07), bytes('07 09 41 30 31')],
    ['a length beyond the field size', layout(0x0a), bytes('0A 02 31 31')],
    ['a 15-byte card identification code', layout(0x01), encodeRecord(0x01, new Uint8Array(15))],
    ['a non-BCD digit in a date', layout(0x05), encodeRecord(0x05, bytes('20 1A 06 01'))],
    ['a BCD date that does not exist', layout(0x0d), encodeRecord(0x0d, bytes('19 80 02 30'))],
    ['a non-BCD nation', layout(0x0b), encodeRecord(0x0b, bytes('A1'))],
    ['control bytes in the card number', layout(0x07), encodeRecord(0x07, bytes('41 0D 0A 32 33 34 35 36 37'))],
    ['a name that is not GBK', layout(0x09), encodeRecord(0x09, bytes('FF 30 81 20'))],
    ['a name with a 00 between its characters', layout(0x09), encodeRecord(0x09, bytes('D5 C5 00 CE B0'))],
    ['an empty record', layout(0x09), new Uint8Array(0)],
  ];
  it.each(cases)('rejects %s', (_what, recordLayout, reply) => {
    const error = thrown(() => decodeField(recordLayout, reply));
    expect(error).toBeInstanceOf(DeviceError);
    expect((error as DeviceError).code).toBe('invalid-card-data');
  });

  it('rejects a social security number with a wrong check character', async () => {
    const holder = makeCardholder();
    const files = buildCardFileSystem({ ...holder, socialSecurityNumber: holder.socialSecurityNumber.slice(0, 17) + '0' });
    const error = await rejection(readInsuranceCard(cardTransmit(new SimulatedCard(holder, files)).transmit));
    expect(error.code).toBe('invalid-card-data');
    expect(error.detail).toContain('bad-check-digit');
  });

  it('rejects a card number outside the printed alphabet, naming the field but not its value', async () => {
    const holder = makeCardholder({ cardNumber: 'a0123' });
    const error = await rejection(readInsuranceCard(cardTransmit(new SimulatedCard(holder)).transmit));
    expect(error.code).toBe('invalid-card-data');
    expect(error.detail).toBe('fields out of range: cardNumber');
  });

  it('rejects a response APDU shorter than its status word', () => {
    expect((thrown(() => parseResponseApdu(bytes('90'))) as DeviceError).code).toBe('bad-frame');
  });

  it('never throws anything but DeviceError for any record reply', () => {
    fc.assert(
      fc.property(fc.constantFrom(...RECORD_LAYOUTS), fc.uint8Array({ maxLength: 40 }), (recordLayout, reply) => {
        const error = thrown(() => decodeField(recordLayout, reply));
        expect(error === undefined || error instanceof DeviceError).toBe(true);
      }),
    );
  });

  it('never rejects with anything but DeviceError whatever the card answers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 40 }), { minLength: 12, maxLength: 12 }), async (answers) => {
        let i = 0;
        const outcome = await readInsuranceCard(async () => answers[i++]!).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(outcome === undefined || outcome instanceof DeviceError).toBe(true);
      }),
    );
  });
});

describe('serial reader frames (PROFILE.md), byte for byte', () => {
  it('encodes the card-status, power-on and power-off commands', () => {
    expect(toHex(encodeReaderFrame({ command: 0x33, data: new Uint8Array(0) }))).toBe('02 00 01 33 32 03');
    expect(toHex(encodeReaderFrame({ command: 0x30, data: new Uint8Array(0) }))).toBe('02 00 01 30 31 03');
    expect(toHex(encodeReaderFrame({ command: 0x31, data: new Uint8Array(0) }))).toBe('02 00 01 31 30 03');
  });

  it('wraps an APDU with LEN counting CMD + DATA and an XOR LRC over LEN..DATA', () => {
    expect(toHex(encodeReaderFrame({ command: 0x32, data: selectElementaryFile(0xef05) }))).toBe(
      '02 00 08 32 00 A4 02 00 02 EF 05 74 03',
    );
  });

  it('decodes a reply and hands over the payload after the status byte', () => {
    const reply = decodeReaderFrame(bytes('02 00 04 32 00 90 00 A6 03'));
    expect(reply.command).toBe(0x32);
    expect(toHex(replyPayload(reply, 0x32))).toBe('90 00');
  });

  it.each([
    ['a wrong LRC', '02 00 04 32 00 90 00 A7 03', 'bad-checksum'],
    ['no ETX', '02 00 04 32 00 90 00 A6 04', 'bad-frame'],
    ['LEN longer than the frame', '02 00 05 32 00 90 00 A6 03', 'bad-frame'],
    ['LEN zero', '02 00 00 00 03', 'bad-frame'],
    ['no STX', '55 00 04 32 00 90 00 A6 03', 'bad-frame'],
  ])('rejects a frame with %s', (_what, hex, code) => {
    expect((thrown(() => decodeReaderFrame(bytes(hex))) as DeviceError).code).toBe(code);
  });

  it.each([
    [0x01, 'no-card'],
    [0x02, 'read-failed'],
    [0x03, 'bad-frame'],
    [0x7f, 'device-status'],
  ])('turns reader status %s into %s', (status, code) => {
    const error = thrown(() => replyPayload({ command: 0x30, data: Uint8Array.of(status) }, 0x30));
    expect((error as DeviceError).code).toBe(code);
  });

  it('refuses a reply to another command', () => {
    const error = thrown(() => replyPayload({ command: 0x33, data: bytes('00 01') }, 0x32));
    expect((error as DeviceError).code).toBe('bad-frame');
  });

  it('round-trips any command and data', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 299 }), (command, data) => {
        const decoded = decodeReaderFrame(encodeReaderFrame({ command, data }));
        expect(decoded.command).toBe(command);
        expect(toHex(decoded.data)).toBe(toHex(data));
      }),
    );
  });

  it('never throws anything but DeviceError when decoding random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (input) => {
        const error = thrown(() => decodeReaderFrame(input));
        expect(error === undefined || error instanceof DeviceError).toBe(true);
      }),
    );
  });
});
