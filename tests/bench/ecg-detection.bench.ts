/**
 * QRS detection speed, one core: 30 minutes of two-lead 360 Hz data (the MIT-BIH record shape),
 * decoded from WFDB format 212 and run through the Pan–Tompkins detector. Target: under 1 s.
 * Also: a 10 s 12-lead measurement at 500 Hz (what the clinic does after every acquisition).
 *   npx tsx tests/bench/ecg-detection.bench.ts
 */
import { readWfdbRecord, writeWfdbRecord } from '../../core/ecg/formats/wfdb/index.ts';
import { scoreBeatDetection } from '../../core/ecg/signal/beat-matching.ts';
import { measureEcg } from '../../core/ecg/signal/measure.ts';
import { detectQrs } from '../../core/ecg/signal/qrs-detection.ts';
import { synthesizeEcg } from '../../core/ecg/synthesis/index.ts';

const targetSeconds = 1;
const fs = 360;
const minutes = 30;

const timeIt = <T>(runs: number, fn: () => T): { median: number; result: T } => {
  fn(); // warm-up: JIT
  const times: number[] = [];
  let result = fn();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = fn();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)] as number, result };
};

const synthetic = synthesizeEcg({
  rhythm: 'pvc',
  durationSeconds: minutes * 60,
  sampleRateHz: fs,
  seed: 2026,
  resolutionUv: 5,
  noise: { baselineWander: 300, mains50Hz: 50, muscle: 30 },
});
const pick = (lead: string) => synthetic.recording.leads.find((l) => l.lead === lead)!.samples;
const twoLead = { ...synthetic.recording, leads: [{ lead: 'MLII', samples: pick('II') }, { lead: 'V5', samples: pick('V5') }] };
const written = writeWfdbRecord('bench', twoLead, { format: 212 });
const samplesPerLead = twoLead.leads[0]!.samples.length;

const decode = timeIt(5, () => readWfdbRecord({ header: written.header, signalFiles: { 'bench.dat': written.dat } }));
const mlii = decode.result.recording.leads[0]!.samples;
const oneLead = timeIt(5, () => detectQrs(mlii, fs));
const bothLeads = timeIt(3, () => decode.result.recording.leads.map((l) => detectQrs(l.samples, fs)));
const score = scoreBeatDetection(synthetic.beats.map((b) => b.sample), oneLead.result.peaks, fs);

const twelve = synthesizeEcg({ rhythm: 'normal-sinus', durationSeconds: 10, sampleRateHz: 500, seed: 1 }).recording;
const measure = timeIt(5, () => measureEcg(twelve));

const perSecond = (samples: number, seconds: number) => `${(samples / seconds / 1e6).toFixed(2)} M samples/s`;
console.log(`record: ${minutes} min, 2 leads, ${fs} Hz, format 212 (${(written.dat.length / 1e6).toFixed(2)} MB), ${synthetic.beats.length} beats`);
console.log(`decode .dat (2 leads):        ${(decode.median * 1000).toFixed(0)} ms  (${perSecond(2 * samplesPerLead, decode.median)})`);
console.log(`QRS detection, MLII:          ${(oneLead.median * 1000).toFixed(0)} ms  (${perSecond(samplesPerLead, oneLead.median)}; ${((minutes * 60) / oneLead.median).toFixed(0)}× real time)`);
console.log(`QRS detection, both leads:    ${(bothLeads.median * 1000).toFixed(0)} ms  (${perSecond(2 * samplesPerLead, bothLeads.median)})`);
console.log(`detector accuracy on it:      Se ${(100 * score.sensitivity).toFixed(2)} %, +P ${(100 * score.positivePredictivity).toFixed(2)} %`);
console.log(`measureEcg, 10 s 12-lead 500 Hz: ${(measure.median * 1000).toFixed(0)} ms`);
const total = decode.median + bothLeads.median;
console.log(`target: decode + detect 30 min two-lead under ${targetSeconds} s → ${total.toFixed(3)} s ${total < targetSeconds ? 'OK' : 'MISSED'}`);
process.exit(total < targetSeconds ? 0 : 1);
