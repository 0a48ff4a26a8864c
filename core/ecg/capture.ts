/**
 * A 10-second acquisition taken from the live stream: the ecg-samples blocks from the next one on
 * are copied until every lead holds `seconds × rate` samples, then they become an EcgRecording of
 * the 12 standard leads (III, aVR, aVL, aVF as the driver derived them). A lost packet or an
 * electrode coming off spoils the strip: the capture fails with a message in both languages and
 * the doctor records again, because a gap would be measured as a pause that never happened.
 */
import type { DeviceEvent } from '../contract/workstation-api.ts';
import { standardLeads, type EcgRecording } from './recording.ts';
import { CodedError, type ErrorCodeOf } from '../errors/index.ts';

type SamplesEvent = Extract<DeviceEvent, { type: 'ecg-samples' }>;

export type CaptureErrorCode = ErrorCodeOf<'capture'>;

export class CaptureError extends CodedError<`capture.${CaptureErrorCode}`> {
  override readonly name = 'CaptureError';
  declare readonly code: CaptureErrorCode;
  constructor(code: CaptureErrorCode) {
    super(`capture.${code}`);
  }
}

export type CaptureProgress = { state: 'recording'; samples: number; needed: number } | { state: 'done'; recording: EcgRecording } | { state: 'failed'; error: CaptureError };

export class EcgCapture {
  readonly seconds: number;
  readonly startedAt: Date;
  #format: { sampleRateHz: number; resolutionUv: number } | undefined;
  #leads: Int32Array[] = [];
  #filled = 0;
  #needed = 0;
  #nextIndex = 0;
  #result: CaptureProgress | undefined;

  constructor(seconds = 10, startedAt = new Date()) {
    this.seconds = seconds;
    this.startedAt = startedAt;
  }

  get progress(): CaptureProgress {
    return this.#result ?? { state: 'recording', samples: this.#filled, needed: this.#needed };
  }

  /** Feeds one device event; returns the progress after it. */
  push(event: DeviceEvent): CaptureProgress {
    if (this.#result) return this.#result;
    if (event.type === 'ecg-packets-lost' && this.#format) return this.#fail('packets-lost');
    if (event.type === 'ecg-lead-off' && event.electrodes.length > 0) return this.#fail('lead-off');
    if (event.type !== 'ecg-samples') return this.progress;
    return this.#samples(event);
  }

  #samples(event: SamplesEvent): CaptureProgress {
    if (!this.#format) {
      if (standardLeads.some((l) => !event.leads[l])) return this.#fail('missing-lead');
      this.#format = { sampleRateHz: event.sampleRateHz, resolutionUv: event.resolutionUv };
      this.#needed = Math.round(this.seconds * event.sampleRateHz);
      this.#leads = standardLeads.map(() => new Int32Array(this.#needed));
      this.#nextIndex = event.firstSampleIndex;
    }
    if (event.sampleRateHz !== this.#format.sampleRateHz || event.resolutionUv !== this.#format.resolutionUv) return this.#fail('format-changed');
    if (event.firstSampleIndex !== this.#nextIndex) return this.#fail('packets-lost');
    const length = event.leads.II?.length ?? 0;
    const take = Math.min(length, this.#needed - this.#filled);
    for (let l = 0; l < standardLeads.length; l++) {
      const source = event.leads[standardLeads[l]!];
      if (!source || source.length !== length) return this.#fail('missing-lead');
      this.#leads[l]!.set(source.slice(0, take), this.#filled);
    }
    this.#filled += take;
    this.#nextIndex += length;
    if (this.#filled < this.#needed) return this.progress;
    this.#result = {
      state: 'done',
      recording: {
        sampleRateHz: this.#format.sampleRateHz,
        resolutionUv: this.#format.resolutionUv,
        leads: standardLeads.map((lead, l) => ({ lead, samples: this.#leads[l]! })),
        startTime: this.startedAt.toISOString(),
      },
    };
    return this.#result;
  }

  #fail(code: CaptureErrorCode): CaptureProgress {
    this.#result = { state: 'failed', error: new CaptureError(code) };
    return this.#result;
  }
}
