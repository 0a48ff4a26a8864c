/**
 * `npm run --silent ecg -- <command>`: QRS detection, measurement and format conversion for ECG files.
 *
 *   detect <record>          → {"record", "fs", "leads", "peaks"} (one JSON object on stdout)
 *   measure <record>         → EcgMeasurements as JSON
 *   convert <in> <out>       → .dcm (DICOM 12-lead), .xml (HL7 aECG), .scp (SCP-ECG) or .hea (WFDB)
 *   score <record|folder>    → detection scored against the .atr beats (EC57 150 ms rule); for a
 *                              folder, one line per record and the gross figures, as a table
 *
 * A record is a WFDB record (path without extension, or the .hea; .dat/.atr beside it), a DICOM
 * ECG (.dcm), an SCP-ECG file (.scp) or an HL7 aECG file (.xml). Errors: exit code 1 (2 for usage), one line on stderr in
 * Chinese and English, nothing on stdout.
 */
import { readdir, readFile, rename, stat, writeFile, rm } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BeatAnnotation, EcgRecording } from '../core/ecg/recording.ts';
import { isEcgFormatError, readAecg, readDicomEcg, readScpEcg, writeAecg, writeDicomEcg, writeScpEcg } from '../core/ecg/formats/index.ts';
import { parseWfdbHeader, readWfdbRecord, writeWfdbRecord } from '../core/ecg/formats/wfdb/index.ts';
import { annotatedFlutterEpisodes, beatAnnotationCodes, grossScore, scoreBeatDetection, type BeatMatchScore, type GrossScore } from '../core/ecg/signal/beat-matching.ts';
import { measureEcg } from '../core/ecg/signal/measure.ts';
import { detectQrsMultiLead } from '../core/ecg/signal/qrs-detection.ts';
import { CodedError, type CodedErrorArgs, type ErrorCodeOf } from '../core/errors/index.ts';

export const ecgCliHelp = `Usage: npm run --silent ecg -- <command> [arguments]

Commands:
  detect <record>        Detect QRS complexes on all leads together; prints
                         {"record","fs","leads","peaks"} as JSON (peaks are sample indices).
  measure <record>       Heart rate, RR, PR, QRS, QT, QTc (Bazett, Fridericia), axis, ST levels and
                         machine hints (for a physician to confirm), as JSON.
  convert <in> <out>     Convert a record; the output extension chooses the format:
                         .dcm DICOM 12-lead ECG, .xml HL7 aECG, .scp SCP-ECG, .hea WFDB (format 16).
  score <record|folder>  Detect QRS and score against the .atr beat annotations (ANSI/AAMI EC57:
                         a match within 150 ms; every beat of the whole record). A record prints
                         JSON; a folder of WFDB records prints a table: per record and gross
                         Se, +P, F1 and mean timing error, counting every detection, and the EC57
                         way, without the annotated ventricular flutter/fibrillation episodes
                         ([ … ]), where there are no QRS complexes to detect.

A record is a WFDB record (path without extension, or any of its .hea/.dat/.atr files side by side),
a DICOM ECG (.dcm), an SCP-ECG file (.scp) or an HL7 aECG file (.xml).
用法：detect 检测 QRS 波；measure 测量心电参数；convert 转换格式；score 与 .atr 标注比对评分（可为记录或文件夹）。`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

type CliErrorCode = ErrorCodeOf<'ecgCli'>;
/** Codes that mean the command line itself was wrong: exit code 2, and the message points to --help. */
const usageCodes: readonly CliErrorCode[] = ['unsupported-output-format', 'no-output-extension', 'wrong-argument-count', 'no-command', 'unknown-command'];

/** A failure with its one-line message in both languages (the error catalogue's `ecgCli.*`). */
class CliError<C extends CliErrorCode = CliErrorCode> extends CodedError<`ecgCli.${C}`> {
  readonly exitCode: number;
  constructor(code: C, ...[params]: CodedErrorArgs<`ecgCli.${C}`>) {
    super(`ecgCli.${code}`, ...([params] as CodedErrorArgs<`ecgCli.${C}`>));
    this.exitCode = usageCodes.includes(code) ? 2 : 1;
  }
}

export interface LoadedRecord {
  name: string;
  recording: EcgRecording;
  /** Reference annotations, for WFDB records with an .atr file. */
  annotations: BeatAnnotation[] | undefined;
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError('file-not-found', { path });
    if (code === 'EISDIR') throw new CliError('is-directory', { path });
    throw new CliError('unreadable', { path });
  }
}

const exists = async (path: string): Promise<boolean> => stat(path).then(
  (s) => s.isFile(),
  () => false,
);

