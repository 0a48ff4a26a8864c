/**
 * Reads a DICOM waveform object (12-Lead ECG, General ECG) back into an EcgRecording. dcmjs parses
 * the Part 10 file; this module picks the multiplex group, maps channels to leads through their
 * Channel Source codes (MDC, or the older SCPECG scheme) and de-interleaves the samples.
 */
// dcmjs ships no typings; every tsconfig that reaches this file must see the declaration.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./dcmjs.d.ts" />
import dcmjs from 'dcmjs';
import type { EcgLeadSignal, EcgRecording } from '../../recording.ts';
import { EcgFormatError } from '../format-error.ts';
import type { DicomEcgMeta } from './dicom-ecg-meta.ts';
import { parseDA, parseDT } from './dicom-values.ts';
import { leadFromCode } from './lead-codes.ts';

const { DicomMessage, DicomMetaDictionary } = dcmjs.data;

/** SOP Classes whose waveform groups hold ECG (PS3.4 B.5). */
const ecgSopClasses = new Set([
  '1.2.840.10008.5.1.4.1.1.9.1.1', // 12-Lead ECG
  '1.2.840.10008.5.1.4.1.1.9.1.2', // General ECG
  '1.2.840.10008.5.1.4.1.1.9.1.3', // Ambulatory ECG
]);

export type DicomEcgRecording = EcgRecording & {
  /** What the file says about study, series and instance. */
  dicom: DicomEcgMeta & { sopClassUid: string; sopInstanceUid: string; studyInstanceUid?: string };
};

type Item = Record<string, unknown>;

const str = (v: unknown): string | undefined => {
  const first = Array.isArray(v) ? v[0] : v;
  if (first === undefined || first === null) return undefined;
  if (typeof first === 'object' && 'Alphabetic' in first) return String((first as { Alphabetic: unknown }).Alphabetic ?? '');
  const s = String(first).trim();
  return s === '' ? undefined : s;
};
const num = (v: unknown): number | undefined => {
  const s = str(v);
  if (s === undefined) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
};
const items = (v: unknown): Item[] => (Array.isArray(v) ? v.filter((x): x is Item => typeof x === 'object' && x !== null) : []);

/** Sensitivity units the reader converts to µV (UCUM codes). */
const microvoltsPerUnit: Record<string, number> = { uV: 1, mV: 1000, nV: 0.001, V: 1e6 };

function parse(bytes: Uint8Array): Item {
  if (!(bytes instanceof Uint8Array)) throw new EcgFormatError('DICOM_NOT_PART10', 'input is not bytes');
  if (bytes.length < 132 || String.fromCharCode(...bytes.subarray(128, 132)) !== 'DICM') {
    throw new EcgFormatError('DICOM_NOT_PART10', 'no "DICM" prefix at byte 128');
  }
  // dcmjs logs each malformed element with bytes of the file in the message; a corrupt file could
  // thus put fragments of patient data in the log. Silence its validation logger while parsing.
  const validationLog = dcmjs.log.getLogger('validation.dcmjs');
  const level = validationLog.getLevel();
  validationLog.setLevel('silent', false);
  try {
    // A fresh, exact-length buffer: the input may be a view into a larger one (a Node Buffer from
    // the pool, a subarray), and dcmjs reads the whole ArrayBuffer.
    const copy = new Uint8Array(bytes).buffer;
    const dict = DicomMessage.readFile(copy);
    return DicomMetaDictionary.naturalizeDataset(dict.dict);
  } catch (cause) {
    throw new EcgFormatError('DICOM_CORRUPT', 'dcmjs could not parse the file', { cause });
  } finally {
    validationLog.setLevel(level as 0, false);
  }
}

function waveformBytes(value: unknown): Uint8Array {
  const part = Array.isArray(value) ? value[0] : value;
  if (part instanceof ArrayBuffer) return new Uint8Array(part);
  if (ArrayBuffer.isView(part)) return new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
  throw new EcgFormatError('DICOM_NOT_ECG', 'the multiplex group has no Waveform Data');
}

