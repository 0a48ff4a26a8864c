/**
 * ECG file formats: write and read time and file size of a 10 s, 12-lead, 500 Hz study (synthetic,
 * from synthesizeEcg, 2.5 µV resolution as a typical cart stores) in DICOM 12-lead ECG, SCP-ECG
 * (default: second differences + default Huffman table; and raw) and the HL7 aECG export.
 *
 *   npx tsx tests/bench/ecg-formats.bench.ts [ROUNDS]      (default 30 rounds after 5 warm-ups)
 */
import { performance } from 'node:perf_hooks';
import { readDicomEcg, readScpEcg, writeAecg, writeDicomEcg, writeScpEcg } from '../../core/ecg/formats/index.ts';
import { synthesizeEcg } from '../../core/ecg/synthesis/index.ts';
import { figure } from './support/figures.ts';

const ROUNDS = Number(process.argv[2] ?? 30);
const WARMUP = 5;

const { recording } = synthesizeEcg({ rhythm: 'normal-sinus', durationSeconds: 10, sampleRateHz: 500, resolutionUv: 2.5, seed: 42 });
recording.patient = { id: '330102198001011234', name: '张三', sex: 'M', birthDate: '1980-01-01' };
recording.startTime = '2026-11-23T09:30:15+08:00';

function time<T>(run: () => T): { median: number; p95: number; result: T } {
  let result = run();
  for (let i = 1; i < WARMUP; i++) result = run();
  const ms: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    result = run();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)]!, p95: ms[Math.min(ms.length - 1, Math.floor(ms.length * 0.95))]!, result };
}

const samples = recording.leads.length * recording.leads[0]!.samples.length;
const rawBytes = samples * 2;
console.log(`study: ${recording.leads.length} leads × ${recording.leads[0]!.samples.length} samples (10 s, 500 Hz), int16 payload ${rawBytes} bytes; ${ROUNDS} rounds`);

const row = (label: string, write: { median: number; p95: number }, size: number, read?: { median: number; p95: number }) => {
  figure({ name: `${label} write median`, value: write.median, unit: 'ms', note: `${(size / 1024).toFixed(1)} KiB` });
  if (read) figure({ name: `${label} read median`, value: read.median, unit: 'ms' });
  console.log(
    `${label.padEnd(38)} write median ${write.median.toFixed(2)} ms (p95 ${write.p95.toFixed(2)})` +
      (read ? `   read median ${read.median.toFixed(2)} ms (p95 ${read.p95.toFixed(2)})` : '                                   ') +
      `   size ${(size / 1024).toFixed(1)} KiB (${((100 * size) / rawBytes).toFixed(0)}% of int16)`,
  );
};

const dicomWrite = time(() => writeDicomEcg(recording));
const dicomRead = time(() => readDicomEcg(dicomWrite.result));
row('DICOM 12-lead ECG', dicomWrite, dicomWrite.result.length, dicomRead);

const scpWrite = time(() => writeScpEcg(recording));
const scpRead = time(() => readScpEcg(scpWrite.result));
row(`SCP-ECG (${scpRead.result.scp.encoding}, Huffman)`, scpWrite, scpWrite.result.length, scpRead);

const scpRawWrite = time(() => writeScpEcg(recording, { encoding: 'raw', huffman: false }));
const scpRawRead = time(() => readScpEcg(scpRawWrite.result));
row('SCP-ECG (raw, no Huffman)', scpRawWrite, scpRawWrite.result.length, scpRawRead);

const aecg = time(() => writeAecg(recording));
row('HL7 aECG export', aecg, new TextEncoder().encode(aecg.result).length);

// Sanity: the figures are for files that read back intact.
const same = (a: Int32Array, b: Int32Array) => a.length === b.length && a.every((v, i) => v === b[i]);
for (const back of [dicomRead.result, scpRead.result, scpRawRead.result]) {
  if (!recording.leads.every((l, i) => same(l.samples, back.leads[i]!.samples))) throw new Error('round trip lost samples');
}
