/**
 * The ECG acquisition driver (心电采集): a state machine over a Transport and an AcquisitionProfile.
 *
 * - Commands (info, sample rate, start, stop, record request) go one at a time, matched to their
 *   reply by sequence number, each with a timeout.
 * - Sample packets become live `ecg-samples` events (all 12 leads: III, aVR, aVL, aVF derived from I
 *   and II on the host), `ecg-lead-off` when the set of loose electrodes changes, and
 *   `ecg-packets-lost` when the packet counter skips (a corrupted packet counts as lost).
 * - A strip for the record is taken from those live events by the app's capture (core/ecg/capture.ts),
 *   the same wherever the driver runs: the agent, a utility process, a test.
 * - `receiveRecord()` runs the receiving end of the framed file transfer (record-receiver.ts,
 *   PROFILE.md §3); only a whole, verified file is delivered.
 * - A driver started with `start()` (as the device agent runs it) that loses its cable reopens the
 *   port with the shared ReconnectPolicy (1 s, doubling to 16 s) and streams again, until stop().
 * Every failure is a DeviceError; malformed frames are reported and the framer resynchronises. The
 * jobs that do not need the driver's state live beside it: the 12-lead derivation (twelve-leads.ts),
 * the transfer receiver (record-receiver.ts); request/reply matching
 * and command order are the shared Waitress and Sequencer of devices/transport.
 */
import { z } from 'zod';
import { DeviceError, isDeviceError } from '../../core/contract/device-error.ts';
import type { DeviceEvent } from '../../core/contract/workstation-api.ts';
import type { EcgRecording } from '../../core/ecg/recording.ts';
import type { Electrode } from '../../core/ecg/synthesis/noise.ts';
import type { StreamingDriver } from '../family/device-family.ts';
import { DriverEvents } from '../family/driver-events.ts';
import { ReconnectPolicy } from '../../core/async/reconnect.ts';
import { Sequencer } from '../../core/async/sequencer.ts';
import type { Transport } from '../transport/transport.ts';
import { Waitress } from '../../core/async/waitress.ts';
import type { CommandName, DeviceInfo, DeviceReply, HostCommand, SamplePacket, TransferFrame } from './codec.ts';
import { decodeScp, RecordReceiver } from './record-receiver.ts';
import { twelveLeads } from './twelve-leads.ts';
import { cwEcg8Profile, type AcquisitionProfile } from './profile.ts';
import type { StreamFramer } from './framer.ts';

export interface EcgDriverOptions {
  profile: AcquisitionProfile;
  sampleRateHz: number;
  /** µV per unit of the recordings and live events the driver produces. */
  resolutionUv: number;
  commandTimeoutMs: number;
  /** No packet for this long while streaming is a silent device. */
  streamTimeoutMs: number;
  /** No transfer frame for this long aborts a file transfer. */
  transferTimeoutMs: number;
  /** Live events carry this many samples each (default: 1/20 s). */
  blockSamples: number | undefined;
  /** Largest file the receiver accepts. */
  maxFileBytes: number;
  /** After an unplug of a started driver: first pause before reopening, doubling up to reconnectMaxMs. */
  reconnectIntervalMs: number;
  reconnectMaxMs: number;
}

export const defaultEcgDriverOptions: EcgDriverOptions = {
  profile: cwEcg8Profile,
  sampleRateHz: 500,
  resolutionUv: 1,
  commandTimeoutMs: 1000,
  streamTimeoutMs: 1000,
  transferTimeoutMs: 3000,
  blockSamples: undefined,
  maxFileBytes: 16 * 1024 * 1024,
  reconnectIntervalMs: 1000,
  reconnectMaxMs: 16_000,
};

/**
 * The scalar options, as they arrive from a DeviceAssignment (numbers may come as strings from a
 * settings form): validated, and coerced where that is unambiguous.
 */