function readGroup(group: Item): Pick<EcgRecording, 'sampleRateHz' | 'resolutionUv' | 'leads' | 'filters'> {
  const channels = num(group.NumberOfWaveformChannels);
  const samples = num(group.NumberOfWaveformSamples);
  const rate = num(group.SamplingFrequency);
  const bits = num(group.WaveformBitsAllocated);
  const interpretation = str(group.WaveformSampleInterpretation);
  if (!channels || !samples || !rate || rate <= 0) {
    throw new EcgFormatError('DICOM_NOT_ECG', 'channel count, sample count or sampling frequency missing');
  }
  if (bits !== 16 || interpretation !== 'SS') {
    throw new EcgFormatError('DICOM_UNSUPPORTED_WAVEFORM', `${bits ?? '?'}-bit ${interpretation ?? '?'} samples; only 16-bit SS is read`);
  }
  const definitions = items(group.ChannelDefinitionSequence);
  if (definitions.length !== channels) {
    throw new EcgFormatError('DICOM_CORRUPT', `${definitions.length} channel definitions for ${channels} channels`);
  }
  const data = waveformBytes(group.WaveformData);
  if (data.byteLength < channels * samples * 2) {
    throw new EcgFormatError('DICOM_CORRUPT', `Waveform Data holds ${data.byteLength} bytes, ${channels * samples * 2} expected`);
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);

  const scales = definitions.map((d, c) => {
    const sensitivity = num(d.ChannelSensitivity) ?? 1;
    const correction = num(d.ChannelSensitivityCorrectionFactor) ?? 1;
    const unit = str(items(d.ChannelSensitivityUnitsSequence)[0]?.CodeValue) ?? 'uV';
    const perUnit = microvoltsPerUnit[unit];
    if (perUnit === undefined) throw new EcgFormatError('DICOM_UNSUPPORTED_WAVEFORM', `channel ${c + 1} sensitivity unit "${unit}"`);
    // Rounded to 12 significant digits: 0.00488 mV × 1000 must give 4.88 µV, not 4.880000000000001.
    return {
      uv: Number((sensitivity * correction * perUnit).toPrecision(12)),
      baselineUv: (num(d.ChannelBaseline) ?? 0) * perUnit,
    };
  });
  const resolutionUv = scales[0]?.uv ?? 1;
  // EcgRecording has one resolution for all leads: files whose channels differ are not read rather
  // than rescaled, because rescaling would change samples.
  if (scales.some((s) => Math.abs(s.uv - resolutionUv) > 1e-9 * resolutionUv) || !(resolutionUv > 0)) {
    throw new EcgFormatError('DICOM_UNSUPPORTED_WAVEFORM', 'channels have different sensitivities');
  }

  const leads: EcgLeadSignal[] = definitions.map((d, c) => {
    const source = items(d.ChannelSourceSequence)[0] ?? {};
    const lead =
      leadFromCode(str(source.CodeValue), str(source.CodingSchemeDesignator)) ??
      str(d.ChannelLabel) ??
      str(source.CodeMeaning) ??
      `channel ${c + 1}`;
    // Channel Baseline is an offset in sensitivity units added to the scaled value (PS3.3
    // C.10.9.1.4.2); it is added here in whole sample units.
    const offset = Math.round((scales[c]?.baselineUv ?? 0) / resolutionUv);
    const out = new Int32Array(samples);
    for (let i = 0; i < samples; i++) out[i] = view.getInt16((i * channels + c) * 2, true) + offset;
    return { lead, samples: out };
  });

  const first = definitions[0] ?? {};
  const highPassHz = num(first.FilterLowFrequency);
  const lowPassHz = num(first.FilterHighFrequency);
  const notchHz = num(first.NotchFilterFrequency);
  const filters =
    highPassHz === undefined && lowPassHz === undefined && notchHz === undefined
      ? undefined
      : {
          ...(highPassHz !== undefined ? { highPassHz } : {}),
          ...(lowPassHz !== undefined ? { lowPassHz } : {}),
          ...(notchHz !== undefined ? { notchHz } : {}),
        };
  return { sampleRateHz: rate, resolutionUv, leads, filters };
}

