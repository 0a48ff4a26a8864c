// @vitest-environment jsdom
// jsdom's DOMParser is a conforming XML parser (saxes): a malformed document becomes <parsererror>.
import { describe, expect, it } from 'vitest';
import { makeEcgRecording, makePatient } from '../../../../tests/fixtures/ecg/make-recording.ts';
import { EcgFormatError } from '../format-error.ts';
import { writeAecg } from './write-aecg.ts';

const hl7 = 'urn:hl7-org:v3';

function parseXml(xml: string): Document {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const error = doc.getElementsByTagName('parsererror')[0];
  if (error) throw new Error(`not well-formed: ${error.textContent}`);
  return doc;
}

/** A small aECG reader for the tests: lead code → physical samples (origin + scale × digit) in µV. */
function readAecgLeads(doc: Document) {
  const leads = new Map<string, { origin: number; scale: number; digits: number[] }>();
  for (const sequence of Array.from(doc.getElementsByTagNameNS(hl7, 'sequence'))) {
    const code = sequence.getElementsByTagNameNS(hl7, 'code')[0]?.getAttribute('code') ?? '';
    if (!code.startsWith('MDC_ECG_LEAD_')) continue;
    const value = sequence.getElementsByTagNameNS(hl7, 'value')[0];
    expect(value?.getAttributeNS('http://www.w3.org/2001/XMLSchema-instance', 'type')).toBe('SLIST_PQ');
    const origin = value?.getElementsByTagNameNS(hl7, 'origin')[0];
    const scale = value?.getElementsByTagNameNS(hl7, 'scale')[0];
    expect(origin?.getAttribute('unit')).toBe('uV');
    expect(scale?.getAttribute('unit')).toBe('uV');
    const text = value?.getElementsByTagNameNS(hl7, 'digits')[0]?.textContent ?? '';
    leads.set(code, {
      origin: Number(origin?.getAttribute('value')),
      scale: Number(scale?.getAttribute('value')),
      digits: text.trim().split(/\s+/).map(Number),
    });
  }
  return leads;
}

describe('HL7 aECG export', () => {
  it('exports every sample of every lead, in µV via origin and scale', () => {
    const recording = makeEcgRecording({ sampleRateHz: 500, seconds: 10, resolutionUv: 4.88 });
    const doc = parseXml(writeAecg(recording));
    expect(doc.documentElement.localName).toBe('AnnotatedECG');
    expect(doc.documentElement.namespaceURI).toBe(hl7);
    const leads = readAecgLeads(doc);
    expect([...leads.keys()]).toEqual([
      'MDC_ECG_LEAD_I', 'MDC_ECG_LEAD_II', 'MDC_ECG_LEAD_III', 'MDC_ECG_LEAD_AVR', 'MDC_ECG_LEAD_AVL', 'MDC_ECG_LEAD_AVF',
      'MDC_ECG_LEAD_V1', 'MDC_ECG_LEAD_V2', 'MDC_ECG_LEAD_V3', 'MDC_ECG_LEAD_V4', 'MDC_ECG_LEAD_V5', 'MDC_ECG_LEAD_V6',
    ]);
    recording.leads.forEach(({ samples }, i) => {
      const lead = [...leads.values()][i]!;
      expect(lead.origin).toBe(0);
      expect(lead.scale).toBe(4.88);
      expect(lead.digits).toEqual(Array.from(samples));
    });
  });

  it('puts the series under code RHYTHM with a TIME_ABSOLUTE GLIST_TS starting at the acquisition time', () => {
    const doc = parseXml(writeAecg(makeEcgRecording({ sampleRateHz: 250, seconds: 4, startTime: '2026-11-23T09:30:15+08:00' })));
    const series = doc.getElementsByTagNameNS(hl7, 'series')[0]!;
    expect(series.getElementsByTagNameNS(hl7, 'code')[0]?.getAttribute('code')).toBe('RHYTHM');
    const time = Array.from(doc.getElementsByTagNameNS(hl7, 'sequence')).find(
      (s) => s.getElementsByTagNameNS(hl7, 'code')[0]?.getAttribute('code') === 'TIME_ABSOLUTE',
    )!;
    expect(time.getElementsByTagNameNS(hl7, 'head')[0]?.getAttribute('value')).toBe('20261123093015+0800');
    const increment = time.getElementsByTagNameNS(hl7, 'increment')[0]!;
    expect([increment.getAttribute('value'), increment.getAttribute('unit')]).toEqual(['0.004', 's']);
    // 4 s of recording: the series ends 4 s after it starts
    const high = series.getElementsByTagNameNS(hl7, 'effectiveTime')[0]?.getElementsByTagNameNS(hl7, 'high')[0];
    expect(high?.getAttribute('value')).toBe('20261123093019+0800');
  });

  it('escapes patient fields so a name with XML specials stays text', () => {
    const name = `<script>alert("x")</script> & O'Brien 张三`;
    const doc = parseXml(writeAecg(makeEcgRecording({ seconds: 1, patient: makePatient({ name, id: 'A&B<1>' }) })));
    expect(doc.getElementsByTagNameNS(hl7, 'script')).toHaveLength(0);
    const person = doc.getElementsByTagNameNS(hl7, 'subjectDemographicPerson')[0]!;
    expect(person.getElementsByTagNameNS(hl7, 'name')[0]?.textContent).toBe(name);
    expect(doc.getElementsByTagNameNS(hl7, 'trialSubject')[0]?.getElementsByTagNameNS(hl7, 'id')[0]?.getAttribute('extension')).toBe('A&B<1>');
    expect(person.getElementsByTagNameNS(hl7, 'birthTime')[0]?.getAttribute('value')).toBe('19800101');
  });

  it('records the acquisition filters as control variables', () => {
    const xml = writeAecg(makeEcgRecording({ seconds: 1, filters: { highPassHz: 0.05, lowPassHz: 40, notchHz: 50 } }));
    const doc = parseXml(xml);
    const values = Array.from(doc.getElementsByTagNameNS(hl7, 'controlVariable'))
      .filter((c) => c.parentElement?.localName === 'component')
      .map((c) => c.getElementsByTagNameNS(hl7, 'value')[0]?.getAttribute('value'));
    expect(values).toEqual(['0.05', '40', '50']);
  });

  it('writes a recording without patient data or start time', () => {
    const doc = parseXml(writeAecg(makeEcgRecording({ seconds: 1, patient: null, device: null, startTime: null }), { now: new Date('2026-01-02T03:04:05Z') }));
    expect(doc.getElementsByTagNameNS(hl7, 'head')[0]?.getAttribute('value')).toBe('20260102030405+0000');
  });

  it('the well-formedness check used here rejects a broken document', () => {
    expect(() => parseXml('<AnnotatedECG xmlns="urn:hl7-org:v3"><name>a & b</name></AnnotatedECG>')).toThrow(/not well-formed/);
  });

  it('refuses a lead without an MDC code with EcgFormatError', () => {
    const recording = makeEcgRecording({ seconds: 1 });
    recording.leads[0]!.lead = 'MLII';
    expect(() => writeAecg(recording)).toThrow(EcgFormatError);
  });
});
