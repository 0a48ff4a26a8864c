/**
 * The device side of CW-ECG8, byte for byte: answers commands, streams sample packets of a synthetic
 * 12-lead ECG (core/ecg/synthesis) paced in real time (or faster, for tests), and sends a stored
 * SCP-ECG record with the framed file transfer. Named faults reproduce what goes wrong with real
 * carts and cables, like node-modbus-serial's test port.
 */
import { DeviceError } from '../../core/contract/device-error.ts';
import type { EcgRecording } from '../../core/ecg/recording.ts';
import { synthesizeEcg } from '../../core/ecg/synthesis/synthesize.ts';
import type { Rhythm } from '../../core/ecg/synthesis/rhythm.ts';
import type { Electrode, NoiseOptions } from '../../core/ecg/synthesis/noise.ts';
import type { DeviceSimulator } from '../family/device-family.ts';
import type { Transport } from '../transport/transport.ts';
import {
  CHANNEL_COUNT,
  FILE_BLOCK_SIZE,
  PROFILE_LSB_NANOVOLTS,
  PROFILE_SAMPLE_RATES_HZ,
  crc16,
  decodeHostMessage,
  encodeDeviceMessage,
  encodeSamplePacket,
  type DeviceInfo,
  type DeviceReply,
  type HostCommand,
  type TransferFrame,
} from './codec.ts';
import { Cwecg8Framer } from './framer.ts';
import { writeScpRecord } from './scp-record.ts';

export const ecgFaults = [
  'bad-checksum',
  'truncated',
  'silent',
  'garbage-before-preamble',
  'unplugged-mid-frame',
  'dropped-packets',
  'lead-off',
] as const;
export type EcgFault = (typeof ecgFaults)[number];

export interface EcgSimulatorOptions {
  rhythm: Rhythm;
  heartRateBpm: number | undefined;
  seed: number;
  noise: NoiseOptions | undefined;
  /** Sample rate the device starts with (the host may change it). */
  sampleRateHz: number;
  faults: readonly EcgFault[];
  /** Stream speed: 1 = real time (paced), Infinity = as fast as the transport takes it. */
  speed: number;
  /** Electrodes the 'lead-off' fault loosens. */
  leadOffElectrodes: readonly Electrode[];
  /** Every n-th packet or file block is hit by bad-checksum / truncated / dropped-packets faults. */
  faultEvery: number;
  /** 'unplugged-mid-frame' pulls the cable after this many packets (or this many file blocks). */
  unplugAfter: number;
  /** How to pull the cable (MemoryPair.unplug); default: close the device transport. */
  unplug: (() => void) | undefined;
  /** The record the cart holds for the file transfer; default: a synthesized 10 s, 500 Hz strip. */
  storedRecord: EcgRecording | null | undefined;
  /** The cart cancels the transfer (operator abort) before sending this block. */
  cancelTransferAtBlock: number | undefined;
  /** Retransmission timeout of the sender. */
  retransmitTimeoutMs: number;
  maxRetries: number;
  serialNumber: string;
}

export const defaultEcgSimulatorOptions: EcgSimulatorOptions = {
  rhythm: 'normal-sinus',
  heartRateBpm: undefined,
  seed: 1,
  noise: undefined,
  sampleRateHz: 500,
  faults: [],
  speed: 1,
  leadOffElectrodes: ['V3'],
  faultEvery: 50,
  unplugAfter: 100,
  unplug: undefined,
  storedRecord: undefined,
  cancelTransferAtBlock: undefined,
  retransmitTimeoutMs: 500,
  maxRetries: 5,
  serialNumber: 'SIM00000001',
};

/** Seconds of synthetic ECG generated at once; the stream loops over it. */
const LOOP_SECONDS = 30;
/** Paced mode sends what is due every tick. */
const TICK_MS = 10;
/** Unpaced mode sends this many packets per turn of the event loop. */
const UNPACED_BATCH = 64;

export class EcgSimulator implements DeviceSimulator {
  readonly options: EcgSimulatorOptions;
  readonly #transport: Transport;
  readonly #framer = new Cwecg8Framer();
  readonly #faults: Set<EcgFault>;
  #unsubscribe: (() => void) | undefined;
  #sampleRateHz: number;
  #channels: Int32Array[] | undefined;
  #streaming = false;
  #streamTimer: ReturnType<typeof setTimeout> | undefined;
  #streamStart = 0;
  #packetIndex = 0;
  #counter = 0;
  #sentPackets = 0;
  #transfer: { onFrame: (frame: TransferFrame) => void } | undefined;
  #unplugged = false;
  #writing: Promise<void> = Promise.resolve();

