import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeviceError } from '../../core/contract/device-error.ts';
import { encodeIdentityText } from '../../core/identity/text-block.ts';
import { makePhotoWlt, makeResidentCard } from '../../tests/fixtures/id-card/builders.ts';
import { commandFrames, fromHex, realReplies, setMaxRfFrameBytes50, toHex } from '../../tests/fixtures/id-card/frames.ts';
import {
  decodeAdditionalAddress,
  decodeCardReadData,
  decodeCommand,
  decodeReply,
  decodeSamId,
  encodeAdditionalAddress,
  encodeCardReadData,
  encodeCommand,
  encodeRawCommand,
  encodeReply,
  encodeSamId,
  samStatuses,
  statusError,
  type SamCommand,
} from './codec.ts';

const { photoWlt: _photo, ...residentText } = makeResidentCard();

describe('GA 467 command frames', () => {
  it.each(Object.entries(commandFrames))('encodes %s byte for byte with a computed checksum', (command, frame) => {
    expect(toHex(encodeCommand(command as SamCommand))).toBe(frame);
  });

  it('encodes set-max-RF-frame-bytes with its data byte: LEN counts data and checksum', () => {
    expect(toHex(encodeCommand('setMaxRfFrameBytes', Uint8Array.of(0x50)))).toBe(setMaxRfFrameBytes50);
  });

  it('decodes what a host sent (the simulator side)', () => {
    expect(decodeCommand(fromHex(commandFrames.findCard))).toEqual({ cmd: 0x20, para: 0x01, data: new Uint8Array(0) });
    expect(decodeCommand(fromHex(setMaxRfFrameBytes50)).data).toEqual(Uint8Array.of(0x50));
  });
});

describe('GA 467 replies', () => {
  it('decodes the real find-card success reply and its four data bytes', () => {
    const reply = decodeReply(fromHex(realReplies.findOk));
    expect(reply).toEqual({ sw1: 0, sw2: 0, sw3: 0x9f, data: new Uint8Array(4) });
    expect(statusError(reply)).toBeUndefined();
    expect(toHex(encodeReply(0x9f, new Uint8Array(4)))).toBe(realReplies.findOk);
  });

  it.each([
    ['noCard', 0x80, 'no-card'],
    ['selectFailed', 0x81, 'select-failed'],
    ['readFailed', 0x41, 'read-failed'],
  ] as const)('turns the real %s reply into DeviceError %s', (name, sw3, code) => {
    const frame = fromHex(realReplies[name]);
    expect(toHex(encodeReply(sw3))).toBe(realReplies[name]);
    expect(statusError(decodeReply(frame))?.code).toBe(code);
  });

  it('gives every status in the table a meaning in Chinese and English, and unknown ones a device-status error', () => {
    expect(Object.keys(samStatuses)).toHaveLength(18);
    for (const [code, status] of Object.entries(samStatuses)) {
      expect(status.zh.length).toBeGreaterThan(0);
      expect(status.en.length).toBeGreaterThan(0);
      const error = statusError({ sw1: 0, sw2: 0, sw3: Number(code), data: new Uint8Array(0) });
      expect(error?.code).toBe(status.error);
    }
    expect(statusError({ sw1: 0, sw2: 0, sw3: 0x55, data: new Uint8Array(0) })?.detail).toBe('SW3 55 unknown');
  });

  it('refuses a reply whose checksum is wrong, naming both checksums', () => {
    const frame = fromHex(realReplies.findOk);
    frame[frame.length - 1] = 0x98;
    expect(() => decodeReply(frame)).toThrow(expect.objectContaining({ code: 'bad-checksum', detail: 'CHK 98, computed 97' }));
  });

  it('refuses a truncated reply and one without the preamble as bad frames', () => {
    const frame = fromHex(realReplies.findOk);
    expect(() => decodeReply(frame.subarray(0, 12))).toThrow(expect.objectContaining({ code: 'bad-frame' }));
    const shifted = Uint8Array.from(frame);
    shifted[0] = 0x00;
    expect(() => decodeReply(shifted)).toThrow(expect.objectContaining({ code: 'bad-frame' }));
  });
});