async function loadWfdb(basePath: string): Promise<LoadedRecord> {
  const headerBytes = await readBytes(`${basePath}.hea`);
  const headerText = new TextDecoder('latin1').decode(headerBytes);
  const header = parseWfdbHeader(headerText);
  const directory = dirname(basePath);
  const signalFiles: Record<string, Uint8Array> = {};
  for (const spec of header.signals) {
    if (spec.fileName === '~' || signalFiles[spec.fileName]) continue;
    if (spec.fileName.includes('/') || spec.fileName.includes('\\')) {
      throw new CliError('wfdb-signal-name-has-path', { fileName: spec.fileName });
    }
    signalFiles[spec.fileName] = await readBytes(join(directory, spec.fileName));
  }
  const atrPath = `${basePath}.atr`;
  const annotations = (await exists(atrPath)) ? await readBytes(atrPath) : undefined;
  const record = readWfdbRecord({ header: headerText, signalFiles, annotations });
  return { name: header.recordName, recording: record.recording, annotations: annotations ? record.beats : undefined };
}

export async function loadEcgRecord(path: string): Promise<LoadedRecord> {
  const extension = extname(path).toLowerCase();
  const name = basename(path, extname(path));
  if (extension === '.dcm') return { name, recording: readDicomEcg(await readBytes(path)), annotations: undefined };
  if (extension === '.scp') return { name, recording: readScpEcg(await readBytes(path)), annotations: undefined };
  if (extension === '.xml') return { name, recording: readAecg(await readBytes(path)), annotations: undefined };
  // A WFDB record may be named by any of its files.
  if (extension === '.hea' || extension === '.dat' || extension === '.atr') return loadWfdb(path.slice(0, -4));
  if (await exists(`${path}.hea`)) return loadWfdb(path);
  if (await exists(path)) {
    throw new CliError('unrecognised-ecg-file', { path });
  }
  throw new CliError('record-not-found', { path });
}

function detect(loaded: LoadedRecord): { record: string; fs: number; leads: string[]; peaks: number[] } {
  const { recording } = loaded;
  if (recording.leads.length === 0) throw new CliError('no-leads');
  const peaks = detectQrsMultiLead(recording.leads.map((l) => l.samples), recording.sampleRateHz);
  return { record: loaded.name, fs: recording.sampleRateHz, leads: recording.leads.map((l) => l.lead), peaks: Array.from(peaks) };
}

