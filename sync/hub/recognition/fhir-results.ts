/**
 * Results from member hospitals as FHIR R4 JSON (检查检验结果上传): a DiagnosticReport with its
 * Observations contained, or a Bundle (transaction, batch or collection) of DiagnosticReports and
 * the Observations they reference by fullUrl. Each report becomes one `results` record.
 *
 * Validation is in two steps, both answered as 400 validation-failed naming the field in Chinese and
 * English (never a value from the body other than codes): the zod schemas below check the shape;
 * `toResultDrafts` checks meaning — the item is in the county catalogue, the subject names a patient,
 * the QC mark is stated, every referenced Observation exists. Only FHIR elements this hub uses are
 * read; others are allowed and ignored, as FHIR servers do.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ItemCatalog } from '../../../core/catalog/index.ts';
import { normaliseDocumentNumber } from '../../../core/identity/index.ts';
import { CodedError, errorText, type CodedErrorArgs, type ErrorCodeOf } from '../../../core/errors/index.ts';
import { toRecordIssues, type RecordIssue, type Result, text } from '../../../core/records/index.ts';

/** CodeSystem of the county item catalogue (core/catalog item codes). */
export const ITEM_CODE_SYSTEM = 'https://clinic-workstation.cn/fhir/CodeSystem/recognition-item';
/** Extension carrying the lab's quality-control status: valueBoolean true = the "HR" mark (质控合格). */
export const HR_MARK_EXTENSION = 'https://clinic-workstation.cn/fhir/StructureDefinition/hr-mark';
/** Identifier system of the resident ID number (居民身份证号码, OID 2.16.156.10011.1.3). */
export const RESIDENT_ID_SYSTEM = 'urn:oid:2.16.156.10011.1.3';

const fhirId = text().regex(/^[A-Za-z0-9\-.]{1,64}$/, { message: 'a FHIR id: letters, digits, - and ., at most 64' });
const coding = z.object({ system: text().max(200).optional(), code: text().min(1).max(64), display: text().max(200).optional() });
const codeableConcept = z.object({ coding: z.array(coding).max(20).optional(), text: text().max(200).optional() });
const reference = z.object({
  reference: text().max(200).optional(),
  identifier: z.object({ system: text().max(200).optional(), value: text().min(1).max(64) }).optional(),
});
const quantity = z.object({ value: z.number().optional(), unit: text().max(32).optional() });
const extension = z.object({ url: text().max(200), valueBoolean: z.boolean().optional() });

export const observationSchema = z.object({
  resourceType: z.literal('Observation', { message: 'resourceType must be Observation' }),
  id: fhirId.optional(),
  status: z.enum(['final', 'amended', 'corrected']),
  code: codeableConcept,
  valueQuantity: quantity.optional(),
  valueString: text().max(200).optional(),
  referenceRange: z.array(z.object({ low: quantity.optional(), high: quantity.optional(), text: text().max(64).optional() })).max(5).optional(),
  interpretation: z.array(codeableConcept).max(5).optional(),
});
type Observation = z.infer<typeof observationSchema>;

export const diagnosticReportSchema = z.object({
  resourceType: z.literal('DiagnosticReport', { message: 'resourceType must be DiagnosticReport' }),
  id: fhirId,
  // Only a released report may be recognized elsewhere: preliminary results are refused.
  status: z.enum(['final', 'amended', 'corrected', 'appended'], { message: 'status must be final, amended, corrected or appended (a released report)' }),
  code: codeableConcept,
  subject: reference,
  effectiveDateTime: z.iso.datetime({ offset: true, message: 'effectiveDateTime: an ISO date-time with offset' }),
  extension: z.array(extension).max(20).optional(),
  contained: z.array(observationSchema).max(200).optional(),
  result: z.array(reference).max(200).optional(),
  conclusion: text().max(8000).optional(),
});
type DiagnosticReport = z.infer<typeof diagnosticReportSchema>;

const bundleSchema = z.object({
  resourceType: z.literal('Bundle'),
  type: z.enum(['transaction', 'batch', 'collection']),
  entry: z
    .array(z.object({ fullUrl: text().max(200).optional(), resource: z.object({ resourceType: text().max(64) }).loose() }))
    .min(1)
    .max(400),
});

