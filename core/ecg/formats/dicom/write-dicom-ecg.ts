/**
 * Writes an EcgRecording as a DICOM 12-Lead ECG Waveform Storage object (PS3.3 A.34.3), the
 * canonical stored form of this workstation. dcmjs does the Part 10 encoding; this module only
 * builds the dataset. Modules: Patient, General Study, General Series, General Equipment,
 * Waveform Identification, Waveform, Acquisition Context, SOP Common.
 *
 * Samples are written as they are (16-bit SS): one sample unit = resolutionUv µV is the channel
 * sensitivity, so reading back gives the identical integers. A sample outside −32768..32767 is an
 * error (SAMPLE_OUT_OF_RANGE) rather than a silent rescale, because no rescale keeps every sample.
 */
// dcmjs ships no typings; every tsconfig that reaches this file must see the declaration.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./dcmjs.d.ts" />
import dcmjs from 'dcmjs';
import type { EcgRecording, StandardLead } from '../../recording.ts';
import { EcgFormatError } from '../format-error.ts';
import { checkOptions, checkRecording, checkSampleRange, parseIsoDateTime, utcNow, type LocalDateTime } from '../recording-checks.ts';
import { dicomEcgMetaSchema, explicitVrLittleEndian, twelveLeadEcgSopClassUid, type DicomEcgMeta } from './dicom-ecg-meta.ts';
import { formatDA, formatDecimalString, formatDicomOffset, formatDT, formatTM } from './dicom-values.ts';
import { mdcLeadCodes } from './lead-codes.ts';
import { isValidDicomUid, newDicomUid } from './uid.ts';

const { DicomDict, DicomMetaDictionary } = dcmjs.data;

/** PS3.3 A.34.3.4: 12-lead ECG waveforms are sampled at 200–1000 Hz, ≤ 13 channels, ≤ 16384 samples. */
const ecgLimits = { minRateHz: 200, maxRateHz: 1000, maxChannels: 13, maxSamples: 16384 };

/** Our implementation's identity in the File Meta Information (2.25 UID derived once, fixed). */
const implementationClassUid = '2.25.94316201548416352845307424153640117287';
const implementationVersionName = 'CLINICWS_ECG_1';

const utf8 = new TextEncoder();

/** Checks a text value against its VR's length limit (bytes, to be safe with multi-byte UTF-8). */
function text(field: string, value: string | undefined, maxBytes: number): string {
  const v = (value ?? '').trim();
  if (utf8.encode(v).length > maxBytes) {
    throw new EcgFormatError('INVALID_RECORDING', `${field} is longer than DICOM allows (${maxBytes} bytes)`);
  }
  if (v.includes('\\') || [...v].some((ch) => ch.charCodeAt(0) < 0x20)) {
    throw new EcgFormatError('INVALID_RECORDING', `${field} contains a backslash or control character`);
  }
  return v;
}

/**
 * PN: a name without component delimiters goes whole into the family-name component ("张三^"),
 * the usual form for Chinese names, which do not split reliably into family and given names.
 * dciodvfy flags a PN without "^" as the retired form. The reader strips the trailing "^".
 */
const personName = (name: string) => (name === '' || name.includes('^') ? name : `${name}^`);

function uid(field: string, value: string | undefined): string {
  if (value === undefined) return newDicomUid();
  if (!isValidDicomUid(value)) throw new EcgFormatError('INVALID_RECORDING', `${field} is not a valid DICOM UID`);
  return value;
}

const codeItem = (codeValue: string, scheme: string, meaning: string, version?: string) => ({
  CodeValue: codeValue,
  CodingSchemeDesignator: scheme,
  ...(version ? { CodingSchemeVersion: version } : {}),
  CodeMeaning: meaning,
});

function channelDefinition(lead: StandardLead, recording: EcgRecording) {
  const code = mdcLeadCodes[lead];
  const filters = recording.filters ?? {};
  return {
    ChannelSourceSequence: [codeItem(code.codeValue, 'MDC', code.codeMeaning)],
    ChannelSensitivity: formatDecimalString(recording.resolutionUv),
    // UCUM "uV": the sample unit is resolutionUv microvolts.
    ChannelSensitivityUnitsSequence: [codeItem('uV', 'UCUM', 'microvolt', '1.4')],
    ChannelSensitivityCorrectionFactor: '1',
    ChannelBaseline: '0',
    ChannelSampleSkew: '0',
    WaveformBitsStored: 16,
    // DICOM names filters by the band edge they set: the low-frequency edge is the high-pass cut-off.
    ...(filters.highPassHz !== undefined ? { FilterLowFrequency: formatDecimalString(filters.highPassHz) } : {}),
    ...(filters.lowPassHz !== undefined ? { FilterHighFrequency: formatDecimalString(filters.lowPassHz) } : {}),
    ...(filters.notchHz !== undefined ? { NotchFilterFrequency: formatDecimalString(filters.notchHz) } : {}),
  };
}

/** Interleaves the leads sample by sample as little-endian int16 (PS3.3 C.10.9.1.4). */
function interleave(recording: EcgRecording): ArrayBuffer {
  const channels = recording.leads.length;
  const n = recording.leads[0]?.samples.length ?? 0;
  const buffer = new ArrayBuffer(n * channels * 2);
  const view = new DataView(buffer);
  recording.leads.forEach(({ samples }, c) => {
    for (let i = 0; i < n; i++) view.setInt16((i * channels + c) * 2, samples[i] as number, true);
  });
  return buffer;
}

