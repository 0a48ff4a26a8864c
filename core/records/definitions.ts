/**
 * The record table: every collection the workstation stores, with its zod schema, RxDB schema
 * version, the indexes the UI searches by, and the write-time preparation (computed fields). Both
 * validation (validateRecord) and the RxDB schema (rxdbSchemaFor) come from here.
 *
 * Seven collections; RxDB opens at most 13 per process, so there is room to grow. Drafts are RxDB
 * local documents, not a collection.
 */
import type { z } from 'zod';
import { ecgReportSchema, ecgStudySchema } from './ecg.ts';
import { orderSchema } from './order.ts';
import { patientSchema, withPinyinKeys } from './patient.ts';
import { resultSchema } from './result.ts';
import { recognitionEventSchema } from './recognition-event.ts';
import { toRxdbJsonSchema, type IndexSpec } from './rxdb-schema.ts';
import { validateWith, type ValidationOutcome } from './validation.ts';
import { visitSchema } from './visit.ts';
import type { Patient } from './patient.ts';
import type { Visit } from './visit.ts';
import type { Order } from './order.ts';
import type { Result } from './result.ts';
import type { RecognitionEvent } from './recognition-event.ts';
import type { EcgReport, EcgStudy } from './ecg.ts';

export interface RecordDefinition<S extends z.ZodType = z.ZodType> {
  schema: S;
  version: number;
  indexes: readonly IndexSpec[];
  /**
   * Fields stored encrypted on the workstation's disk when its database has a data key
   * (sync/client/local-data-key.ts, docs/security-local-data.md): the sensitive content no query
   * or index reads. Indexed and queried fields must stay clear (RxDB cannot index ciphertext).
   */
  encrypted: readonly string[];
  /** Computes derived fields before validation (pinyin keys of a patient's name). */
  prepare?: (record: Record<string, unknown>) => Record<string, unknown>;
}

const define = <S extends z.ZodType>(d: RecordDefinition<S>): RecordDefinition<S> => d;

export const recordDefinitions = {
  patients: define({
    schema: patientSchema,
    version: 0,
    indexes: ['idNumber', 'name', 'pinyinInitials', 'pinyinFull', 'phone', 'insuranceCardNumber'],
    // Ethnicity (民族) is sensitive personal information under PIPL; name, ID and phone are searched by.
    encrypted: ['sex', 'nationCode', 'birthDate', 'address'],
    prepare: (p) => (typeof p.name === 'string' ? withPinyinKeys({ ...p, name: p.name }) : p),
  }),
  visits: define({
    schema: visitSchema,
    // 1: diagnosis codes may be 国家临床版 2.0 codes (I10.x00x002); every version-0 visit stays valid.
    version: 1,
    // The day's queue: visits of a date by status, in queue order.
    indexes: ['patientId', ['visitDate', 'status', 'queueNumber']],
    encrypted: ['complaint', 'vitals', 'diagnoses', 'notes', 'amendments'],
  }),
  orders: define({ schema: orderSchema, version: 0, indexes: ['visitId', ['patientId', 'itemCode']], encrypted: ['recognition'] }),
  // Recognition: a patient's results of an item, newest last.
  results: define({ schema: resultSchema, version: 0, indexes: [['patientId', 'itemCode', 'performedAt']], encrypted: ['values', 'reportText'] }),
  // The center's worklist: state, urgent first, oldest first.
  ecgStudies: define({
    schema: ecgStudySchema,
    version: 0,
    indexes: ['patientId', 'visitId', ['readingState', 'priority', 'capturedAt']],
    encrypted: ['clinicalNote', 'measurements'],
  }),
  ecgReports: define({ schema: ecgReportSchema, version: 1, indexes: ['studyId', 'patientId'], encrypted: ['statements', 'freeText'] }),
  // 互认事件: reminders, views and decisions, counted by the hub's indicators.
  recognitionEvents: define({ schema: recognitionEventSchema, version: 0, indexes: ['visitId', 'patientId'], encrypted: ['note'] }),
} as const;

export type CollectionName = keyof typeof recordDefinitions;
export const collectionNames = Object.keys(recordDefinitions) as CollectionName[];

export interface RecordTypes {
  patients: Patient;
  visits: Visit;
  orders: Order;
  results: Result;
  ecgStudies: EcgStudy;
  ecgReports: EcgReport;
  recognitionEvents: RecognitionEvent;
}

export const isCollectionName = (name: string): name is CollectionName => Object.hasOwn(recordDefinitions, name);

/** Applies write-time preparation, then validates. */
export const validateRecord = <C extends CollectionName>(collection: C, data: unknown): ValidationOutcome<RecordTypes[C]> => {
  const definition = recordDefinitions[collection] as RecordDefinition;
  const prepared =
    definition.prepare && typeof data === 'object' && data !== null && !Array.isArray(data)
      ? definition.prepare(data as Record<string, unknown>)
      : data;
  return validateWith(collection, definition.schema, prepared) as ValidationOutcome<RecordTypes[C]>;
};

export const rxdbSchemaFor = (collection: CollectionName): Record<string, unknown> => {
  const d = recordDefinitions[collection];
  return toRxdbJsonSchema(d.schema, { version: d.version, indexes: d.indexes, title: collection });
};
