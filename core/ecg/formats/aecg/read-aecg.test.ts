import { describe, expect, it } from 'vitest';
import { makeEcgRecording, makePatient } from '../../../../tests/fixtures/ecg/make-recording.ts';
import { isEcgFormatError, readDicomEcg, readScpEcg, writeDicomEcg, writeScpEcg } from '../index.ts';
import { readAecg } from './read-aecg.ts';
import { writeAecg } from './write-aecg.ts';

const samplesOf = (r: { leads: { lead: string; samples: Int32Array }[] }) => r.leads.map((l) => [l.lead, Array.from(l.samples)]);

/** A minimal aECG as another vendor might write it: mV with an origin, time in ms, a median beat. */
function vendorAecg(namespace: string | null): string {
  const ns = namespace === null ? '' : ` xmlns="${namespace}"`;
  const lead = (code: string, digits: number[]) =>
    `<component><sequence><code code="${code}" codeSystem="2.16.840.1.113883.6.24"/><value xsi:type="SLIST_PQ"><origin value="0.5" unit="mV"/><scale value="0.005" unit="mV"/><digits>${digits.join(' ')}</digits></value></sequence></component>`;
  const series = (code: string, digits: number[]) =>
    `<series><code code="${code}" codeSystem="2.16.840.1.113883.5.4"/><effectiveTime><low value="20240102030405"/></effectiveTime>` +
    `<component><sequenceSet><component><sequence><code code="TIME_RELATIVE" codeSystem="2.16.840.1.113883.5.4"/><value xsi:type="GLIST_PQ"><head value="0" unit="ms"/><increment value="2" unit="ms"/></value></sequence></component>` +
    `${lead('MDC_ECG_LEAD_II', digits)}${lead('MDC_ECG_LEAD_V1', digits.map((d) => -d))}</sequenceSet></component>`;
  return (
    `<?xml version="1.0"?><AnnotatedECG${ns} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><id root="1.2.3"/>` +
    `<component>${series('RHYTHM', [0, 10, 200, -40, 0, 5])}<derivation><derivedSeries>${series('REPRESENTATIVE_BEAT', [1, 2, 3]).slice('<series>'.length)}</derivedSeries></derivation></series></component></AnnotatedECG>`
  );
}

describe('HL7 aECG import', () => {
  it('reads back what the writer wrote: every sample, rate, resolution, start time, patient, device and filters', () => {
    const recording = { ...makeEcgRecording({ sampleRateHz: 500, seconds: 10, resolutionUv: 4.88, startTime: '2026-11-23T09:30:15.250+08:00' }), patient: makePatient() };
    const back = readAecg(writeAecg(recording));
    expect(samplesOf(back)).toEqual(samplesOf(recording));
    expect([back.sampleRateHz, back.resolutionUv, back.startTime]).toEqual([500, 4.88, '2026-11-23T09:30:15.250+08:00']);
    expect(back.patient).toEqual(recording.patient);
    expect(back.device).toEqual(recording.device);
    expect(back.filters).toEqual(recording.filters);
    expect(back.aecg.series).toBe('RHYTHM');
  });

  it('round-trips DICOM → aECG → DICOM and SCP-ECG → aECG → SCP-ECG sample for sample', () => {
    const recording = makeEcgRecording({ sampleRateHz: 500, seconds: 10, rhythm: 'atrial-fibrillation' });
    const dicom = readDicomEcg(writeDicomEcg(recording));
    expect(samplesOf(readDicomEcg(writeDicomEcg(readAecg(writeAecg(dicom)))))).toEqual(samplesOf(dicom));
    const scp = readScpEcg(writeScpEcg(recording));
    const again = readScpEcg(writeScpEcg(readAecg(writeAecg(scp))));
    expect(samplesOf(again)).toEqual(samplesOf(scp));
    expect(again.resolutionUv).toBe(scp.resolutionUv);
  });

  for (const [label, namespace] of [['the HL7 v3 namespace', 'urn:hl7-org:v3'], ['no namespace', null]] as const) {
    it(`reads another vendor's file in ${label}: mV with an origin, relative time in ms, and its representative beat`, () => {
      const back = readAecg(new TextEncoder().encode(vendorAecg(namespace)));
      expect(back.sampleRateHz).toBe(500);
      expect(back.leads.map((l) => l.lead)).toEqual(['II', 'V1']);
      // origin 0.5 mV + 0.005 mV × digit, in units of 5 µV: 100 + digit.
      expect(back.resolutionUv).toBe(5);
      expect(Array.from(back.leads[0]!.samples)).toEqual([100, 110, 300, 60, 100, 105]);
      expect(Array.from(back.leads[1]!.samples)).toEqual([100, 90, -100, 140, 100, 95]);
      expect(back.startTime).toBe('2024-01-02T03:04:05');
      expect(back.aecg.representativeBeat?.leads.map((l) => Array.from(l.samples))).toEqual([
        [101, 102, 103],
        [99, 98, 97],
      ]);
    });
  }

  it('turns a truncated, a malformed, a non-aECG and a non-UTF-8 file into the usual zh/en error', () => {
    const xml = writeAecg(makeEcgRecording({ sampleRateHz: 500, seconds: 2 }));
    const attempts: Array<[string | Uint8Array, string]> = [
      [xml.slice(0, Math.floor(xml.length / 2)), 'AECG_MALFORMED'],
      [xml.replace('</sequenceSet>', '</sequence>'), 'AECG_MALFORMED'],
      ['<?xml version="1.0"?><ClinicalDocument xmlns="urn:hl7-org:v3"/>', 'AECG_NOT_AECG'],
      [new Uint8Array([0x3c, 0xff, 0xfe, 0x3e]), 'AECG_MALFORMED'],
      [xml.replace(/<sequence><code code="TIME_ABSOLUTE"[^]*?<\/sequence>/, ''), 'AECG_UNSUPPORTED'],
    ];
    for (const [input, code] of attempts) {
      let caught: unknown;
      try {
        readAecg(input);
      } catch (e) {
        caught = e;
      }
      expect(isEcgFormatError(caught) && caught.code).toBe(code);
      expect(isEcgFormatError(caught) && caught.messageZh).toMatch(/HL7 aECG|心电文件/);
      expect(isEcgFormatError(caught) && caught.messageEn).toMatch(/HL7 aECG/);
    }
  });
});
