/**
 * zod schemas of the workstation settings (WorkstationSettings in ./workstation-api.ts): what main
 * accepts over IPC (a partial update) and what it accepts when it reads its file back. Only main
 * imports this file; the sandboxed preload stays free of zod.
 */
import { z } from 'zod';
import type { WorkstationSettings } from './workstation-api.ts';

/** http(s) only, no user name or password in it (the setup wizard's parseHubUrl says the same to the user). */
const hubUrl = z.union([
  z.literal(''),
  z
    .url({ protocol: /^https?$/ })
    .max(2048)
    // No URL class in pure code: an '@' before the path means user info in the authority.
    .refine((text) => !/^https?:\/\/[^/?#]*@/i.test(text), 'must not contain credentials'),
]);

export const enrolmentSchema = z
  .object({
    workstationId: z.string().min(1).max(100),
    workstationName: z.string().max(200).optional(),
    institution: z.object({ id: z.string().min(1).max(100), name: z.string().max(200), kind: z.string().max(50) }).strict(),
    workstationCredential: z.string().min(16).max(200),
  })
  .strict();

// Printer names are whatever the OS calls them (CUPS queue names, Windows shares like \\SERVER\Q).
const printerName = z.string().min(1).max(256);

export const workstationSettingsSchema = z
  .object({
    hubUrl,
    enrolment: enrolmentSchema.nullable(),
    printerName: printerName.nullable(),
    autoUpdate: z.boolean(),
  })
  .strict() satisfies z.ZodType<WorkstationSettings>;

/** A settings update from the renderer: any subset of the fields, nothing else. */
export const settingsPatchSchema = workstationSettingsSchema.partial().strict();

export const defaultSettings: WorkstationSettings = { hubUrl: '', enrolment: null, printerName: null, autoUpdate: false };