async function writeAtomically(path: string, data: Uint8Array | string): Promise<void> {
  // Write beside the target, then rename: a failed conversion never leaves half a file behind.
  const temporary = `${path}.${process.pid}.partial`;
  try {
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch {
    await rm(temporary, { force: true });
    throw new CliError('unwritable', { path });
  }
}

async function convert(loaded: LoadedRecord, output: string): Promise<{ output: string; format: string; bytes: number }> {
  const extension = extname(output).toLowerCase();
  switch (extension) {
    case '.dcm': {
      const bytes = writeDicomEcg(loaded.recording);
      await writeAtomically(output, bytes);
      return { output, format: 'dicom-12-lead-ecg', bytes: bytes.length };
    }
    case '.xml': {
      const text = writeAecg(loaded.recording);
      await writeAtomically(output, text);
      return { output, format: 'hl7-aecg', bytes: new TextEncoder().encode(text).length };
    }
    case '.scp': {
      const bytes = writeScpEcg(loaded.recording);
      await writeAtomically(output, bytes);
      return { output, format: 'scp-ecg', bytes: bytes.length };
    }
    case '.hea': {
      const base = output.slice(0, -4);
      const written = writeWfdbRecord(basename(base), loaded.recording, { format: 16, beats: loaded.annotations });
      await writeAtomically(`${base}.dat`, written.dat);
      if (written.atr) await writeAtomically(`${base}.atr`, written.atr);
      await writeAtomically(output, written.header);
      return { output, format: 'wfdb', bytes: written.header.length + written.dat.length + (written.atr?.length ?? 0) };
    }
    default:
      throw (extension ? new CliError('unsupported-output-format', { extension }) : new CliError('no-output-extension'));
  }
}

export interface RecordScore {
  record: string;
  referenceBeats: number;
  detectedBeats: number;
  /** Every beat and every detection of the whole record (stricter than EC57: VF episodes count too). */
  all: BeatMatchScore;
  /**
   * The EC57 way: every beat of the whole record, except inside the annotated ventricular
   * flutter/fibrillation episodes, where bxb counts neither reference beats nor detections.
   */
  outsideFlutter: BeatMatchScore;
}

/** Detects on all leads and scores against the record's annotated beats. */
export function scoreRecord(loaded: LoadedRecord): RecordScore {
  if (!loaded.annotations) throw new CliError('no-annotations', { name: loaded.name });
  const detection = detect(loaded);
  const reference = loaded.annotations.filter((a) => beatAnnotationCodes.has(a.code)).map((a) => a.sample);
  const length = loaded.recording.leads[0]?.samples.length ?? 0;
  return {
    record: loaded.name,
    referenceBeats: reference.length,
    detectedBeats: detection.peaks.length,
    all: scoreBeatDetection(reference, detection.peaks, detection.fs),
    outsideFlutter: scoreBeatDetection(reference, detection.peaks, detection.fs, { exclude: annotatedFlutterEpisodes(loaded.annotations, length) }),
  };
}

const rounded = (s: GrossScore) => ({
  truePositives: s.truePositives,
  falseNegatives: s.falseNegatives,
  falsePositives: s.falsePositives,
  sensitivity: Number(s.sensitivity.toFixed(5)),
  positivePredictivity: Number(s.positivePredictivity.toFixed(5)),
  f1: Number(s.f1.toFixed(5)),
  meanTimingErrorMs: Number(s.meanTimingErrorMs.toFixed(1)),
});

function scoreOne(loaded: LoadedRecord) {
  const s = scoreRecord(loaded);
  return { record: s.record, leads: loaded.recording.leads.map((l) => l.lead), referenceBeats: s.referenceBeats, detectedBeats: s.detectedBeats, ...rounded(s.all) };
}

const percent = (x: number): string => (100 * x).toFixed(2).padStart(6);

/** One table row: counts, Se, +P, F1 in %, timing in ms. */
export function scoreRow(name: string, s: GrossScore): string {
  const beats = s.truePositives + s.falseNegatives;
  return `${name.padEnd(10)} ${String(beats).padStart(7)} ${String(s.falseNegatives).padStart(5)} ${String(s.falsePositives).padStart(5)} ${percent(s.sensitivity)} ${percent(s.positivePredictivity)} ${percent(s.f1)} ${s.meanTimingErrorMs.toFixed(1).padStart(6)}`;
}
export const scoreHeader = `${'record'.padEnd(10)} ${'beats'.padStart(7)} ${'FN'.padStart(5)} ${'FP'.padStart(5)} ${'Se %'.padStart(6)} ${'+P %'.padStart(6)} ${'F1 %'.padStart(6)} ${'err ms'.padStart(6)}`;

/** The WFDB records of a folder that have reference annotations (a .hea and an .atr), by name. */
export async function annotatedRecordsIn(folder: string): Promise<string[]> {
  const names = await readdir(folder);
  const withAtr = new Set(names.filter((n) => n.endsWith('.atr')).map((n) => n.slice(0, -4)));
  return names
    .filter((n) => n.endsWith('.hea') && withAtr.has(n.slice(0, -4)))
    .map((n) => join(folder, n.slice(0, -4)))
    .sort();
}

async function scoreFolder(folder: string): Promise<string> {
  const records = await annotatedRecordsIn(folder);
  if (records.length === 0) {
    throw new CliError('no-scorable-records', { folder });
  }
  const scores: RecordScore[] = [];
  const lines = [scoreHeader];
  for (const path of records) {
    const s = scoreRecord(await loadEcgRecord(path));
    scores.push(s);
    lines.push(scoreRow(s.record, s.all));
  }
  lines.push(scoreRow('gross', grossScore(scores.map((s) => s.all))));
  lines.push(scoreRow('EC57', grossScore(scores.map((s) => s.outsideFlutter))));
  lines.push(
    `${records.length} records. Beat by beat, 150 ms window, every annotated beat of the whole record (EC57 would skip the first 5 minutes). 'gross' counts every detection; 'EC57' leaves out the annotated ventricular flutter/fibrillation episodes ([ … ]) as EC57 and its comparator bxb do.`,
  );
  return `${lines.join('\n')}\n`;
}

const isDirectory = async (path: string): Promise<boolean> => stat(path).then(
  (s) => s.isDirectory(),
  () => false,
);

/** Runs one CLI invocation; returns the exit code. */
export async function runEcgCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === '--help' || command === '-h' || command === 'help') {
      io.stdout(`${ecgCliHelp}\n`);
      return 0;
    }
    const expectArgs = (count: number, shape: string): void => {
      if (rest.length !== count) throw new CliError('wrong-argument-count', { shape });
    };
    let result: unknown;
    switch (command) {
      case 'detect':
        expectArgs(1, 'detect <record>');
        result = detect(await loadEcgRecord(rest[0] as string));
        break;
      case 'measure':
        expectArgs(1, 'measure <record>');
        result = measureEcg((await loadEcgRecord(rest[0] as string)).recording);
        break;
      case 'convert':
        expectArgs(2, 'convert <in> <out>');
        result = await convert(await loadEcgRecord(rest[0] as string), rest[1] as string);
        break;
      case 'score':
        expectArgs(1, 'score <record|folder>');
        if (await isDirectory(rest[0] as string)) {
          io.stdout(await scoreFolder(rest[0] as string));
          return 0;
        }
        result = scoreOne(await loadEcgRecord(rest[0] as string));
        break;
      case undefined:
        throw new CliError('no-command');
      default:
        throw new CliError('unknown-command', { command });
    }
    io.stdout(`${JSON.stringify(result)}\n`);
    return 0;
  } catch (e) {
    const error =
      e instanceof CliError || isEcgFormatError(e)
        ? e
        : e instanceof RangeError
          ? new CliError('invalid-input', { detail: e.message })
          : new CliError('internal', { detail: e instanceof Error ? e.message : String(e) });
    io.stderr(`错误：${error.messageZh} | Error: ${error.messageEn}`.replace(/\s*\n\s*/g, ' ') + '\n');
    return error instanceof CliError ? error.exitCode : 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await runEcgCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
  process.exitCode = code;
}
