/**
 * Test builders: the ecg-samples blocks a driver would emit for a synthetic recording
 * (makeSampleBlocks), so screens and the capture can be fed the stream without a device.
 */
import type { DeviceEvent } from '../../contract/workstation-api.ts';
import { standardLeads } from '../recording.ts';
import { synthesizeEcg, type Rhythm } from '../synthesis/index.ts';

export type SamplesEvent = Extract<DeviceEvent, { type: 'ecg-samples' }>;

export function makeSyntheticEcg(options: { seconds?: number; sampleRateHz?: number; rhythm?: Rhythm; heartRateBpm?: number } = {}) {
  return synthesizeEcg({
    rhythm: options.rhythm ?? 'normal-sinus',
    heartRateBpm: options.heartRateBpm,
    durationSeconds: options.seconds ?? 12,
    sampleRateHz: options.sampleRateHz ?? 500,
  }).recording;
}

/** The recording cut into blocks of `blockSamples` (the driver sends 1/20 s), from stream index `startIndex`. */
export function makeSampleBlocks(options: { seconds?: number; sampleRateHz?: number; rhythm?: Rhythm; heartRateBpm?: number; blockSamples?: number; startIndex?: number } = {}): SamplesEvent[] {
  const recording = makeSyntheticEcg(options);
  const block = options.blockSamples ?? Math.round(recording.sampleRateHz / 20);
  const total = recording.leads[0]!.samples.length;
  const events: SamplesEvent[] = [];
  for (let from = 0; from < total; from += block) {
    const leads: Record<string, number[]> = {};
    for (const lead of standardLeads) leads[lead] = Array.from(recording.leads.find((l) => l.lead === lead)!.samples.subarray(from, Math.min(total, from + block)));
    events.push({ type: 'ecg-samples', sampleRateHz: recording.sampleRateHz, resolutionUv: recording.resolutionUv, firstSampleIndex: (options.startIndex ?? 0) + from, leads });
  }
  return events;
}