/** Prefers the group labelled RHYTHM (full-length leads) over median beats. */
function pickGroup(groups: Item[]): Item {
  const rhythm = groups.find((g) => str(g.MultiplexGroupLabel)?.toUpperCase() === 'RHYTHM');
  const chosen = rhythm ?? groups.find((g) => str(g.WaveformSampleInterpretation) === 'SS') ?? groups[0];
  if (!chosen) throw new EcgFormatError('DICOM_NOT_ECG', 'the file has no Waveform Sequence');
  return chosen;
}

export function readDicomEcg(bytes: Uint8Array): DicomEcgRecording {
  const ds = parse(bytes);
  const sopClassUid = str(ds.SOPClassUID) ?? '';
  if (!ecgSopClasses.has(sopClassUid)) throw new EcgFormatError('DICOM_NOT_ECG', `SOP Class ${sopClassUid || '(none)'}`);
  const group = readGroup(pickGroup(items(ds.WaveformSequence)));

  const name = str(ds.PatientName)?.replace(/\^+$/, '');
  const id = str(ds.PatientID);
  const birthDate = parseDA(str(ds.PatientBirthDate));
  const sexValue = str(ds.PatientSex);
  const sex = sexValue === 'M' || sexValue === 'F' || sexValue === 'O' ? sexValue : undefined;
  const patient: EcgRecording['patient'] =
    name || id || birthDate || sex
      ? { ...(id ? { id } : {}), ...(name ? { name } : {}), ...(sex ? { sex } : {}), ...(birthDate ? { birthDate } : {}) }
      : undefined;

  const manufacturer = str(ds.Manufacturer);
  const model = str(ds.ManufacturerModelName);
  const serialNumber = str(ds.DeviceSerialNumber);
  const device =
    manufacturer || model || serialNumber
      ? { ...(manufacturer ? { manufacturer } : {}), ...(model ? { model } : {}), ...(serialNumber ? { serialNumber } : {}) }
      : undefined;

  const offset = str(ds.TimezoneOffsetFromUTC);
  const startTime =
    parseDT(str(ds.AcquisitionDateTime), offset) ??
    (str(ds.ContentDate) ? parseDT(`${str(ds.ContentDate)}${str(ds.ContentTime) ?? ''}`, offset) : undefined);

  const seriesNumber = num(ds.SeriesNumber);
  const instanceNumber = num(ds.InstanceNumber);
  const optional = <K extends keyof DicomEcgMeta>(key: K, v: DicomEcgMeta[K] | undefined): Partial<DicomEcgMeta> =>
    v === undefined ? {} : { [key]: v };
  return {
    ...group,
    ...(startTime ? { startTime } : {}),
    ...(patient ? { patient } : {}),
    ...(device ? { device } : {}),
    dicom: {
      sopClassUid,
      sopInstanceUid: str(ds.SOPInstanceUID) ?? '',
      ...optional('studyInstanceUid', str(ds.StudyInstanceUID)),
      ...optional('seriesInstanceUid', str(ds.SeriesInstanceUID)),
      ...optional('studyId', str(ds.StudyID)),
      ...optional('accessionNumber', str(ds.AccessionNumber)),
      ...optional('studyDescription', str(ds.StudyDescription)),
      ...optional('referringPhysicianName', str(ds.ReferringPhysicianName)?.replace(/\^+$/, '')),
      ...optional('institutionName', str(ds.InstitutionName)),
      ...optional('seriesNumber', seriesNumber),
      ...optional('instanceNumber', instanceNumber),
    },
  };
}
