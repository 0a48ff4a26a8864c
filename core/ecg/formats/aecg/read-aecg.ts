/**
 * HL7 aECG (HL7 v3 Annotated ECG) import into the EcgRecording every other format reads into.
 *
 * What is read: the rhythm series (code RHYTHM) — or, when a file holds only a representative
 * (median) beat, that series — with its time sequence (TIME_ABSOLUTE GLIST_TS, or TIME_RELATIVE
 * GLIST_PQ in s or ms) and one SLIST_PQ sequence per lead (MDC_ECG_LEAD_* codes; physical value =
 * origin + scale × digit, in µV, mV or V). A representative-beat series (code REPRESENTATIVE_BEAT, a
 * sibling series or the rhythm series' derivation) is returned beside it. Patient, device and the
 * acquisition filters are read where the writer puts them. Elements are matched in the HL7 v3
 * namespace of the 2003 ballot and of the later releases (urn:hl7-org:v3 and namespaces under
 * it), and in files that declare no namespace at all.
 *
 * XML parsing: saxes, a conforming non-validating XML parser in plain JavaScript (it is jsdom's
 * parser), so a malformed or truncated file is refused instead of half-read; core stays pure
 * (no DOMParser outside a browser).
 *
 * Samples: when every lead has origin 0 and the same scale — what this project's writer and most
 * carts write — the digits are the recording's integers and resolutionUv is the scale (exact round
 * trip). Otherwise each lead is brought to the finest scale among the leads (rounded).
 */
import { SaxesParser } from 'saxes';
import type { EcgLeadSignal, EcgRecording } from '../../recording.ts';
import { EcgFormatError } from '../format-error.ts';
import { aecgLeadCodes } from './write-aecg.ts';

export type AecgRecording = EcgRecording & {
  aecg: {
    /** Which series the leads came from. */
    series: 'RHYTHM' | 'REPRESENTATIVE_BEAT';
    /** The representative (median) beat, when the file has one beside the rhythm. */
    representativeBeat?: Pick<EcgRecording, 'sampleRateHz' | 'resolutionUv' | 'leads'> | undefined;
  };
};

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const isHl7Namespace = (uri: string): boolean => uri === '' || uri.startsWith('urn:hl7-org:v3');

