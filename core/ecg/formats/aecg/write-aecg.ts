/**
 * HL7 aECG (HL7 v3 Annotated ECG, the FDA's ECG submission format) export. One rhythm series: a
 * TIME_ABSOLUTE sequence (GLIST_TS: start + sample interval) and one SLIST_PQ sequence per lead
 * whose `digits` are the stored integers, with origin 0 µV and scale = resolutionUv µV, so the
 * samples a reader computes (origin + scale × digit) are exactly the recording's.
 *
 * Written with string templates rather than an XML library: the document is fixed in shape, every
 * text and attribute value passes through escapeXml, and no XML builder is among the dependencies.
 */
import type { EcgRecording, StandardLead } from '../../recording.ts';
import { EcgFormatError } from '../format-error.ts';
import { z } from 'zod';
import { checkOptions, checkRecording, parseIsoDateTime, utcNow, validDate, zeroPad, type LocalDateTime } from '../recording-checks.ts';

export interface AecgMeta {
  /** Document id (a UUID); generated when absent. */
  documentId?: string;
  /** When the recording has no startTime, the time written for it. Defaults to now (UTC). */
  now?: Date;
  /** The clinical-trial / programme id aECG requires; defaults to a fresh UUID. */
  clinicalTrialId?: string;
}

const aecgMetaSchema = z.object({
  documentId: z.string().min(1).optional(),
  now: validDate.optional(),
  clinicalTrialId: z.string().min(1).optional(),
}) satisfies z.ZodType<AecgMeta>;

/** MDC lead codes of HL7 aECG (codeSystem 2.16.840.1.113883.6.24, ISO/IEEE 11073-10101). */
export const aecgLeadCodes: Record<StandardLead, string> = {
  I: 'MDC_ECG_LEAD_I',
  II: 'MDC_ECG_LEAD_II',
  III: 'MDC_ECG_LEAD_III',
  aVR: 'MDC_ECG_LEAD_AVR',
  aVL: 'MDC_ECG_LEAD_AVL',
  aVF: 'MDC_ECG_LEAD_AVF',
  V1: 'MDC_ECG_LEAD_V1',
  V2: 'MDC_ECG_LEAD_V2',
  V3: 'MDC_ECG_LEAD_V3',
  V4: 'MDC_ECG_LEAD_V4',
  V5: 'MDC_ECG_LEAD_V5',
  V6: 'MDC_ECG_LEAD_V6',
};

const mdc = '2.16.840.1.113883.6.24';
const actCode = '2.16.840.1.113883.5.4';
const administrativeGender = '2.16.840.1.113883.5.1';

/** Escapes the five XML specials and drops characters XML 1.0 forbids (C0 controls except tab, LF, CR). */
export function escapeXml(value: string): string {
  let out = '';
  for (const ch of value) {
    const c = ch.codePointAt(0) as number;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff) continue;
    out +=
      ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '"' ? '&quot;' : ch === "'" ? '&apos;' : ch;
  }
  return out;
}

/** HL7 v3 TS: YYYYMMDDHHMMSS[.fff][+ZZzz]. */
function ts(t: LocalDateTime): string {
  const frac = t.fraction ? `.${t.fraction}` : '';
  const zone =
    t.offsetMinutes === undefined
      ? ''
      : `${t.offsetMinutes < 0 ? '-' : '+'}${zeroPad(Math.floor(Math.abs(t.offsetMinutes) / 60))}${zeroPad(Math.abs(t.offsetMinutes) % 60)}`;
  return `${zeroPad(t.year, 4)}${zeroPad(t.month)}${zeroPad(t.day)}${zeroPad(t.hour)}${zeroPad(t.minute)}${zeroPad(t.second)}${frac}${zone}`;
}

/** Adds seconds to local fields, keeping the offset (arithmetic on the fields as if they were UTC). */
function addSeconds(t: LocalDateTime, seconds: number): LocalDateTime {
  const ms = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second, Number(`0.${t.fraction || '0'}`) * 1000);
  const d = new Date(ms + Math.round(seconds * 1000));
  const millis = d.getUTCMilliseconds();
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    fraction: millis ? zeroPad(millis, 3) : '',
    offsetMinutes: t.offsetMinutes,
  };
}

const attr = (value: string | number) => `"${escapeXml(String(value))}"`;

function digits(samples: Int32Array): string {
  // Joining a plain array is several times faster than string concatenation for 5,000+ samples.
  return Array.prototype.join.call(samples, ' ');
}

function patientXml(recording: EcgRecording): string {
  const p = recording.patient ?? {};
  const gender = p.sex === 'M' || p.sex === 'F' ? p.sex : 'UN';
  return [
    `<trialSubject>`,
    p.id ? `<id extension=${attr(p.id)}/>` : `<id nullFlavor="UNK"/>`,
    `<subjectDemographicPerson>`,
    p.name ? `<name>${escapeXml(p.name)}</name>` : '',
    `<administrativeGenderCode code=${attr(gender)} codeSystem="${administrativeGender}"/>`,
    p.birthDate ? `<birthTime value=${attr(p.birthDate.replace(/-/g, ''))}/>` : '',
    `</subjectDemographicPerson>`,
    `</trialSubject>`,
  ].join('');
}