  constructor(transport: Transport, options: Partial<EcgSimulatorOptions> = {}) {
    this.#transport = transport;
    this.options = { ...defaultEcgSimulatorOptions, ...options };
    this.#faults = new Set(this.options.faults);
    this.#sampleRateHz = this.options.sampleRateHz;
  }

  /** Packets written since start (the counter wraps; this does not). */
  get sentPackets(): number {
    return this.#sentPackets;
  }

  /** The stream's source signal in LSB units, channels I, II, V1–V6 (for tests comparing samples). */
  get sourceChannels(): Int32Array[] {
    return this.#source();
  }

  async start(): Promise<void> {
    if (!this.#transport.isOpen) await this.#transport.open();
    this.#unsubscribe?.();
    const offData = this.#transport.onData((chunk) => this.#onData(chunk));
    const offClose = this.#transport.onClose(() => this.#halt());
    this.#unsubscribe = () => {
      offData();
      offClose();
    };
  }

  async stop(): Promise<void> {
    this.#halt();
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await this.#writing.catch(() => undefined);
  }

  // -------------------------------------------------------------------------------------------

  #halt(): void {
    this.#streaming = false;
    if (this.#streamTimer) clearTimeout(this.#streamTimer);
    this.#streamTimer = undefined;
  }

  #has(fault: EcgFault): boolean {
    return this.#faults.has(fault);
  }

  /** Writes in order; a write error (port gone) ends the stream quietly, as a device would. */
  #write(bytes: Uint8Array): Promise<void> {
    if (this.#unplugged || !this.#transport.isOpen) return Promise.resolve();
    const chunk = this.#has('garbage-before-preamble') ? withGarbage(bytes, this.#sentPackets + bytes.length) : bytes;
    this.#writing = this.#writing.then(() => this.#transport.write(chunk)).catch(() => this.#halt());
    return this.#writing;
  }

  #pullCable(): void {
    this.#unplugged = true;
    this.#halt();
    if (this.options.unplug) this.options.unplug();
    else void this.#transport.close();
  }

  #onData(chunk: Uint8Array): void {
    if (this.#has('silent')) return;
    for (const frame of this.#framer.push(chunk)) {
      if (frame instanceof DeviceError) {
        // Sequence number unknown (the frame is damaged): NAK it anyway, the host will time out.
        void this.#reply(0, { type: 'nak', command: 'unknown', reason: 'bad-checksum' });
        continue;
      }
      let message;
      try {
        message = decodeHostMessage(frame);
      } catch (error) {
        // Reply NAK with the sequence number as it arrived, so the host learns its frame was bad.
        const seq = frame.length >= 4 ? (frame[2]! << 8) | frame[3]! : 0;
        const reason = error instanceof DeviceError && error.code === 'bad-checksum' ? 'bad-checksum' : 'unknown-command';
        void this.#reply(seq, { type: 'nak', command: 'unknown', reason });
        continue;
      }
      if ('transfer' in message) this.#transfer?.onFrame(message.transfer);
      else this.#onCommand(message.seq, message.command);
    }
  }

  #reply(seq: number, reply: DeviceReply): Promise<void> {
    return this.#write(encodeDeviceMessage({ seq, reply }));
  }

  #onCommand(seq: number, command: HostCommand): void {
    switch (command.type) {
      case 'get-info':
        return void this.#reply(seq, { type: 'info', info: this.#info() });
      case 'get-lead-off':
        return void this.#reply(seq, { type: 'lead-off', electrodes: this.#leadOff() });
      case 'set-rate':
        if (this.#streaming || this.#transfer) return void this.#reply(seq, { type: 'nak', command: 'set-rate', reason: 'busy' });
        if (!(PROFILE_SAMPLE_RATES_HZ as readonly number[]).includes(command.sampleRateHz)) {
          return void this.#reply(seq, { type: 'nak', command: 'set-rate', reason: 'bad-parameter' });
        }
        if (command.sampleRateHz !== this.#sampleRateHz) this.#channels = undefined;
        this.#sampleRateHz = command.sampleRateHz;
        return void this.#reply(seq, { type: 'ack', command: 'set-rate' });
      case 'start':
        if (this.#transfer) return void this.#reply(seq, { type: 'nak', command: 'start', reason: 'busy' });
        void this.#reply(seq, { type: 'ack', command: 'start' });
        if (!this.#streaming) this.#startStream();
        return;
      case 'stop':
        this.#halt();
        return void this.#reply(seq, { type: 'ack', command: 'stop' });
      case 'request-record': {
        if (this.#streaming || this.#transfer) return void this.#reply(seq, { type: 'nak', command: 'request-record', reason: 'busy' });
        const record = this.options.storedRecord === undefined ? defaultStoredRecord(this.options) : this.options.storedRecord;
        if (!record) return void this.#reply(seq, { type: 'nak', command: 'request-record', reason: 'no-record' });
        void this.#reply(seq, { type: 'ack', command: 'request-record' });
        void this.sendRecord(record);
        return;
      }
    }
  }

  #info(): DeviceInfo {
    return {
      protocolVersion: 1,
      channelCount: CHANNEL_COUNT,
      lsbNanovolts: PROFILE_LSB_NANOVOLTS,
      sampleRateHz: this.#sampleRateHz,
      supportedSampleRatesHz: [...PROFILE_SAMPLE_RATES_HZ],
      serialNumber: this.options.serialNumber,
      manufacturer: 'Clinic Workstation',
      model: 'CW-ECG8 simulator',
    };
  }

  #leadOff(): Electrode[] {
    return this.#has('lead-off') ? [...this.options.leadOffElectrodes] : [];
  }

  /** The synthetic ECG in LSB units, channels in packet order (I, II, V1–V6). */
  #source(): Int32Array[] {
    if (this.#channels) return this.#channels;
    const { recording } = synthesizeEcg({
      rhythm: this.options.rhythm,
      heartRateBpm: this.options.heartRateBpm,
      durationSeconds: LOOP_SECONDS,
      sampleRateHz: this.#sampleRateHz,
      seed: this.options.seed,
      noise: this.#has('lead-off') ? { ...this.options.noise, leadOff: [...(this.options.noise?.leadOff ?? []), ...this.options.leadOffElectrodes] } : this.options.noise,
    });
    const perUnit = (recording.resolutionUv * 1000) / PROFILE_LSB_NANOVOLTS;
    this.#channels = (['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'] as const).map((lead) =>
      Int32Array.from(recording.leads.find((l) => l.lead === lead)!.samples, (v) => Math.round(v * perUnit)),
    );
    return this.#channels;
  }

  #startStream(): void {
    this.#source();
    this.#streaming = true;
    this.#packetIndex = 0;
    this.#counter = 0; // PROFILE.md §3: each stream's counter starts at 0
    this.#streamStart = performance.now();
    this.#pump();
  }

  #pump(): void {
    if (!this.#streaming) return;
    const paced = Number.isFinite(this.options.speed);
    const due = paced
      ? Math.floor(((performance.now() - this.#streamStart) / 1000) * this.#sampleRateHz * this.options.speed) - this.#packetIndex
      : UNPACED_BATCH;
    if (due > 0) {
      const parts: Uint8Array[] = [];
      for (let i = 0; i < due && this.#streaming; i++) {
        const packet = this.#nextPacket();
        if (packet && 'cutAfter' in packet) {
          // The cable comes out in the middle of a packet: the host gets its first bytes only.
          parts.push(packet.cutAfter);
          void this.#write(concat(parts));
          void this.#writing.then(() => this.#pullCable());
          return;
        }
        if (packet) parts.push(packet);
      }
      if (parts.length) void this.#write(concat(parts));
    }
    // Unpaced: yield after each batch once the transport took it, so commands (stop) get through.
    if (paced) this.#streamTimer = setTimeout(() => this.#pump(), TICK_MS);
    else void this.#writing.then(() => setImmediate(() => this.#pump()));
  }

  /** The next packet's bytes; undefined when a fault drops it; `cutAfter` before pulling the cable. */
  #nextPacket(): Uint8Array | undefined | { cutAfter: Uint8Array } {
    const channels = this.#source();
    const loop = channels[0]!.length;
    const index = this.#packetIndex++;
    const counter = this.#counter;
    this.#counter = (this.#counter + 1) & 0xff;
    const values = new Int32Array(CHANNEL_COUNT);
    for (let c = 0; c < CHANNEL_COUNT; c++) values[c] = channels[c]![index % loop]!;
    const bytes = encodeSamplePacket({ counter, leadOff: this.#leadOff(), channels: values });
    const nth = (index + 1) % this.options.faultEvery === 0;
    if (this.#has('unplugged-mid-frame') && index === this.options.unplugAfter) return { cutAfter: bytes.subarray(0, 13) };
    this.#sentPackets++;
    if (nth && this.#has('dropped-packets')) return undefined;
    if (nth && this.#has('bad-checksum')) bytes[28] = bytes[28]! ^ 0x5a;
    if (nth && this.#has('truncated')) return bytes.subarray(0, 17);
    return bytes;
  }

  /**
   * The sending end of the file transfer (PROFILE.md §3): ENQ, blocks with CRC-16 each acknowledged
   * before the next, retransmission on NAK or timeout, EOT; CAN after too many tries.
   */
  async sendRecord(record: EcgRecording): Promise<void> {
    await this.sendFile(writeScpRecord(record, { patientId: 'SIM-0001', acquiredAt: new Date(), deviceSerial: this.options.serialNumber }));
  }

  /** Sends any bytes as the file (tests use it for a file that is not SCP-ECG). */
  async sendFile(file: Uint8Array): Promise<void> {
    const blocks: Uint8Array[] = [];
    for (let at = 0; at < file.length; at += FILE_BLOCK_SIZE) blocks.push(file.subarray(at, at + FILE_BLOCK_SIZE));
    let waiter: { seq: number; resolve: (ok: boolean) => void } | undefined;
    this.#transfer = {
      onFrame(frame) {
        if (!waiter) return;
        if (frame.kind === 'ack' && frame.seq === waiter.seq) waiter.resolve(true);
        else if (frame.kind === 'nak' || frame.kind === 'can') waiter.resolve(false);
      },
    };
    const send = (seq: number, frame: TransferFrame) => this.#write(encodeDeviceMessage({ seq, transfer: frame }));
    /** Sends until acknowledged; false after maxRetries. */
    const exchange = async (seq: number, frame: TransferFrame, spoil?: (bytes: Uint8Array) => Uint8Array): Promise<boolean> => {
      for (let attempt = 0; attempt < this.options.maxRetries; attempt++) {
        if (this.#unplugged) return false;
        const acked = new Promise<boolean>((resolve) => {
          waiter = { seq, resolve };
          setTimeout(() => resolve(false), this.options.retransmitTimeoutMs);
        });
        const bytes = encodeDeviceMessage({ seq, transfer: frame });
        await this.#write(attempt === 0 && spoil ? spoil(bytes) : bytes);
        if (await acked) return true;
      }
      return false;
    };
    try {
      if (this.#has('silent')) return;
      const fileCrc = crc16(file);
      if (!(await exchange(0, { kind: 'enq', fileKind: 'scp-ecg', totalBytes: file.length, blockSize: FILE_BLOCK_SIZE, fileCrc }))) {
        return void (await send(0, { kind: 'can', reason: 'too-many-retries' }));
      }
      for (let i = 0; i < blocks.length; i++) {
        const seq = i + 1;
        if (this.options.cancelTransferAtBlock === seq) return void (await send(seq, { kind: 'can', reason: 'operator' }));
        const nth = seq % 4 === 1; // blocks 1, 5, 9… meet the transfer faults on their first try
        if (this.#has('unplugged-mid-frame') && seq === Math.min(this.options.unplugAfter, blocks.length)) {
          const bytes = encodeDeviceMessage({ seq, transfer: { kind: 'block', seq, data: blocks[i]! } });
          await this.#write(bytes.subarray(0, bytes.length >> 1));
          return this.#pullCable();
        }
        const spoil =
          nth && this.#has('bad-checksum')
            ? (b: Uint8Array) => flipByte(b, b.length >> 1)
            : nth && this.#has('truncated')
              ? (b: Uint8Array) => b.subarray(0, b.length - 100)
              : undefined;
        if (!(await exchange(seq, { kind: 'block', seq, data: blocks[i]! }, spoil))) {
          return void (await send(seq, { kind: 'can', reason: 'too-many-retries' }));
        }
      }
      await exchange(blocks.length + 1, { kind: 'eot', seq: blocks.length + 1 });
    } finally {
      this.#transfer = undefined;
    }
  }
}

function defaultStoredRecord(options: EcgSimulatorOptions): EcgRecording {
  return synthesizeEcg({ rhythm: options.rhythm, heartRateBpm: options.heartRateBpm, seed: options.seed, durationSeconds: 10, sampleRateHz: 500 }).recording;
}

function flipByte(bytes: Uint8Array, at: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[at] = copy[at]! ^ 0xff;
  return copy;
}

/** Line noise before a frame: bytes that look like start and end bytes included, to test resync. */
function withGarbage(bytes: Uint8Array, salt: number): Uint8Array {
  const garbage = [0x00, 0xa0, 0x13, 0xc0, 0xa1, 0xff, 0x00, 0x07, 0xa0, (salt * 37) & 0xff];
  const out = new Uint8Array(garbage.length + bytes.length);
  out.set(garbage);
  out.set(bytes, garbage.length);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