/** Parses the document into a light element tree (HL7 elements only; text kept per element). */
function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: false });
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  let error: Error | undefined;
  parser.on('error', (e) => {
    error ??= e;
  });
  parser.on('opentag', (tag) => {
    const element: XmlElement = { name: isHl7Namespace(tag.uri) ? tag.local : `{${tag.uri}}${tag.local}`, attributes: {}, children: [], text: '' };
    for (const a of Object.values(tag.attributes)) {
      // xsi:type is the one foreign attribute aECG relies on; its value may carry a prefix.
      const key = a.uri === 'http://www.w3.org/2001/XMLSchema-instance' ? `xsi:${a.local}` : a.local;
      element.attributes[key] = key === 'xsi:type' ? (a.value.split(':').pop() ?? a.value) : a.value;
    }
    stack[stack.length - 1]!.children.push(element);
    stack.push(element);
  });
  parser.on('text', (text) => {
    const top = stack[stack.length - 1]!;
    if (top.name === 'digits' || top.name === 'name' || top.name === 'manufacturerModelName') top.text += text;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  try {
    parser.write(xml).close();
  } catch (e) {
    error ??= e as Error;
  }
  if (error) throw new EcgFormatError('AECG_MALFORMED', 'not well-formed XML', { cause: error });
  return root;
}

const child = (e: XmlElement | undefined, name: string): XmlElement | undefined => e?.children.find((c) => c.name === name);
const children = (e: XmlElement | undefined, name: string): XmlElement[] => e?.children.filter((c) => c.name === name) ?? [];
/** Follows a path of child names, taking the first match at each step. */
const path = (e: XmlElement | undefined, ...names: string[]): XmlElement | undefined => names.reduce<XmlElement | undefined>((at, n) => child(at, n), e);

const microvoltsPerUnit: Readonly<Record<string, number>> = { uV: 1, µV: 1, mV: 1000, V: 1e6 };
const secondsPerUnit: Readonly<Record<string, number>> = { s: 1, ms: 0.001, us: 1e-6 };

function quantity(e: XmlElement | undefined, units: Readonly<Record<string, number>>, what: string): number {
  const value = Number(e?.attributes.value);
  const factor = units[e?.attributes.unit ?? ''];
  if (!e || !Number.isFinite(value) || factor === undefined) throw new EcgFormatError('AECG_UNSUPPORTED', `${what} is missing or has an unknown unit`);
  return value * factor;
}

const leadNameByCode = new Map(Object.entries(aecgLeadCodes).map(([lead, code]) => [code, lead]));

/** "20261123093015.250+0800" → "2026-11-23T09:30:15.250+08:00" (fields the TS has, no more). */
function isoFromTs(ts: string | undefined): string | undefined {
  const m = ts?.match(/^(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?(\.\d+)?([+-]\d{4})?$/);
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone] = m;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${frac}${zone ? `${zone.slice(0, 3)}:${zone.slice(3)}` : ''}`;
}

interface SeriesSignals {
  sampleRateHz: number;
  resolutionUv: number;
  leads: EcgLeadSignal[];
  startTime: string | undefined;
}

function readSeries(series: XmlElement): SeriesSignals {
  const sequences = children(path(series, 'component', 'sequenceSet'), 'component')
    .map((c) => child(c, 'sequence'))
    .filter((s): s is XmlElement => s !== undefined);
  let sampleRateHz: number | undefined;
  let startTime: string | undefined;
  const raw: { lead: string; origin: number; scale: number; digits: string }[] = [];
  for (const sequence of sequences) {
    const code = child(sequence, 'code')?.attributes.code ?? '';
    const value = child(sequence, 'value');
    if (code === 'TIME_ABSOLUTE' || code === 'TIME_RELATIVE') {
      const increment = quantity(child(value, 'increment'), secondsPerUnit, 'the sample interval');
      if (!(increment > 0)) throw new EcgFormatError('AECG_UNSUPPORTED', 'the sample interval is not positive');
      sampleRateHz = Number((1 / increment).toPrecision(12));
      if (code === 'TIME_ABSOLUTE') startTime = isoFromTs(child(value, 'head')?.attributes.value);
    } else if (code.startsWith('MDC_ECG_LEAD_')) {
      if (value?.attributes['xsi:type'] !== 'SLIST_PQ') throw new EcgFormatError('AECG_UNSUPPORTED', `lead ${code} is not an SLIST_PQ`);
      raw.push({
        lead: leadNameByCode.get(code) ?? code.slice('MDC_ECG_LEAD_'.length),
        origin: quantity(child(value, 'origin'), microvoltsPerUnit, `the origin of ${code}`),
        scale: quantity(child(value, 'scale'), microvoltsPerUnit, `the scale of ${code}`),
        digits: child(value, 'digits')?.text ?? '',
      });
    }
  }
  if (sampleRateHz === undefined) throw new EcgFormatError('AECG_UNSUPPORTED', 'the series has no time sequence');
  if (raw.length === 0) throw new EcgFormatError('AECG_UNSUPPORTED', 'the series has no lead');
  const exact = raw.every((r) => r.origin === 0 && r.scale === raw[0]!.scale);
  const resolutionUv = exact ? raw[0]!.scale : Math.min(...raw.map((r) => r.scale));
  if (!(resolutionUv > 0)) throw new EcgFormatError('AECG_UNSUPPORTED', 'a lead scale is not positive');
  const leads = raw.map((r) => {
    const words = r.digits.trim() === '' ? [] : r.digits.trim().split(/\s+/);
    const samples = new Int32Array(words.length);
    for (let i = 0; i < words.length; i++) {
      const digit = Number(words[i]);
      if (!Number.isInteger(digit)) throw new EcgFormatError('AECG_MALFORMED', `lead ${r.lead} has a digit that is not an integer`);
      samples[i] = exact ? digit : Math.round((r.origin + r.scale * digit) / resolutionUv);
    }
    return { lead: r.lead, samples };
  });
  if (leads.some((l) => l.samples.length !== leads[0]!.samples.length)) throw new EcgFormatError('AECG_MALFORMED', 'the leads have different lengths');
  return { sampleRateHz, resolutionUv, leads, startTime };
}

function readFilters(series: XmlElement): EcgRecording['filters'] {
  const filters: NonNullable<EcgRecording['filters']> = {};
  for (const outer of children(series, 'controlVariable')) {
    const variable = child(outer, 'controlVariable');
    const kind = child(variable, 'code')?.attributes.code;
    const frequency = path(variable, 'component', 'controlVariable', 'value');
    const hz = Number(frequency?.attributes.value);
    if (!Number.isFinite(hz) || frequency?.attributes.unit !== 'Hz') continue;
    if (kind === 'MDC_ECG_CTL_VBL_ATTR_FILTER_HIGH_PASS') filters.highPassHz = hz;
    if (kind === 'MDC_ECG_CTL_VBL_ATTR_FILTER_LOW_PASS') filters.lowPassHz = hz;
    if (kind === 'MDC_ECG_CTL_VBL_ATTR_FILTER_NOTCH') filters.notchHz = hz;
  }
  return Object.keys(filters).length > 0 ? filters : undefined;
}

function readPatient(root: XmlElement): EcgRecording['patient'] {
  const subject = path(root, 'componentOf', 'timepointEvent', 'componentOf', 'subjectAssignment', 'subject', 'trialSubject');
  if (!subject) return undefined;
  const person = child(subject, 'subjectDemographicPerson');
  const patient: NonNullable<EcgRecording['patient']> = {};
  const id = child(subject, 'id')?.attributes.extension;
  if (id) patient.id = id;
  const name = child(person, 'name')?.text.trim();
  if (name) patient.name = name;
  const sex = child(person, 'administrativeGenderCode')?.attributes.code;
  if (sex === 'M' || sex === 'F') patient.sex = sex;
  const birth = child(person, 'birthTime')?.attributes.value?.match(/^(\d{4})(\d{2})(\d{2})/);
  if (birth) patient.birthDate = `${birth[1]}-${birth[2]}-${birth[3]}`;
  return Object.keys(patient).length > 0 ? patient : undefined;
}

function readDevice(series: XmlElement): EcgRecording['device'] {
  const author = path(series, 'author', 'seriesAuthor');
  if (!author) return undefined;
  const device: NonNullable<EcgRecording['device']> = {};
  const machine = child(author, 'manufacturedSeriesDevice');
  const serial = child(machine, 'id')?.attributes.extension;
  if (serial) device.serialNumber = serial;
  const model = child(machine, 'manufacturerModelName')?.text.trim();
  if (model) device.model = model;
  const manufacturer = path(author, 'manufacturerOrganization', 'name')?.text.trim();
  if (manufacturer) device.manufacturer = manufacturer;
  return Object.keys(device).length > 0 ? device : undefined;
}

/** Reads an HL7 aECG document (its text; UTF-8 bytes are decoded first). */
export function readAecg(input: string | Uint8Array): AecgRecording {
  let xml: string;
  try {
    xml = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch (e) {
    throw new EcgFormatError('AECG_MALFORMED', 'not UTF-8 text', { cause: e });
  }
  const root = child(parseXml(xml), 'AnnotatedECG');
  if (!root) throw new EcgFormatError('AECG_NOT_AECG', 'the root element is not an HL7 v3 AnnotatedECG');
  const allSeries = children(root, 'component').flatMap((c) => children(c, 'series'));
  const derived = allSeries.flatMap((s) => children(s, 'derivation').flatMap((d) => children(d, 'derivedSeries')));
  const codeOf = (s: XmlElement) => child(s, 'code')?.attributes.code;
  const rhythm = allSeries.find((s) => codeOf(s) === 'RHYTHM');
  const beat = [...allSeries, ...derived].find((s) => codeOf(s) === 'REPRESENTATIVE_BEAT');
  const main = rhythm ?? beat;
  if (!main) throw new EcgFormatError('AECG_UNSUPPORTED', 'no RHYTHM or REPRESENTATIVE_BEAT series');
  const signals = readSeries(main);
  const startTime = signals.startTime ?? isoFromTs(path(main, 'effectiveTime', 'low')?.attributes.value);
  const beatSignals = rhythm && beat ? readSeries(beat) : undefined;
  return {
    sampleRateHz: signals.sampleRateHz,
    resolutionUv: signals.resolutionUv,
    leads: signals.leads,
    startTime,
    patient: readPatient(root),
    device: readDevice(main),
    filters: readFilters(main),
    aecg: {
      series: rhythm ? 'RHYTHM' : 'REPRESENTATIVE_BEAT',
      representativeBeat: beatSignals && { sampleRateHz: beatSignals.sampleRateHz, resolutionUv: beatSignals.resolutionUv, leads: beatSignals.leads },
    },
  };
}
