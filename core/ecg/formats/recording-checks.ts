/**
 * Checks every writer runs before it emits a byte, so a bad recording fails with one clear
 * EcgFormatError instead of producing a file another program rejects.
 */
import { z } from 'zod';
import type { EcgRecording } from '../recording.ts';
import { EcgFormatError } from './format-error.ts';

const recordingSchema = z.object({
  sampleRateHz: z.number().finite().positive(),
  resolutionUv: z.number().finite().positive(),
  leads: z
    .array(z.object({ lead: z.string().min(1), samples: z.instanceof(Int32Array) }))
    .min(1, 'at least one lead'),
  startTime: z.string().optional(),
  patient: z
    .object({
      id: z.string().optional(),
      name: z.string().optional(),
      sex: z.enum(['M', 'F', 'O', 'U']).optional(),
      birthDate: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, 'birthDate must be YYYY-MM-DD')
        .optional(),
    })
    .optional(),
  device: z
    .object({ manufacturer: z.string().optional(), model: z.string().optional(), serialNumber: z.string().optional() })
    .optional(),
  filters: z
    .object({
      highPassHz: z.number().finite().nonnegative().optional(),
      lowPassHz: z.number().finite().nonnegative().optional(),
      notchHz: z.number().finite().nonnegative().optional(),
    })
    .optional(),
});

/** Validates shape and consistency: all leads equally long, lead names unique. */
export function checkRecording(recording: EcgRecording): void {
  const parsed = recordingSchema.safeParse(recording);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EcgFormatError('INVALID_RECORDING', `${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`);
  }
  const length = recording.leads[0]?.samples.length ?? 0;
  if (length === 0) throw new EcgFormatError('INVALID_RECORDING', 'the recording has no samples');
  const seen = new Set<string>();
  for (const { lead, samples } of recording.leads) {
    if (samples.length !== length) {
      throw new EcgFormatError('INVALID_RECORDING', `lead ${lead} has ${samples.length} samples, lead 1 has ${length}`);
    }
    if (seen.has(lead)) throw new EcgFormatError('INVALID_RECORDING', `lead ${lead} appears twice`);
    seen.add(lead);
  }
}

/** Validates a writer's options object with its zod schema; a bad option is INVALID_RECORDING too. */
export function checkOptions<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EcgFormatError('INVALID_RECORDING', `${what}.${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`);
  }
  return parsed.data;
}

/** A Date that is a real instant (not new Date('garbage')). */
export const validDate = z.date().refine((d) => Number.isFinite(d.getTime()), 'not a valid date');

/** Throws SAMPLE_OUT_OF_RANGE naming the lead and sample index of the first value outside [min, max]. */
export function checkSampleRange(recording: EcgRecording, min: number, max: number, what: string): void {
  for (const { lead, samples } of recording.leads) {
    for (let i = 0; i < samples.length; i++) {
      const v = samples[i] as number;
      if (v < min || v > max) {
        throw new EcgFormatError(
          'SAMPLE_OUT_OF_RANGE',
          `lead ${lead}, sample ${i}: ${v} is outside ${min}..${max} (${what}); store the recording at a coarser resolutionUv`,
        );
      }
    }
  }
}

/** An ISO 8601 date-time split into its local fields, keeping the written offset (no Date arithmetic). */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Fractional seconds as written, e.g. "123" for .123; empty when none. */
  fraction: string;
  /** Offset from UTC in minutes, undefined when the time is floating (no zone). */
  offsetMinutes: number | undefined;
}

const isoPattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function parseIsoDateTime(iso: string): LocalDateTime | undefined {
  const m = isoPattern.exec(iso.trim());
  if (!m) return undefined;
  const zone = m[8];
  let offsetMinutes: number | undefined;
  if (zone === 'Z') offsetMinutes = 0;
  else if (zone) {
    const digits = zone.replace(':', '');
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  const value = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
    fraction: m[7] ?? '',
    offsetMinutes,
  };
  if (value.month < 1 || value.month > 12 || value.day < 1 || value.day > 31) return undefined;
  if (value.hour > 23 || value.minute > 59 || value.second > 60) return undefined;
  return value;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function formatOffset(offsetMinutes: number, separator = ':'): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${pad(Math.floor(abs / 60))}${separator}${pad(abs % 60)}`;
}

export function formatIsoDateTime(t: LocalDateTime): string {
  const frac = t.fraction ? `.${t.fraction}` : '';
  const zone = t.offsetMinutes === undefined ? '' : formatOffset(t.offsetMinutes);
  return `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}${frac}${zone}`;
}

/** The current time as LocalDateTime in UTC (used where a format requires a time and none is known). */
export function utcNow(now: Date = new Date()): LocalDateTime {
  return {
    year: now.getUTCFullYear(),
    month: now.getUTCMonth() + 1,
    day: now.getUTCDate(),
    hour: now.getUTCHours(),
    minute: now.getUTCMinutes(),
    second: now.getUTCSeconds(),
    fraction: '',
    offsetMinutes: 0,
  };
}

export { pad as zeroPad };
