/**
 * Vital signs as typed text → numbers, checked against the plausible ranges of the shared record
 * schema (core/records/visit.ts vitalsSchema). The ranges are read from that schema, not repeated
 * here, so the form and the store can never disagree.
 */
import { z } from 'zod';
import { vitalsSchema, type Vitals } from '../../core/records/index.ts';

export const vitalFields = ['systolic', 'diastolic', 'heartRate', 'temperature', 'spo2', 'respiratoryRate', 'weightKg', 'heightCm'] as const;
export type VitalField = (typeof vitalFields)[number];

export const vitalUnits: Record<VitalField, string> = {
  systolic: 'mmHg',
  diastolic: 'mmHg',
  heartRate: '/min',
  temperature: '°C',
  spo2: '%',
  respiratoryRate: '/min',
  weightKg: 'kg',
  heightCm: 'cm',
};

interface Range {
  min: number;
  max: number;
  integer: boolean;
}

const json = z.toJSONSchema(vitalsSchema) as { properties: Record<VitalField, { type: string; minimum: number; maximum: number }> };
export const vitalRanges: Record<VitalField, Range> = Object.fromEntries(
  vitalFields.map((f) => [f, { min: json.properties[f].minimum, max: json.properties[f].maximum, integer: json.properties[f].type === 'integer' }]),
) as Record<VitalField, Range>;

export type VitalsText = Partial<Record<VitalField, string>>;

export type VitalProblem =
  | { field: VitalField; kind: 'not-a-number' | 'not-an-integer' }
  | { field: VitalField; kind: 'out-of-range'; min: number; max: number; unit: string }
  | { field: VitalField; kind: 'record'; zh: string; en: string };

export const vitalsToText = (v: Vitals): VitalsText =>
  Object.fromEntries(vitalFields.filter((f) => v[f] !== undefined).map((f) => [f, String(v[f])])) as VitalsText;

/** Parses the typed vitals; empty fields are simply not recorded. */
export function parseVitals(text: VitalsText): { ok: true; vitals: Vitals } | { ok: false; problems: VitalProblem[] } {
  const problems: VitalProblem[] = [];
  const vitals: Vitals = {};
  for (const field of vitalFields) {
    const raw = text[field]?.trim() ?? '';
    if (raw === '') continue;
    const value = Number(raw);
    const range = vitalRanges[field];
    if (!Number.isFinite(value)) problems.push({ field, kind: 'not-a-number' });
    else if (range.integer && !Number.isInteger(value)) problems.push({ field, kind: 'not-an-integer' });
    else if (value < range.min || value > range.max) problems.push({ field, kind: 'out-of-range', min: range.min, max: range.max, unit: vitalUnits[field] });
    else vitals[field] = value;
  }
  if (problems.length > 0) return { ok: false, problems };
  const checked = vitalsSchema.safeParse(vitals);
  if (!checked.success) {
    // Cross-field rules (diastolic below systolic) carry their Chinese text in params.messageZh.
    return {
      ok: false,
      problems: checked.error.issues.map((issue) => ({
        field: (issue.path[0] as VitalField | undefined) ?? 'systolic',
        kind: 'record' as const,
        en: issue.message,
        zh: ((issue as { params?: { messageZh?: string } }).params?.messageZh ?? issue.message),
      })),
    };
  }
  return { ok: true, vitals: checked.data };
}
