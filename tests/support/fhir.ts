/**
 * Builders for FHIR R4 results as a member hospital's LIS posts them to the hub
 * (sync/hub/recognition/fhir-results.ts): a DiagnosticReport with contained Observations, or a
 * transaction Bundle of reports and observations.
 */
import { HR_MARK_EXTENSION, ITEM_CODE_SYSTEM, RESIDENT_ID_SYSTEM } from '../../sync/hub/recognition/fhir-results.ts';

let serial = 0;

export interface ReportOptions {
  id?: string;
  idNumber: string;
  itemCode?: string;
  effectiveDateTime?: string;
  hrMark?: boolean | undefined;
  conclusion?: string;
}

/** A lipid panel (血脂四项) with two values, contained. */
export const makeFhirDiagnosticReport = (o: ReportOptions): Record<string, unknown> => ({
  resourceType: 'DiagnosticReport',
  id: o.id ?? `lis-${Date.now().toString(36)}-${++serial}`,
  status: 'final',
  code: { coding: [{ system: ITEM_CODE_SYSTEM, code: o.itemCode ?? 'LAB-LIPID', display: '血脂四项' }] },
  subject: { identifier: { system: RESIDENT_ID_SYSTEM, value: o.idNumber } },
  effectiveDateTime: o.effectiveDateTime ?? new Date().toISOString(),
  ...(o.hrMark === undefined && 'hrMark' in o ? {} : { extension: [{ url: HR_MARK_EXTENSION, valueBoolean: o.hrMark ?? true }] }),
  contained: [
    {
      resourceType: 'Observation',
      id: 'tc',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '2093-3', display: '总胆固醇' }] },
      valueQuantity: { value: 6.2, unit: 'mmol/L' },
      referenceRange: [{ low: { value: 2.8 }, high: { value: 5.2 } }],
      interpretation: [{ coding: [{ code: 'H' }] }],
    },
    {
      resourceType: 'Observation',
      id: 'tg',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '2571-8', display: '甘油三酯' }] },
      valueQuantity: { value: 1.4, unit: 'mmol/L' },
      referenceRange: [{ text: '0.56-1.7' }],
      interpretation: [{ coding: [{ code: 'N' }] }],
    },
  ],
  result: [{ reference: '#tc' }, { reference: '#tg' }],
  ...(o.conclusion ? { conclusion: o.conclusion } : {}),
});

/** The same reports as a transaction Bundle, observations as separate entries referenced by fullUrl. */
export const makeFhirBundle = (reports: Array<Record<string, unknown>>): Record<string, unknown> => ({
  resourceType: 'Bundle',
  type: 'transaction',
  entry: reports.flatMap((report) => {
    const { contained, result, ...rest } = report as { contained: Array<{ id: string }>; result: unknown };
    void result;
    const urls = contained.map(() => `urn:uuid:${crypto.randomUUID()}`);
    return [
      ...contained.map((obs, i) => ({ fullUrl: urls[i], resource: obs, request: { method: 'POST', url: 'Observation' } })),
      { fullUrl: `urn:uuid:${crypto.randomUUID()}`, resource: { ...rest, result: urls.map((reference) => ({ reference })) }, request: { method: 'POST', url: 'DiagnosticReport' } },
    ];
  }),
});

/** `days` calendar days before `now`, at the same time of day. */
export const daysAgo = (days: number, now = new Date()): string => new Date(now.getTime() - days * 86_400_000).toISOString();