function checkForDicom(recording: EcgRecording): StandardLead[] {
  checkRecording(recording);
  const leads = recording.leads.map(({ lead }) => {
    if (!(lead in mdcLeadCodes)) {
      throw new EcgFormatError('UNSUPPORTED_LEAD', `"${lead}" has no CID 3001 code in this writer (12 standard leads only)`);
    }
    return lead as StandardLead;
  });
  if (leads.length > ecgLimits.maxChannels) {
    throw new EcgFormatError('INVALID_RECORDING', `${leads.length} channels; a 12-lead ECG object holds at most 13`);
  }
  const { sampleRateHz } = recording;
  if (sampleRateHz < ecgLimits.minRateHz || sampleRateHz > ecgLimits.maxRateHz) {
    throw new EcgFormatError('SAMPLE_RATE_NOT_SUPPORTED', `${sampleRateHz} Hz; 12-lead ECG objects allow 200–1000 Hz`);
  }
  const n = recording.leads[0]?.samples.length ?? 0;
  if (n > ecgLimits.maxSamples) {
    throw new EcgFormatError('TOO_MANY_SAMPLES', `${n} samples per lead; a 12-lead ECG object allows ${ecgLimits.maxSamples}`);
  }
  checkSampleRange(recording, -32768, 32767, '16-bit signed DICOM waveform');
  return leads;
}

export function writeDicomEcg(recording: EcgRecording, options: DicomEcgMeta = {}): Uint8Array {
  const leads = checkForDicom(recording);
  const meta = checkOptions(dicomEcgMetaSchema, options, 'meta');
  const created = utcNow(meta.createdAt);
  const start: LocalDateTime | undefined = recording.startTime ? parseIsoDateTime(recording.startTime) : undefined;
  if (recording.startTime && !start) throw new EcgFormatError('INVALID_RECORDING', 'startTime is not ISO 8601');
  const acquired = start ?? created;
  const patient = recording.patient ?? {};
  const device = recording.device ?? {};
  const sopInstanceUid = uid('sopInstanceUid', meta.sopInstanceUid);

  const dataset: Record<string, unknown> = {
    // SOP Common
    SpecificCharacterSet: 'ISO_IR 192', // UTF-8, for Chinese patient names
    SOPClassUID: twelveLeadEcgSopClassUid,
    SOPInstanceUID: sopInstanceUid,
    InstanceCreationDate: formatDA(created),
    InstanceCreationTime: formatTM(created),
    ...(acquired.offsetMinutes !== undefined ? { TimezoneOffsetFromUTC: formatDicomOffset(acquired.offsetMinutes) } : {}),
    // Patient (type 2 attributes present even when empty)
    PatientName: personName(text('patient.name', patient.name, 63)),
    PatientID: text('patient.id', patient.id, 64),
    PatientBirthDate: patient.birthDate ? patient.birthDate.replace(/-/g, '') : '',
    PatientSex: patient.sex && patient.sex !== 'U' ? patient.sex : '',
    // General Study
    StudyInstanceUID: uid('studyInstanceUid', meta.studyInstanceUid),
    StudyDate: start ? formatDA(start) : '',
    StudyTime: start ? formatTM(start) : '',
    ReferringPhysicianName: personName(text('referringPhysicianName', meta.referringPhysicianName, 63)),
    StudyID: text('studyId', meta.studyId, 16),
    AccessionNumber: text('accessionNumber', meta.accessionNumber, 16),
    ...(meta.studyDescription ? { StudyDescription: text('studyDescription', meta.studyDescription, 64) } : {}),
    // General Series
    Modality: 'ECG',
    SeriesInstanceUID: uid('seriesInstanceUid', meta.seriesInstanceUid),
    SeriesNumber: String(meta.seriesNumber ?? 1),
    // General Equipment
    Manufacturer: text('device.manufacturer', device.manufacturer, 64),
    ...(meta.institutionName ? { InstitutionName: text('institutionName', meta.institutionName, 64) } : {}),
    ...(device.model ? { ManufacturerModelName: text('device.model', device.model, 64) } : {}),
    ...(device.serialNumber ? { DeviceSerialNumber: text('device.serialNumber', device.serialNumber, 64) } : {}),
    // Waveform Identification
    InstanceNumber: String(meta.instanceNumber ?? 1),
    ContentDate: formatDA(acquired),
    ContentTime: formatTM(acquired),
    AcquisitionDateTime: formatDT(acquired),
    // Acquisition Context (type 2: present, empty — no context items recorded)
    AcquisitionContextSequence: [],
    // Waveform: one multiplex group, no Multiplex Group Time Offset (needs the Synchronization module)
    WaveformSequence: [
      {
        WaveformOriginality: 'ORIGINAL',
        NumberOfWaveformChannels: leads.length,
        NumberOfWaveformSamples: recording.leads[0]?.samples.length ?? 0,
        SamplingFrequency: formatDecimalString(recording.sampleRateHz),
        MultiplexGroupLabel: 'RHYTHM',
        ChannelDefinitionSequence: leads.map((lead) => channelDefinition(lead, recording)),
        WaveformBitsAllocated: 16,
        WaveformSampleInterpretation: 'SS',
        WaveformData: interleave(recording),
        _vrMap: { WaveformData: 'OW' },
      },
    ],
    _vrMap: {},
  };

  const fileMeta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: twelveLeadEcgSopClassUid,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: explicitVrLittleEndian,
    ImplementationClassUID: implementationClassUid,
    ImplementationVersionName: implementationVersionName,
    _vrMap: { FileMetaInformationVersion: 'OB' },
  };
  try {
    const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(fileMeta));
    dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
    return new Uint8Array(dict.write());
  } catch (cause) {
    throw new EcgFormatError('INVALID_RECORDING', 'dcmjs could not encode the dataset', { cause });
  }
}