describe('the read reply (30 01 and 30 10)', () => {
  it('lays out a 1295-byte 30 01 reply: LEN 0x0508, lengths at 10 and 12, text at 14, photo at 270', () => {
    const text = encodeIdentityText(residentText);
    const photo = makePhotoWlt(9);
    const frame = encodeReply(0x90, encodeCardReadData({ text, photo }));
    expect(frame.length).toBe(1295);
    expect([frame[5], frame[6]]).toEqual([0x05, 0x08]);
    expect([frame[10], frame[11], frame[12], frame[13]]).toEqual([0x01, 0x00, 0x04, 0x00]);
    expect(frame.subarray(14, 270)).toEqual(text);
    expect(frame.subarray(270, 1294)).toEqual(photo);
    const reply = decodeReply(frame);
    expect(decodeCardReadData(reply.data, false)).toEqual({ text, photo, fingerprint: undefined });
  });

  it.each([
    [0, 1297],
    [512, 1809],
    [1024, 2321],
  ])('lays out a 30 10 reply with %i fingerprint bytes as %i bytes, text at 16 and photo at 272', (fpBytes, total) => {
    const text = encodeIdentityText(residentText);
    const photo = makePhotoWlt(5);
    const fingerprint = Uint8Array.from({ length: fpBytes }, (_, i) => i % 251);
    const frame = encodeReply(0x90, encodeCardReadData({ text, photo, fingerprint }));
    expect(frame.length).toBe(total);
    expect((frame[14]! << 8) | frame[15]!).toBe(fpBytes);
    expect(frame.subarray(16, 272)).toEqual(text);
    expect(frame.subarray(272, 1296)).toEqual(photo);
    expect(decodeCardReadData(decodeReply(frame).data, true)).toEqual({ text, photo, fingerprint });
  });

  it('refuses read data whose lengths do not add up', () => {
    const data = encodeCardReadData({ text: new Uint8Array(256), photo: new Uint8Array(1024) });
    expect(() => decodeCardReadData(data.subarray(0, 1000), false)).toThrow(expect.objectContaining({ code: 'bad-frame' }));
    data[0] = 0x02;
    expect(() => decodeCardReadData(data, false)).toThrow(expect.objectContaining({ code: 'bad-frame' }));
  });
});

describe('SAM ID and additional address', () => {
  it('prints the SAM ID the way readers show it and round-trips it', () => {
    const samId = '05.01-20101220-0012345678-1234567890';
    expect(decodeSamId(encodeSamId(samId))).toBe(samId);
    expect(() => decodeSamId(new Uint8Array(15))).toThrow(DeviceError);
  });
  it('decodes an additional address from UCS-2LE with space padding', () => {
    const data = encodeAdditionalAddress('郑州市二七区大学路40号');
    expect(data.length).toBe(70);
    expect(decodeAdditionalAddress(data)).toBe('郑州市二七区大学路40号');
  });
});

describe('codec properties', () => {
  it('round-trips any command and any reply (encode → decode)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 3000 }), (a, b, data) => {
        expect(decodeCommand(encodeRawCommand(a, b, data))).toEqual({ cmd: a, para: b, data });
        expect(decodeReply(encodeReply(a, data))).toEqual({ sw1: 0, sw2: 0, sw3: a, data });
      }),
    );
  });

  it('never throws anything but DeviceError on random bytes, with or without a valid header', () => {
    const header = fc.uint8Array({ maxLength: 40 }).map((rest) => Uint8Array.from([0xaa, 0xaa, 0xaa, 0x96, 0x69, ...rest]));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 2000 }), header), fc.boolean(), (bytes, fingerprint) => {
        for (const decode of [decodeReply, decodeCommand, (b: Uint8Array) => decodeCardReadData(b, fingerprint), decodeSamId, decodeAdditionalAddress]) {
          try {
            decode(bytes);
          } catch (e) {
            if (!(e instanceof DeviceError)) return false;
          }
        }
        return true;
      }),
    );
  });
});