/** How the hub identifies the subject: a resident ID number, or the hub's own patient id. */
export type SubjectRef = { kind: 'resident-id'; value: string } | { kind: 'patient-id'; value: string };

export interface ResultDraft {
  reportId: string;
  subject: SubjectRef;
  /** Everything but the hub-assigned fields (id, institutionId, patientId, updatedAt). */
  result: Omit<Result, 'id' | 'institutionId' | 'patientId' | 'updatedAt'>;
}

/** What is wrong with a posted body: every problem found, each in the catalogue's words (`fhirInput.*`). */
export class FhirInputError extends CodedError<'hub.validation-failed'> {
  override readonly name = 'FhirInputError';
  constructor(readonly issues: RecordIssue[]) {
    super('hub.validation-failed', {}, { detail: issues.map((i) => `${i.path} ${i.message}`).join('; ') });
  }
}

type FhirProblem = ErrorCodeOf<'fhirInput'>;
const issue = <P extends FhirProblem>(path: string, problem: P, ...[params]: CodedErrorArgs<`fhirInput.${P}`>): RecordIssue => ({
  path,
  message: errorText(`fhirInput.${problem}`, params ?? {}, 'en'),
  messageZh: errorText(`fhirInput.${problem}`, params ?? {}, 'zh-CN'),
});
const prefixed = (prefix: string, issues: RecordIssue[]) => issues.map((i) => ({ ...i, path: [prefix, i.path].filter(Boolean).join('.') }));

const interpretationFlags: Record<string, Result['values'][number]['flag']> = { N: '', H: 'H', L: 'L', HH: 'HH', LL: 'LL', A: 'A', AA: 'A', HU: 'HH', LU: 'LL' };

/** The stored result id: stable per posting institution and report id, so a re-post updates, never duplicates. */
export const resultIdFor = (institutionId: string, reportId: string): string =>
  `fhir-${createHash('sha256').update(`${institutionId}/DiagnosticReport/${reportId}`).digest('hex').slice(0, 40)}`;

/**
 * Parses a request body into result drafts, or throws FhirInputError with every problem found.
 * Nothing is looked up here except the catalogue; the caller resolves subjects.
 */
export function toResultDrafts(body: unknown, catalog: ItemCatalog): ResultDraft[] {
  const kind = z.object({ resourceType: text() }).safeParse(body);
  if (!kind.success || (kind.data.resourceType !== 'DiagnosticReport' && kind.data.resourceType !== 'Bundle')) {
    throw new FhirInputError([
      issue('body.resourceType', 'resource-type'),
    ]);
  }
  if (kind.data.resourceType === 'DiagnosticReport') {
    const report = diagnosticReportSchema.safeParse(body);
    if (!report.success) throw new FhirInputError(prefixed('body', toRecordIssues(report.error)));
    return [draftOf(report.data, 'body', new Map(), catalog)];
  }

  const bundle = bundleSchema.safeParse(body);
  if (!bundle.success) throw new FhirInputError(prefixed('body', toRecordIssues(bundle.error)));
  const issues: RecordIssue[] = [];
  const observations = new Map<string, Observation>();
  const reports: Array<{ report: DiagnosticReport; path: string }> = [];
  bundle.data.entry.forEach((entry, i) => {
    const path = `body.entry.${i}.resource`;
    if (entry.resource.resourceType === 'Observation') {
      const obs = observationSchema.safeParse(entry.resource);
      if (!obs.success) return issues.push(...prefixed(path, toRecordIssues(obs.error)));
      for (const key of [entry.fullUrl, obs.data.id && `Observation/${obs.data.id}`]) if (key) observations.set(key, obs.data);
    } else if (entry.resource.resourceType === 'DiagnosticReport') {
      const report = diagnosticReportSchema.safeParse(entry.resource);
      if (!report.success) return issues.push(...prefixed(path, toRecordIssues(report.error)));
      reports.push({ report: report.data, path });
    } else {
      issues.push(issue(`${path}.resourceType`, 'bundle-entry-type'));
    }
  });
  if (reports.length === 0 && issues.length === 0) issues.push(issue('body.entry', 'bundle-without-report'));
  const drafts: ResultDraft[] = [];
  for (const { report, path } of reports) {
    try {
      drafts.push(draftOf(report, path, observations, catalog));
    } catch (error) {
      if (error instanceof FhirInputError) issues.push(...error.issues);
      else throw error;
    }
  }
  if (issues.length > 0) throw new FhirInputError(issues);
  const ids = drafts.map((d) => d.reportId);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated) throw new FhirInputError([issue('body.entry', 'report-repeated', { id: repeated })]);
  return drafts;
}

