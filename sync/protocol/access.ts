/**
 * The access endpoints of issue 13 (who may open which patient, and who did):
 *   POST /patients/emergency-access  EmergencyAccessRequest → { patientId }   (break the glass)
 *   GET  /patients/:patientId/access-report                  → AccessReport   (PIPL: who opened this record)
 *   GET  /admin/patient-index/discrepancies?state=open|resolved|all          → { discrepancies }
 *   POST /admin/patient-index/discrepancies/:id/resolve  { resolution }      → the discrepancy
 */
import { z } from 'zod';
import { documentTypes, recordId, text } from '../../core/records/index.ts';

export const accessPaths = {
  emergencyAccess: '/patients/emergency-access',
  accessReport: '/patients/:patientId/access-report',
  discrepancies: '/admin/patient-index/discrepancies',
  resolveDiscrepancy: '/admin/patient-index/discrepancies/:id/resolve',
} as const;

/** A doctor opening a patient they have no relationship with must say why (shown to the home institution). */
export const EMERGENCY_REASON_MIN = 4;
export const emergencyAccessRequestSchema = z
  .strictObject({
    patientId: recordId.optional(),
    documentType: z.enum(documentTypes).default('resident'),
    idNumber: text().max(32).regex(/^[0-9A-Z]+$/, { message: 'ID number: digits and upper-case letters only' }).optional(),
    reason: text().trim().min(EMERGENCY_REASON_MIN, { message: `Give the reason (at least ${EMERGENCY_REASON_MIN} characters)` }).max(500),
  })
  .refine((b) => (b.patientId === undefined) !== (b.idNumber === undefined), { message: 'Name the patient by patientId or by idNumber (one of them)', path: ['patientId'] });

export const linkBeganValues = ['registered', 'card-read', 'hand-typed', 'record-written', 'break-the-glass', 'ecg-reading', 'legacy'] as const;

export const discrepancyQuerySchema = z.strictObject({ state: z.enum(['open', 'resolved', 'all']).default('open') });
export const resolveDiscrepancySchema = z.strictObject({ resolution: z.enum(['accepted', 'rejected']) });
export const discrepancyParamsSchema = z.strictObject({ id: z.coerce.number().int().min(1) });
export const patientParamsSchema = z.strictObject({ patientId: recordId });

/** The identity fields a discrepancy may propose (the hub's PROPOSABLE set). */
export const discrepancyFields = ['name', 'sex', 'birthDate', 'documentType', 'idNumber'] as const;
/**
 * One entry of the county patient-index administrator's queue: which master patient, which fields,
 * the master's current value and the proposed one, who reported it and whether their registration
 * came from an ID card read ('card-read') or was typed ('hand-typed'; null for an edit).
 */
export const identityDiscrepancySchema = z.object({
  id: z.number().int(),
  masterPatientId: z.string(),
  patientName: z.string().nullable(),
  homeInstitutionId: z.string().nullable(),
  sourceRecordId: z.string(),
  source: z.enum(['edit', 'duplicate-registration']),
  registration: z.enum(['card-read', 'hand-typed']).nullable(),
  reportedByInstitution: z.string(),
  reportedByInstitutionName: z.string().nullable(),
  reportedByUser: z.string().nullable(),
  reportedByUserName: z.string().nullable(),
  current: z.record(z.string(), z.unknown()),
  proposed: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolution: z.enum(['accepted', 'rejected']).nullable(),
});
export type IdentityDiscrepancy = z.infer<typeof identityDiscrepancySchema>;
export const discrepanciesResponseSchema = z.object({ discrepancies: z.array(identityDiscrepancySchema) });
export const resolveDiscrepancyResponseSchema = z.object({ id: z.number().int(), masterPatientId: z.string(), resolution: z.enum(['accepted', 'rejected']) });
export const discrepancyPaths = {
  list: (state: 'open' | 'resolved' | 'all' = 'open') => `${accessPaths.discrepancies}?state=${state}`,
  resolve: (id: number) => accessPaths.resolveDiscrepancy.replace(':id', String(id)),
};