const assignmentOptionsSchema = z
  .object({
    sampleRateHz: z.coerce.number().int().positive(),
    resolutionUv: z.coerce.number().positive().finite(),
    commandTimeoutMs: z.coerce.number().int().positive(),
    streamTimeoutMs: z.coerce.number().int().positive(),
    transferTimeoutMs: z.coerce.number().int().positive(),
    blockSamples: z.coerce.number().int().positive(),
    maxFileBytes: z.coerce.number().int().positive(),
    reconnectIntervalMs: z.coerce.number().int().positive(),
    reconnectMaxMs: z.coerce.number().int().positive(),
  })
  .partial();

export interface ReceivedRecord {
  format: 'scp-ecg';
  bytes: Uint8Array;
  /** Decoded by core/ecg/formats (readScpEcg). */
  recording: EcgRecording;
}

export class EcgDriver implements StreamingDriver {
  readonly kind = 'ecg' as const;
  readonly options: EcgDriverOptions;
  readonly #transport: Transport;
  readonly #framer: StreamFramer;
  readonly #events = new DriverEvents('ecg');
  readonly #unsubscribe: (() => void)[] = [];
  #seq = 0;
  /** Replies awaited, by sequence number (one command at a time), and the command each answers. */
  readonly #replies = new Waitress<number, DeviceReply>();
  readonly #pendingCommands = new Map<number, CommandName>();
  readonly #commands = new Sequencer();
  #info: DeviceInfo | undefined;
  #streaming = false;
  #lastCounter: number | undefined;
  #sampleIndex = 0;
  #leadOff: Electrode[] = [];
  #block: Int32Array[] = [];
  #blockFirst = 0;
  #reception: RecordReceiver | undefined;
  #streamWatchdog: ReturnType<typeof setTimeout> | undefined;
  #lostPackets = 0;
  #corruptFrames = 0;
  /** start() was called and stop() not yet: an unplugged device is reopened and streams again. */
  #keepStreaming = false;
  #reconnect: ReconnectPolicy | undefined;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(transport: Transport, options: Partial<EcgDriverOptions> = {}) {
    this.#transport = transport;
    const { profile, ...scalars } = options;
    const parsed = assignmentOptionsSchema.safeParse(Object.fromEntries(Object.entries(scalars).filter(([, v]) => v !== undefined)));
    if (!parsed.success) {
      throw new DeviceError('not-configured', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    }
    this.options = { ...defaultEcgDriverOptions, ...(profile ? { profile } : {}), ...parsed.data };
    if (!this.options.profile.sampleRatesHz.includes(this.options.sampleRateHz)) {
      throw new DeviceError('not-configured', `sample rate ${this.options.sampleRateHz} Hz; the profile offers ${this.options.profile.sampleRatesHz.join('/')}`);
    }
    this.#framer = this.options.profile.createFramer();
  }

  get deviceInfo(): DeviceInfo | undefined {
    return this.#info;
  }
  get isStreaming(): boolean {
    return this.#streaming;
  }
  get sampleRateHz(): number {
    return this.options.sampleRateHz;
  }
  /** Packets lost (or corrupted) since the driver was created. */
  get lostPackets(): number {
    return this.#lostPackets;
  }
  get corruptFrames(): number {
    return this.#corruptFrames;
  }

  onEvent(listener: (event: DeviceEvent) => void): () => void {
    return this.#events.subscribe(listener);
  }

  /** DeviceDriver: connect and stream live samples; after an unplug, reconnect and stream again until stop(). */
  async start(): Promise<void> {
    this.#keepStreaming = true;
    try {
      await this.connect();
      await this.startStreaming();
      this.#events.emit({ type: 'status', kind: 'ecg', status: 'reading' });
    } catch (error) {
      const e = asDeviceError(error);
      this.#events.emit({ type: 'status', kind: 'ecg', status: 'error', error: e.toJSON() });
      throw e;
    }
  }

