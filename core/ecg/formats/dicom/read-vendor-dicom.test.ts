// dcmjs ships no typings; the test builds datasets with it directly.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./dcmjs.d.ts" />
/**
 * Files from other carts differ from ours: several multiplex groups (median beats before the rhythm),
 * sensitivity in mV, a channel baseline, leads coded in the older SCPECG scheme. The reader must
 * still return the rhythm leads in µV sample units.
 */
import dcmjs from 'dcmjs';
import { describe, expect, it } from 'vitest';
import { EcgFormatError } from '../format-error.ts';
import { readDicomEcg } from './read-dicom-ecg.ts';

const { DicomDict, DicomMetaDictionary } = dcmjs.data;

interface ChannelSpec {
  code: string;
  scheme: 'MDC' | 'SCPECG';
  sensitivity: string;
  unit: string;
  baseline?: string;
}

function makeGroup(label: string, channels: ChannelSpec[], samples: number[][], rateHz: number, interpretation = 'SS') {
  const n = samples[0]!.length;
  const data = new DataView(new ArrayBuffer(n * channels.length * 2));
  for (let i = 0; i < n; i++) samples.forEach((s, c) => data.setInt16((i * channels.length + c) * 2, s[i]!, true));
  return {
    WaveformOriginality: 'ORIGINAL',
    NumberOfWaveformChannels: channels.length,
    NumberOfWaveformSamples: n,
    SamplingFrequency: String(rateHz),
    MultiplexGroupLabel: label,
    ChannelDefinitionSequence: channels.map((c) => ({
      ChannelSourceSequence: [{ CodeValue: c.code, CodingSchemeDesignator: c.scheme, CodeMeaning: 'lead' }],
      ChannelSensitivity: c.sensitivity,
      ChannelSensitivityUnitsSequence: [{ CodeValue: c.unit, CodingSchemeDesignator: 'UCUM', CodeMeaning: c.unit }],
      ChannelSensitivityCorrectionFactor: '1',
      ChannelBaseline: c.baseline ?? '0',
      ChannelSampleSkew: '0',
      WaveformBitsStored: 16,
    })),
    WaveformBitsAllocated: 16,
    WaveformSampleInterpretation: interpretation,
    WaveformData: data.buffer,
    _vrMap: { WaveformData: 'OW' },
  };
}

function makeVendorFile(groups: unknown[], sopClassUid = '1.2.840.10008.5.1.4.1.1.9.1.1'): Uint8Array {
  const dict = new DicomDict(
    DicomMetaDictionary.denaturalizeDataset({
      MediaStorageSOPClassUID: sopClassUid,
      MediaStorageSOPInstanceUID: '2.25.1',
      TransferSyntaxUID: '1.2.840.10008.1.2.1',
      ImplementationClassUID: '2.25.2',
      _vrMap: {},
    }),
  );
  dict.dict = DicomMetaDictionary.denaturalizeDataset({
    SOPClassUID: sopClassUid,
    SOPInstanceUID: '2.25.1',
    Modality: 'ECG',
    PatientName: 'DOE^JANE',
    AcquisitionDateTime: '20240301081500',
    WaveformSequence: groups,
    _vrMap: {},
  });
  return new Uint8Array(dict.write());
}

describe('reading DICOM ECGs written by other carts', () => {
  const rhythmI = [0, 10, 20, -30, 32767];
  const rhythmII = [5, -5, 100, -32768, 0];

  it('takes the RHYTHM group, converts mV sensitivity to µV and reads SCPECG lead codes', () => {
    const median = makeGroup('MEDIAN', [{ code: '2:1', scheme: 'MDC', sensitivity: '1', unit: 'uV' }], [[1, 2, 3]], 500);
    const rhythm = makeGroup(
      'RHYTHM',
      [
        { code: '5.6.3-9-1', scheme: 'SCPECG', sensitivity: '0.00488', unit: 'mV' },
        { code: '5.6.3-9-2', scheme: 'SCPECG', sensitivity: '0.00488', unit: 'mV' },
      ],
      [rhythmI, rhythmII],
      500,
    );
    const back = readDicomEcg(makeVendorFile([median, rhythm]));
    expect(back.leads.map((l) => l.lead)).toEqual(['I', 'II']);
    expect(back.resolutionUv).toBe(4.88);
    expect(Array.from(back.leads[0]!.samples)).toEqual(rhythmI);
    expect(Array.from(back.leads[1]!.samples)).toEqual(rhythmII);
    expect(back.patient?.name).toBe('DOE^JANE');
    expect(back.startTime).toBe('2024-03-01T08:15:00');
  });

  it('adds a channel baseline given in sensitivity units', () => {
    const rhythm = makeGroup('RHYTHM', [{ code: '2:2', scheme: 'MDC', sensitivity: '0.005', unit: 'mV', baseline: '0.05' }], [[0, 1, -1]], 250);
    expect(Array.from(readDicomEcg(makeVendorFile([rhythm])).leads[0]!.samples)).toEqual([10, 11, 9]);
  });

  it('reports 8-bit (SB) waveforms and non-ECG SOP classes as EcgFormatError', () => {
    const sb = makeGroup('RHYTHM', [{ code: '2:1', scheme: 'MDC', sensitivity: '1', unit: 'uV' }], [[1, 2]], 500, 'SB');
    expect(() => readDicomEcg(makeVendorFile([sb]))).toThrow(EcgFormatError);
    const audio = makeGroup('RHYTHM', [{ code: '2:1', scheme: 'MDC', sensitivity: '1', unit: 'uV' }], [[1, 2]], 500);
    const error = (() => {
      try {
        readDicomEcg(makeVendorFile([audio], '1.2.840.10008.5.1.4.1.1.9.4.1'));
      } catch (e) {
        return e as EcgFormatError;
      }
    })();
    expect(error?.code).toBe('DICOM_NOT_ECG');
  });
});
