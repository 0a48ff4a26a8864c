import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DeviceError } from '../../core/contract/device-error.ts';
import { electrodes } from '../../core/ecg/synthesis/noise.ts';
import {
  crc16,
  crc8,
  decodeDeviceMessage,
  decodeHostMessage,
  decodeSamplePacket,
  encodeDeviceMessage,
  encodeHostMessage,
  encodeSamplePacket,
  type DeviceInfo,
  type DeviceMessage,
  type HostMessage,
} from './codec.ts';

const hex = (s: string) => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((b) => parseInt(b, 16)));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).toUpperCase().padStart(2, '0')).join('');
const ascii = (s: string) => new TextEncoder().encode(s);

const makeInfo = (overrides: Partial<DeviceInfo> = {}): DeviceInfo => ({
  protocolVersion: 1,
  channelCount: 8,
  lsbNanovolts: 100,
  sampleRateHz: 500,
  supportedSampleRatesHz: [250, 500, 1000],
  serialNumber: 'SN123',
  manufacturer: 'Clinic Workstation',
  model: 'CW-ECG8',
  ...overrides,
});

describe('CW-ECG8 checksums', () => {
  it('computes the catalogue check values ("123456789": CRC-8/SMBUS F4, CRC-16/CCITT-FALSE 29B1)', () => {
    expect(crc8(ascii('123456789'))).toBe(0xf4);
    expect(crc16(ascii('123456789'))).toBe(0x29b1);
  });
});

describe('CW-ECG8 sample packets', () => {
  // Counter 5; LA and V3 off (bits 1 and 6); channels 1, −1, +full scale, −full scale, 0, 256, −256, 1000.
  const packet = 'A0 05 0042 000001 FFFFFF 7FFFFF 800000 000000 000100 FFFF00 0003E8 35 C0';

  it('encodes a packet byte for byte: counter, lead-off word, eight big-endian int24, CRC-8, end byte', () => {
    const bytes = encodeSamplePacket({
      counter: 5,
      leadOff: ['LA', 'V3'],
      channels: Int32Array.of(1, -1, 0x7fffff, -0x800000, 0, 256, -256, 1000),
    });
    expect(toHex(bytes)).toBe(packet.replace(/\s+/g, ''));
  });

  it('decodes the same packet, sign-extending negative samples and naming the loose electrodes', () => {
    const decoded = decodeSamplePacket(hex(packet));
    expect(decoded.counter).toBe(5);
    expect(decoded.leadOff).toEqual(['LA', 'V3']);
    expect(Array.from(decoded.channels)).toEqual([1, -1, 8388607, -8388608, 0, 256, -256, 1000]);
  });

  it('rejects a packet with a wrong CRC-8 as bad-checksum', () => {
    const bad = hex(packet);
    bad[10] = bad[10]! ^ 0x01; // one bit of channel 3 flipped on the line
    expect(() => decodeSamplePacket(bad)).toThrow(expect.objectContaining({ code: 'bad-checksum' }));
  });

  it('rejects reserved lead-off bits as a malformed frame', () => {
    const bad = hex('A0 00 8000 000000 000000 000000 000000 000000 000000 000000 000000 00 C0');
    bad[28] = crc8(bad, 1, 28);
    expect(() => decodeSamplePacket(bad)).toThrow(expect.objectContaining({ code: 'bad-frame' }));
  });

  it('clips samples beyond ±full scale at the rails, as the front end does', () => {
    const decoded = decodeSamplePacket(encodeSamplePacket({ counter: 0, leadOff: [], channels: Int32Array.of(9e6, -9e6, 0, 0, 0, 0, 0, 0) }));
    expect(Array.from(decoded.channels.subarray(0, 2))).toEqual([8388607, -8388608]);
  });

  it('round-trips any packet', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.subarray([...electrodes]),
        fc.array(fc.integer({ min: -0x800000, max: 0x7fffff }), { minLength: 8, maxLength: 8 }),
        (counter, leadOff, channels) => {
          const decoded = decodeSamplePacket(encodeSamplePacket({ counter, leadOff, channels: Int32Array.from(channels) }));
          expect(decoded).toEqual({ counter, leadOff, channels: Int32Array.from(channels) });
        },
      ),
    );
  });
});

describe('CW-ECG8 messages', () => {
  it.each([
    ['get-info, seq 1', { seq: 1, command: { type: 'get-info' } }, 'A1 01 0001 0000 8C6D C0'],
    ['set-rate 500 Hz, seq 3', { seq: 3, command: { type: 'set-rate', sampleRateHz: 500 } }, 'A1 04 0003 0002 01F4 2C10 C0'],
    ['file ACK of block 7', { seq: 7, transfer: { kind: 'ack', seq: 7 } }, 'A1 23 0007 0000 72FA C0'],
    ['file CAN by the operator', { seq: 0, transfer: { kind: 'can', reason: 'operator' } }, 'A1 25 0000 0001 01 5B09 C0'],
  ] as [string, HostMessage, string][])('encodes host %s byte for byte', (_name, message, frame) => {
    expect(toHex(encodeHostMessage(message))).toBe(frame.replace(/\s+/g, ''));
    expect(decodeHostMessage(hex(frame))).toEqual(message);
  });

  it.each([
    ['ACK of start, seq 2', { seq: 2, reply: { type: 'ack', command: 'start' } }, 'A1 80 0002 0001 02 242B C0'],
    ['NAK of set-rate: busy, seq 4', { seq: 4, reply: { type: 'nak', command: 'set-rate', reason: 'busy' } }, 'A1 8F 0004 0002 04 04 BBF8 C0'],
  ] as [string, DeviceMessage, string][])('encodes device %s byte for byte', (_name, message, frame) => {
    expect(toHex(encodeDeviceMessage(message))).toBe(frame.replace(/\s+/g, ''));
    expect(decodeDeviceMessage(hex(frame))).toEqual(message);
  });

  it('carries the device info: LSB in nanovolts, sample rates, serial number and model', () => {
    const info = makeInfo();
    const frame = encodeDeviceMessage({ seq: 9, reply: { type: 'info', info } });
    expect(toHex(frame.subarray(6, 13))).toBe('01080064' + '01F4' + '07'); // v1, 8 ch, 100 nV, 500 Hz, rates 250|500|1000
    expect(decodeDeviceMessage(frame)).toEqual({ seq: 9, reply: { type: 'info', info } });
  });

  it('rejects a message whose CRC-16 does not match', () => {
    const bad = hex('A1 80 0002 0001 02 242B C0');
    bad[6] = 0x03;
    expect(() => decodeDeviceMessage(bad)).toThrow(expect.objectContaining({ code: 'bad-checksum' }));
  });

  it('round-trips file blocks of any content and size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0xffff }), fc.uint8Array({ minLength: 1, maxLength: 1024 }), (seq, data) => {
        const decoded = decodeDeviceMessage(encodeDeviceMessage({ seq, transfer: { kind: 'block', seq, data } }));
        expect(decoded).toEqual({ seq, transfer: { kind: 'block', seq, data } });
      }),
    );
  });

  it('never throws anything but DeviceError on random bytes, whatever the decoder', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.constantFrom(0xa0, 0xa1), fc.boolean(), (body, start, fixEnd) => {
        const frame = Uint8Array.from([start, ...body]);
        if (fixEnd && frame.length > 1) frame[frame.length - 1] = 0xc0;
        for (const decode of [decodeSamplePacket, decodeDeviceMessage, decodeHostMessage]) {
          try {
            decode(frame);
          } catch (error) {
            expect(error).toBeInstanceOf(DeviceError);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});
