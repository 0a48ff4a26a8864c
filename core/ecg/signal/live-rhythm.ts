/**
 * What the live view says under the trace (实时心率与信号质量), from the last seconds of the
 * stream: the heart rate, ventricular flutter/fibrillation instead of a rate, or that the signal is
 * too noisy to read. The same detector and noise check as the review screen and the MIT-BIH bench
 * (tests/bench/ecg-detection prints how often the noise warning fires on clean and noisy strips).
 */
import { detectBeatsMultiLead, heartRateBpm, rrIntervalsMs } from './qrs-detection.ts';
import { assessSegmentNoise, type SegmentNoise } from './signal-quality.ts';
import { withoutComplexesPeakingOutside } from './strip-edges.ts';

export type LiveRhythm =
  | { kind: 'ventricular-fibrillation' }
  | { kind: 'noisy'; snrDb: number | null; heartRateBpm: number | null }
  | { kind: 'rate'; heartRateBpm: number | null; snrDb: number | null };

/** `leadsUv`: the last few seconds (10 s is what the review screen rates) of one or more leads, µV. */
export function assessLiveRhythm(leadsUv: readonly Float64Array[], sampleRateHz: number): LiveRhythm {
  const { peaks, flutterEpisodes } = detectBeatsMultiLead(leadsUv, sampleRateHz);
  const length = Math.min(...leadsUv.map((l) => l.length));
  // The newest seconds count: an episode that ended earlier in the window is history, not an alarm.
  const recentFrom = length - 2 * sampleRateHz;
  if (flutterEpisodes.some(([, to]) => to >= recentFrom)) return { kind: 'ventricular-fibrillation' };
  // As on the review screen, a complex cut by the window's edge counts only when it peaks inside it.
  const beats = withoutComplexesPeakingOutside(Array.from(peaks), leadsUv, sampleRateHz);
  const rate = heartRateBpm(rrIntervalsMs(beats, sampleRateHz));
  const noise: SegmentNoise = assessSegmentNoise(leadsUv, sampleRateHz, peaks);
  const heartRate = rate === null ? null : Math.round(rate);
  return noise.noisy ? { kind: 'noisy', snrDb: noise.snrDb, heartRateBpm: heartRate } : { kind: 'rate', heartRateBpm: heartRate, snrDb: noise.snrDb };
}
