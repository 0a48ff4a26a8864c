/**
 * WFDB header (.hea) parsing, after the WFDB Programmer's Guide, header(5):
 *   record line:  record_name n_signals [fs[/counter_freq[(base_counter)]] [n_samples [base_time [base_date]]]]
 *   signal lines: file_name format[xsamples_per_frame][:skew][+byte_offset]
 *                 [adc_gain[(baseline)][/units] [adc_resolution [adc_zero [initial_value [checksum
 *                 [block_size [description]]]]]]]
 *   `#` lines are comments ("info strings", e.g. MIT-BIH's "# 69 M 1085 1629 x1").
 */
import { EcgFormatError } from '../format-error.ts';

export interface WfdbSignalSpec {
  fileName: string;
  /** Storage format number (16, 212, 80, 61 …). */
  format: number;
  samplesPerFrame: number;
  skew: number;
  byteOffset: number;
  /** ADC units per physical unit. */
  adcGain: number;
  /** ADC value that corresponds to 0 physical units. */
  baseline: number;
  units: string;
  adcResolution: number;
  adcZero: number;
  initialValue: number;
  checksum: number | undefined;
  blockSize: number;
  description: string;
}

export interface WfdbHeader {
  recordName: string;
  signalCount: number;
  sampleRateHz: number;
  /** Samples per signal, when the header states it. */
  sampleCount: number | undefined;
  /** "HH:MM:SS[.sss]" as written, when present. */
  baseTime: string | undefined;
  /** "DD/MM/YYYY" as written, when present. */
  baseDate: string | undefined;
  signals: WfdbSignalSpec[];
  comments: string[];
}

/** WFDB's defaults: 250 Hz, gain 200 adu/mV, 12-bit ADC. */
const defaultSampleRateHz = 250;
const defaultGain = 200;

const bad = (line: number, what: string): EcgFormatError => new EcgFormatError('WFDB_BAD_HEADER', `line ${line}: ${what}`);

const integer = (token: string | undefined, fallback: number, line: number, what: string): number => {
  if (token === undefined) return fallback;
  if (!/^[-+]?\d+$/.test(token)) throw bad(line, `${what} "${token}" is not an integer`);
  return Number(token);
};

export function parseWfdbHeader(text: string): WfdbHeader {
  const lines = text.split(/\r?\n/);
  const comments: string[] = [];
  const content: { text: string; line: number }[] = [];
  lines.forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#')) comments.push(trimmed.slice(1).trim());
    else if (trimmed !== '') content.push({ text: trimmed, line: index + 1 });
  });
  const recordLine = content[0];
  if (!recordLine) throw new EcgFormatError('WFDB_BAD_HEADER', 'no record line');
  const r = recordLine.text.split(/\s+/);
  const recordName = r[0] as string;
  if (recordName.includes('/')) throw new EcgFormatError('WFDB_UNSUPPORTED', 'multi-segment records');
  const signalCount = integer(r[1], NaN, recordLine.line, 'number of signals');
  if (!(signalCount >= 0)) throw bad(recordLine.line, 'number of signals missing');
  let sampleRateHz = defaultSampleRateHz;
  if (r[2] !== undefined) {
    const fsText = r[2].split('/')[0] as string;
    sampleRateHz = Number(fsText);
    if (!(sampleRateHz > 0) || !Number.isFinite(sampleRateHz)) throw bad(recordLine.line, `sampling frequency "${r[2]}"`);
  }
  const sampleCount = r[3] === undefined ? undefined : integer(r[3], 0, recordLine.line, 'number of samples');
  const baseTime = r[4];
  const baseDate = r[5];
  if (baseTime !== undefined && !/^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(baseTime)) throw bad(recordLine.line, `base time "${baseTime}"`);
  if (baseDate !== undefined && !/^\d{1,2}\/\d{1,2}\/\d{4}$/.test(baseDate)) throw bad(recordLine.line, `base date "${baseDate}"`);

  const signalLines = content.slice(1, 1 + signalCount);
  if (signalLines.length < signalCount) {
    throw new EcgFormatError('WFDB_BAD_HEADER', `header announces ${signalCount} signals but describes ${signalLines.length}`);
  }
  const signals = signalLines.map(({ text: lineText, line }) => parseSignalLine(lineText, line));
  return { recordName, signalCount, sampleRateHz, sampleCount, baseTime, baseDate, signals, comments };
}

function parseSignalLine(text: string, line: number): WfdbSignalSpec {
  // Eight whitespace-separated fields, then the description (which may contain spaces).
  const match = /^(\S+)\s+(\S+)(?:\s+(\S+))?(?:\s+(\S+))?(?:\s+(\S+))?(?:\s+(\S+))?(?:\s+(\S+))?(?:\s+(\S+))?(?:\s+(.*))?$/.exec(text);
  if (!match) throw bad(line, 'signal line needs at least a file name and a format');
  const [, fileName, formatSpec, gainSpec, resolution, zero, initial, checksum, blockSize, description] = match;
  const format = /^(\d+)(?:x(\d+))?(?::(-?\d+))?(?:\+(\d+))?$/.exec(formatSpec as string);
  if (!format) throw bad(line, `format "${formatSpec}"`);
  const adcZero = integer(zero, 0, line, 'ADC zero');
  let adcGain = defaultGain;
  let baseline = adcZero;
  let units = 'mV';
  if (gainSpec !== undefined) {
    const gain = /^([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(?:\(([-+]?\d+)\))?(?:\/(\S+))?$/.exec(gainSpec);
    if (!gain) throw bad(line, `ADC gain "${gainSpec}"`);
    // header(5): a gain of zero means "uncalibrated"; the library then assumes the default 200.
    adcGain = Number(gain[1]) || defaultGain;
    if (gain[2] !== undefined) baseline = Number(gain[2]);
    if (gain[3] !== undefined) units = gain[3];
  }
  return {
    fileName: fileName as string,
    format: Number(format[1]),
    samplesPerFrame: format[2] === undefined ? 1 : Number(format[2]),
    skew: format[3] === undefined ? 0 : Number(format[3]),
    byteOffset: format[4] === undefined ? 0 : Number(format[4]),
    adcGain,
    baseline,
    units,
    adcResolution: integer(resolution, 12, line, 'ADC resolution'),
    adcZero,
    initialValue: integer(initial, adcZero, line, 'initial value'),
    checksum: checksum === undefined ? undefined : integer(checksum, 0, line, 'checksum'),
    blockSize: integer(blockSize, 0, line, 'block size'),
    description: description?.trim() ?? '',
  };
}

/** The record's start as ISO 8601 local time, when both base time and date are present. */
export function wfdbStartTime(header: WfdbHeader): string | undefined {
  if (header.baseTime === undefined || header.baseDate === undefined) return undefined;
  const [d, m, y] = header.baseDate.split('/') as [string, string, string];
  const [hh, mm, ss = '00'] = header.baseTime.split(':') as [string, string, string?];
  const two = (s: string): string => s.padStart(2, '0');
  const [whole, fraction] = ss.split('.');
  return `${y}-${two(m)}-${two(d)}T${two(hh)}:${two(mm)}:${two(whole ?? '00')}${fraction ? `.${fraction}` : ''}`;
}
