/**
 * A whole WFDB record ↔ EcgRecording. Pure: the caller reads the .hea, .dat and .atr bytes.
 *
 * Physical value = (adc − baseline) / gain (header(5)). EcgRecording keeps integers in units of one
 * `resolutionUv` for all leads, so each signal's step, 1000 / gain µV for mV units, is brought to the
 * finest step among the signals (exact for the usual case of one gain for all; rounded otherwise).
 * Invalid samples (−2048 in format 212, −32768 in 16) become the baseline, i.e. 0 µV.
 */
import type { BeatAnnotation, EcgRecording } from '../../recording.ts';
import { standardLeads } from '../../recording.ts';
import { readWfdbAnnotations, writeWfdbAnnotations, type WfdbAnnotation } from './annotations.ts';
import { parseWfdbHeader, wfdbStartTime, type WfdbHeader } from './header.ts';
import { decodeWfdbSignals, encodeStream, invalidSampleValue } from './signals.ts';
import { EcgFormatError } from '../format-error.ts';

export interface WfdbRecordFiles {
  /** The .hea text (or its bytes, read as ASCII). */
  header: string | Uint8Array;
  /** Signal files by the names the header gives them (e.g. "100.dat"). */
  signalFiles: Readonly<Record<string, Uint8Array>>;
  /** The annotation file (e.g. 100.atr), when there is one. */
  annotations?: Uint8Array | undefined;
}

export interface WfdbRecord {
  header: WfdbHeader;
  recording: EcgRecording;
  /** Every annotation as {sample, code} (beats and non-beat events alike). */
  beats: BeatAnnotation[];
  /** The full annotations, with subtype, channel, number and auxiliary text. */
  annotations: WfdbAnnotation[];
}

const microvoltsPer: Readonly<Record<string, number>> = { uV: 1, µV: 1, mV: 1000, V: 1e6 };

/** "MLII" stays "MLII"; "avf", "AVF" or "lead II" become the standard names "aVF", "II". */
export function wfdbLeadName(description: string, index: number): string {
  const d = description.trim().replace(/^lead\s+/i, '');
  if (d === '') return `signal ${index}`;
  const standard = standardLeads.find((l) => l.toLowerCase() === d.toLowerCase());
  return standard ?? d;
}

export function readWfdbRecord(files: WfdbRecordFiles): WfdbRecord {
  const headerText = typeof files.header === 'string' ? files.header : new TextDecoder('latin1').decode(files.header);
  const header = parseWfdbHeader(headerText);
  if (header.signals.length === 0) throw new EcgFormatError('WFDB_UNSUPPORTED', 'a record without signals');
  const raw = decodeWfdbSignals(header, (name) => files.signalFiles[name]);

  const steps = header.signals.map((s) => {
    const perUnit = microvoltsPer[s.units];
    if (perUnit === undefined) throw new EcgFormatError('WFDB_UNSUPPORTED', `signal units "${s.units}" (an ECG needs uV, mV or V)`);
    return perUnit / s.adcGain;
  });
  const resolutionUv = Math.min(...steps.map(Math.abs));
  const leads = header.signals.map((spec, i) => {
    const adc = raw[i] as Int32Array;
    const invalid = invalidSampleValue[spec.format];
    const scale = (steps[i] as number) / resolutionUv;
    const samples = new Int32Array(adc.length);
    for (let t = 0; t < adc.length; t++) {
      const v = adc[t] as number;
      samples[t] = v === invalid ? 0 : Math.round((v - spec.baseline) * scale);
    }
    return { lead: wfdbLeadName(spec.description, i), samples };
  });
  const annotations = files.annotations ? readWfdbAnnotations(files.annotations) : [];
  return {
    header,
    recording: { sampleRateHz: header.sampleRateHz, resolutionUv, leads, startTime: wfdbStartTime(header) },
    beats: annotations.map((a) => ({ sample: a.sample, code: a.code })),
    annotations,
  };
}

export interface WrittenWfdbRecord {
  header: string;
  dat: Uint8Array;
  atr: Uint8Array | undefined;
}

/**
 * Writes an EcgRecording as a WFDB record `<name>.hea` + `<name>.dat` (+ `<name>.atr` when beats
 * are given): one interleaved signal file, gain 1000 / resolutionUv adu per mV, baseline 0.
 * Format 212 stores 12 bits (−2047…2047; −2048 means "invalid"), format 16 stores 16 bits.
 */
export function writeWfdbRecord(
  name: string,
  recording: EcgRecording,
  options: { format?: 212 | 16; beats?: readonly BeatAnnotation[] } = {},
): WrittenWfdbRecord {
  const format = options.format ?? 16;
  if (!/^[\w-]+$/.test(name)) throw new EcgFormatError('WFDB_NOT_WRITABLE', `record name "${name}" (letters, digits, _ and - only)`);
  if (recording.leads.length === 0) throw new EcgFormatError('WFDB_NOT_WRITABLE', 'no leads');
  const frames = recording.leads[0]?.samples.length ?? 0;
  if (recording.leads.some((l) => l.samples.length !== frames)) throw new EcgFormatError('WFDB_NOT_WRITABLE', 'leads of different lengths');
  const limit = format === 212 ? 2047 : 32767;
  const width = recording.leads.length;
  const interleaved = new Int32Array(frames * width);
  recording.leads.forEach((lead, column) => {
    for (let t = 0; t < frames; t++) {
      const v = lead.samples[t] as number;
      if (v > limit || v < -limit) throw new EcgFormatError('WFDB_NOT_WRITABLE', `a sample of ${lead.lead} exceeds format ${format}`);
      interleaved[t * width + column] = v;
    }
  });
  const gain = 1000 / recording.resolutionUv;
  const lines = [`${name} ${width} ${recording.sampleRateHz} ${frames}`];
  recording.leads.forEach((lead) => {
    let checksum = 0;
    for (let t = 0; t < frames; t++) checksum = (checksum + (lead.samples[t] as number)) & 0xffff;
    const signed = checksum > 0x7fff ? checksum - 0x10000 : checksum;
    const bits = format === 212 ? 12 : 16;
    const first = lead.samples[0] ?? 0;
    lines.push(`${name}.dat ${format} ${Number(gain.toPrecision(12))}(0)/mV ${bits} 0 ${first} ${signed} 0 ${lead.lead}`);
  });
  return {
    header: `${lines.join('\n')}\n`,
    dat: encodeStream(interleaved, format),
    atr: options.beats ? writeWfdbAnnotations(options.beats) : undefined,
  };
}