  async stop(): Promise<void> {
    this.#keepStreaming = false;
    this.#cancelReconnect();
    if (this.#streaming && this.#transport.isOpen) await this.stopStreaming().catch(() => undefined);
    this.#stopWatchdog();
    this.#events.emit({ type: 'status', kind: 'ecg', status: 'ready' });
  }

  /** Opens the transport, asks the device who it is and sets the sample rate. */
  async connect(): Promise<DeviceInfo> {
    if (!this.#transport.isOpen) await this.#transport.open();
    if (this.#unsubscribe.length === 0) {
      this.#unsubscribe.push(
        this.#transport.onData((chunk) => this.#onData(chunk)),
        this.#transport.onClose((error) => this.#onClose(error)),
      );
    }
    const reply = await this.#command({ type: 'get-info' });
    if (reply.type !== 'info') throw new DeviceError('bad-frame', `expected info, got ${reply.type}`);
    if (reply.info.channelCount !== this.options.profile.channelLeads.length) {
      throw new DeviceError('bad-frame', `device has ${reply.info.channelCount} channels`);
    }
    this.#info = reply.info;
    if (reply.info.sampleRateHz !== this.options.sampleRateHz) {
      const setRate = { type: 'set-rate', sampleRateHz: this.options.sampleRateHz } as const;
      await this.#command(setRate).catch(async (error: unknown) => {
        // Still streaming for an earlier session (the app restarted mid-stream): stop it first.
        if (!(isDeviceError(error) && error.code === 'busy')) throw error;
        await this.#command({ type: 'stop' });
        await this.#command(setRate);
      });
      this.#info = { ...reply.info, sampleRateHz: this.options.sampleRateHz };
    }
    this.#events.emit({ type: 'status', kind: 'ecg', status: 'ready' });
    return this.#info;
  }

  async startStreaming(): Promise<void> {
    if (!this.#info) await this.connect();
    if (this.#streaming) return;
    this.#block = [];
    await this.#command({ type: 'start' });
  }

  async stopStreaming(): Promise<void> {
    if (!this.#streaming) return;
    this.#streaming = false;
    this.#stopWatchdog();
    this.#flushBlock();
    await this.#command({ type: 'stop' });
  }

  /**
   * Asks the cart for its stored record (`request: true`) or waits for it to send one, and receives
   * it. Resolves with the whole verified file; rejects with a DeviceError and delivers nothing on
   * any failure.
   */
  async receiveRecord(options: { request?: boolean } = {}): Promise<ReceivedRecord> {
    if (this.#reception) throw new DeviceError('busy', 'a file transfer is already running');
    if (!this.#transport.isOpen || this.#unsubscribe.length === 0) await this.connect();
    if (this.#streaming) await this.stopStreaming();
    const receiver = this.#receive();
    receiver.done.catch(() => undefined); // awaited below; avoids an unhandled rejection meanwhile
    if (options.request ?? true) {
      try {
        await this.#command({ type: 'request-record' });
      } catch (error) {
        receiver.fail(asDeviceError(error));
      }
    }
    const bytes = await receiver.done;
    return { format: 'scp-ecg', bytes, recording: decodeScp(bytes) };
  }

  /** Stops listening to the transport (the caller closes it). */
  dispose(): void {
    this.#keepStreaming = false;
    this.#cancelReconnect();
    this.#stopWatchdog();
    for (const off of this.#unsubscribe.splice(0)) off();
    this.#failAll(new DeviceError('port-closed', this.#transport.path));
  }

  // -------------------------------------------------------------------------------------------

  /** Sends one command and waits for the reply with its sequence number; commands go one at a time. */
  #command(command: HostCommand): Promise<DeviceReply> {
    return this.#commands.run(async () => {
      const seq = (this.#seq = (this.#seq % 0xffff) + 1); // 1…65535: 0 is what a NAK of a damaged frame carries
      this.#pendingCommands.set(seq, command.type);
      const reply = this.#replies.wait(seq, this.options.commandTimeoutMs, () => new DeviceError('timeout', `${command.type} after ${this.options.commandTimeoutMs} ms`));
      try {
        await this.#transport.write(this.options.profile.encode({ seq, command }));
      } catch (error) {
        this.#replies.reject(seq, asDeviceError(error, 'write-failed'));
      }
      const result = await reply.finally(() => this.#pendingCommands.delete(seq));
      if (result.type === 'nak') {
        throw new DeviceError(result.reason === 'busy' ? 'busy' : 'device-status', `${command.type} refused: ${result.reason}`);
      }
      return result;
    });
  }

  /** The device answered command `seq`. */
  #onReply(seq: number, reply: DeviceReply): void {
    if (this.#pendingCommands.get(seq) === 'start' && reply.type === 'ack' && this.#replies.isWaiting(seq)) {
      // Packets may share the read that carried this ACK: accept them from here on, synchronously.
      this.#streaming = true;
      this.#lastCounter = undefined;
      this.#armWatchdog();
    }
    this.#replies.resolve(seq, reply);
  }

  #onData(chunk: Uint8Array): void {
    for (const frame of this.#framer.push(chunk)) {
      if (frame instanceof DeviceError) {
        this.#corruptFrames++;
        this.#events.emit({ type: 'error', kind: 'ecg', error: frame.toJSON() });
        this.#reception?.onCorruptFrame();
        continue;
      }
      let decoded;
      try {
        decoded = this.options.profile.decodeFrame(frame);
      } catch (error) {
        this.#corruptFrames++;
        const e = asDeviceError(error, 'bad-frame');
        this.#events.emit({ type: 'error', kind: 'ecg', error: e.toJSON() });
        this.#reception?.onCorruptFrame();
        continue;
      }
      if (decoded.kind === 'samples') this.#onPacket(decoded.packet);
      else if ('transfer' in decoded.message) this.#onTransferFrame(decoded.message.transfer);
      else if (this.#replies.isWaiting(decoded.message.seq)) this.#onReply(decoded.message.seq, decoded.message.reply);
      else if (decoded.message.reply.type === 'lead-off') this.#setLeadOff(decoded.message.reply.electrodes);
    }
  }

  #onPacket(packet: SamplePacket): void {
    if (!this.#streaming) return; // the tail of a stream we already stopped
    this.#armWatchdog();
    const modulus = this.options.profile.counterModulus;
    if (this.#lastCounter !== undefined) {
      const gap = (packet.counter - this.#lastCounter - 1 + modulus) % modulus;
      if (gap > 0) {
        this.#lostPackets += gap;
        this.#flushBlock();
        this.#events.emit({ type: 'ecg-packets-lost', count: gap, atSampleIndex: this.#sampleIndex });
        this.#sampleIndex += gap;
        this.#blockFirst = this.#sampleIndex;
      }
    }
    this.#lastCounter = packet.counter;
    this.#setLeadOff(packet.leadOff);

    const scale = (this.#info?.lsbNanovolts ?? 100) / (1000 * this.options.resolutionUv);
    const values = new Int32Array(packet.channels.length);
    for (let c = 0; c < values.length; c++) values[c] = Math.round(packet.channels[c]! * scale);

    if (this.#block.length === 0) this.#blockFirst = this.#sampleIndex;
    this.#block.push(values);
    this.#sampleIndex++;
    const blockSamples = this.options.blockSamples ?? Math.max(1, Math.round(this.options.sampleRateHz / 20));
    if (this.#block.length >= blockSamples) this.#flushBlock();
  }

  #setLeadOff(electrodes: Electrode[]): void {
    if (electrodes.length === this.#leadOff.length && electrodes.every((e, i) => e === this.#leadOff[i])) return;
    this.#leadOff = electrodes;
    this.#events.emit({ type: 'ecg-lead-off', electrodes: [...electrodes] });
  }

  #flushBlock(): void {
    if (this.#block.length === 0) return;
    const channels = this.options.profile.channelLeads.map((_, c) => Int32Array.from(this.#block, (v) => v[c]!));
    const leads = twelveLeads(this.options.profile.channelLeads, channels);
    this.#events.emit({
      type: 'ecg-samples',
      sampleRateHz: this.options.sampleRateHz,
      resolutionUv: this.options.resolutionUv,
      firstSampleIndex: this.#blockFirst,
      leads: Object.fromEntries(leads.map((l) => [l.lead, Array.from(l.samples)])),
    });
    this.#block = [];
  }

  #armWatchdog(): void {
    this.#stopWatchdog();
    this.#streamWatchdog = setTimeout(() => {
      if (!this.#streaming) return;
      const error = new DeviceError('timeout', `no ECG packet for ${this.options.streamTimeoutMs} ms`);
      this.#events.emit({ type: 'error', kind: 'ecg', error: error.toJSON() });
    }, this.options.streamTimeoutMs);
  }

  #stopWatchdog(): void {
    if (this.#streamWatchdog) clearTimeout(this.#streamWatchdog);
    this.#streamWatchdog = undefined;
  }

  #onClose(error?: DeviceError): void {
    const reason = error ?? new DeviceError('port-closed', this.#transport.path);
    this.#streaming = false;
    this.#stopWatchdog();
    this.#framer.reset();
    this.#info = undefined;
    for (const off of this.#unsubscribe.splice(0)) off();
    this.#failAll(reason);
    this.#events.emit({ type: 'status', kind: 'ecg', status: error ? 'error' : 'disconnected', error: error?.toJSON() });
    if (error && this.#keepStreaming) this.#scheduleReconnect();
  }

  /** The cable came out of a started front end: reopen it after a growing pause, then stream again. */
  #scheduleReconnect(): void {
    this.#reconnect ??= new ReconnectPolicy({ initialMs: this.options.reconnectIntervalMs, maxMs: this.options.reconnectMaxMs });
    this.#cancelReconnect();
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      if (!this.#keepStreaming) return;
      this.start().then(
        () => this.#reconnect?.reset(),
        () => {
          // Still away or not answering (start reported it as a status): try again, a little later.
          if (this.#keepStreaming) this.#scheduleReconnect();
        },
      );
    }, this.#reconnect.nextDelayMs());
  }

  #cancelReconnect(): void {
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
  }

  #failAll(error: DeviceError): void {
    this.#replies.rejectAll(error);
    this.#reception?.fail(error);
  }

  #onTransferFrame(frame: TransferFrame): void {
    if (this.#reception) return this.#reception.onFrame(frame);
    if (frame.kind === 'enq') {
      // The cart started a transfer on its own (the operator pressed "send"): receive and announce it.
      const receiver = this.#receive();
      receiver.onFrame(frame);
      receiver.done
        .then((bytes) => {
          decodeScp(bytes); // announce only a record the workstation can read
          this.#events.emit({ type: 'ecg-record-received', format: 'scp-ecg', byteLength: bytes.length, base64: toBase64(bytes) });
        })
        .catch((error) => this.#events.emit({ type: 'error', kind: 'ecg', error: asDeviceError(error).toJSON() }));
    }
  }

  /** Starts receiving a record transfer (PROFILE.md §3); the receiver is fed from #onData while it runs. */
  #receive(): RecordReceiver {
    const receiver: RecordReceiver = new RecordReceiver({
      send: (frame: TransferFrame) => this.#transport.write(this.options.profile.encode({ seq: 0, transfer: frame })),
      transferTimeoutMs: this.options.transferTimeoutMs,
      maxFileBytes: this.options.maxFileBytes,
      onSettled: () => {
        if (this.#reception === receiver) this.#reception = undefined;
      },
    });
    this.#reception = receiver;
    return receiver;
  }
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function asDeviceError(error: unknown, fallback: 'bad-frame' | 'write-failed' = 'bad-frame'): DeviceError {
  return isDeviceError(error) ? error : new DeviceError(fallback, error instanceof Error ? error.message : String(error));
}