function deviceXml(recording: EcgRecording): string {
  const d = recording.device;
  if (!d) return '';
  return [
    `<author><seriesAuthor><manufacturedSeriesDevice>`,
    d.serialNumber ? `<id extension=${attr(d.serialNumber)}/>` : '',
    d.model ? `<manufacturerModelName>${escapeXml(d.model)}</manufacturerModelName>` : '',
    `</manufacturedSeriesDevice>`,
    d.manufacturer ? `<manufacturerOrganization><name>${escapeXml(d.manufacturer)}</name></manufacturerOrganization>` : '',
    `</seriesAuthor></author>`,
  ].join('');
}

function filterXml(kind: string, frequencyCode: string, hz: number | undefined): string {
  if (hz === undefined) return '';
  return (
    `<controlVariable><controlVariable><code code="${kind}" codeSystem="${mdc}"/>` +
    `<component><controlVariable><code code="${frequencyCode}" codeSystem="${mdc}"/>` +
    `<value xsi:type="PQ" value=${attr(hz)} unit="Hz"/></controlVariable></component>` +
    `</controlVariable></controlVariable>`
  );
}

export function writeAecg(recording: EcgRecording, options: AecgMeta = {}): string {
  checkRecording(recording);
  const meta = checkOptions(aecgMetaSchema, options, 'meta');
  const leadCodes = recording.leads.map(({ lead }) => {
    const code = aecgLeadCodes[lead as StandardLead];
    if (!code) throw new EcgFormatError('UNSUPPORTED_LEAD', `"${lead}" has no MDC_ECG_LEAD code in this writer`);
    return code;
  });
  const start = recording.startTime ? parseIsoDateTime(recording.startTime) : utcNow(meta.now);
  if (!start) throw new EcgFormatError('INVALID_RECORDING', 'startTime is not ISO 8601');
  const n = recording.leads[0]?.samples.length ?? 0;
  const end = addSeconds(start, n / recording.sampleRateHz);
  const increment = 1 / recording.sampleRateHz;
  const f = recording.filters ?? {};

  const sequences = recording.leads
    .map(
      ({ samples }, i) =>
        `<component><sequence><code code="${leadCodes[i]}" codeSystem="${mdc}" codeSystemName="MDC"/>` +
        `<value xsi:type="SLIST_PQ"><origin value="0" unit="uV"/><scale value=${attr(recording.resolutionUv)} unit="uV"/>` +
        `<digits>${digits(samples)}</digits></value></sequence></component>`,
    )
    .join('\n');

  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<AnnotatedECG xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" type="Observation">`,
    `<id root=${attr(meta.documentId ?? crypto.randomUUID())}/>`,
    `<code code="93000" codeSystem="2.16.840.1.113883.6.12" codeSystemName="CPT-4"/>`,
    `<effectiveTime><low value="${ts(start)}" inclusive="true"/><high value="${ts(end)}" inclusive="false"/></effectiveTime>`,
    `<componentOf><timepointEvent><componentOf><subjectAssignment><subject>${patientXml(recording)}</subject>`,
    `<componentOf><clinicalTrial><id root=${attr(meta.clinicalTrialId ?? crypto.randomUUID())}/></clinicalTrial></componentOf>`,
    `</subjectAssignment></componentOf></timepointEvent></componentOf>`,
    `<component><series>`,
    `<id root="${crypto.randomUUID()}"/>`,
    `<code code="RHYTHM" codeSystem="${actCode}"/>`,
    `<effectiveTime><low value="${ts(start)}" inclusive="true"/><high value="${ts(end)}" inclusive="false"/></effectiveTime>`,
    deviceXml(recording),
    // The schema's order inside a series: author, controlVariable*, then the component(s).
    filterXml('MDC_ECG_CTL_VBL_ATTR_FILTER_HIGH_PASS', 'MDC_ECG_CTL_VBL_ATTR_FILTER_CUTOFF_FREQ', f.highPassHz),
    filterXml('MDC_ECG_CTL_VBL_ATTR_FILTER_LOW_PASS', 'MDC_ECG_CTL_VBL_ATTR_FILTER_CUTOFF_FREQ', f.lowPassHz),
    filterXml('MDC_ECG_CTL_VBL_ATTR_FILTER_NOTCH', 'MDC_ECG_CTL_VBL_ATTR_FILTER_NOTCH_FREQ', f.notchHz),
    `<component><sequenceSet>`,
    `<component><sequence><code code="TIME_ABSOLUTE" codeSystem="${actCode}"/>`,
    `<value xsi:type="GLIST_TS"><head value="${ts(start)}"/><increment value=${attr(increment)} unit="s"/></value></sequence></component>`,
    sequences,
    `</sequenceSet></component>`,
    `</series></component>`,
    `</AnnotatedECG>`,
    '',
  ]
    .filter((line) => line !== '')
    .join('\n');
}