function draftOf(report: DiagnosticReport, path: string, bundleObservations: Map<string, Observation>, catalog: ItemCatalog): ResultDraft {
  const issues: RecordIssue[] = [];
  const itemCode = report.code.coding?.find((c) => c.system === ITEM_CODE_SYSTEM)?.code;
  const item = itemCode ? catalog.find(itemCode) : undefined;
  if (!itemCode) {
    issues.push(issue(`${path}.code.coding`, 'item-coding-missing', { system: ITEM_CODE_SYSTEM }));
  } else if (!item) {
    issues.push(issue(`${path}.code.coding`, 'item-code-unknown', { code: itemCode }));
  }

  const subject = subjectOf(report.subject);
  if (!subject) {
    issues.push(issue(`${path}.subject`, 'subject-missing', { system: RESIDENT_ID_SYSTEM }));
  }

  const hr = report.extension?.find((e) => e.url === HR_MARK_EXTENSION)?.valueBoolean;
  if (hr === undefined) {
    issues.push(issue(`${path}.extension`, 'hr-mark-missing', { extension: HR_MARK_EXTENSION }));
  }

  const contained = new Map<string, Observation>((report.contained ?? []).filter((o) => o.id).map((o) => [`#${o.id}`, o]));
  const observations: Observation[] = [];
  (report.result ?? []).forEach((ref, i) => {
    const obs = ref.reference ? (contained.get(ref.reference) ?? bundleObservations.get(ref.reference)) : undefined;
    if (!obs) issues.push(issue(`${path}.result.${i}.reference`, 'result-reference'));
    else observations.push(obs);
  });
  const values: Result['values'] = [];
  observations.forEach((obs, i) => {
    const obsPath = `${path}.result.${i}`;
    const code = obs.code.coding?.[0];
    if (!code || code.code.length > 32) return issues.push(issue(`${obsPath}.code`, 'observation-code'));
    const value = obs.valueQuantity?.value ?? obs.valueString;
    if (value === undefined) return issues.push(issue(`${obsPath}.value[x]`, 'observation-value'));
    const interpretation = obs.interpretation?.[0]?.coding?.[0]?.code;
    const flag = interpretation === undefined ? '' : interpretationFlags[interpretation];
    if (flag === undefined && interpretation !== undefined) return issues.push(issue(`${obsPath}.interpretation`, 'interpretation-unknown', { interpretation: interpretation.slice(0, 8) }));
    const range = obs.referenceRange?.[0];
    const rangeText = range?.text ?? (range?.low?.value !== undefined || range?.high?.value !== undefined ? `${range?.low?.value ?? ''}-${range?.high?.value ?? ''}` : '');
    values.push({ code: code.code, name: (code.display ?? obs.code.text ?? code.code).slice(0, 100), value, flag: flag ?? '', unit: obs.valueQuantity?.unit ?? '', referenceRange: rangeText.slice(0, 64) });
  });
  const reportText = report.conclusion ?? '';
  if (values.length === 0 && reportText.trim() === '' && issues.length === 0) {
    issues.push(issue(`${path}.result`, 'report-empty'));
  }
  if (issues.length > 0) throw new FhirInputError(issues);
  return {
    reportId: report.id,
    subject: subject!,
    result: {
      orderId: null,
      itemCode: item!.code,
      itemName: item!.name,
      performedAt: new Date(report.effectiveDateTime).toISOString(),
      values,
      reportText,
      hrMark: hr!,
    },
  };
}

function subjectOf(ref: z.infer<typeof reference>): SubjectRef | undefined {
  if (ref.identifier?.system === RESIDENT_ID_SYSTEM) return { kind: 'resident-id', value: normaliseDocumentNumber(ref.identifier.value) };
  const match = ref.reference?.match(/^Patient\/([A-Za-z0-9_.:-]{1,64})$/);
  return match ? { kind: 'patient-id', value: match[1]! } : undefined;
}
