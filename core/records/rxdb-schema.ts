/**
 * Derives an RxDB JSON schema from a record's zod schema, so one definition drives both validation
 * and storage (architecture: "one definition"). zod 4's `z.toJSONSchema` gives standard JSON Schema;
 * RxDB additionally needs `version`, `primaryKey`, `indexes`, a `maxLength` on every indexed string,
 * `minimum`/`maximum`/`multipleOf` on every indexed number, and indexed fields required. This module
 * adds those and refuses (throws at startup, caught by tests) a definition RxDB could not index.
 *
 * Written here rather than taken from a library: no maintained zod-4 → RxDB converter exists, and the
 * rules are few. The output is plain JSON; sync/client hands it to RxDB as an RxJsonSchema.
 */
import { z } from 'zod';

export type IndexSpec = string | readonly string[];

export interface RxdbSchemaOptions {
  /** RxDB schema version; bump with a migration strategy in sync/client/migrations.ts. */
  version: number;
  indexes: readonly IndexSpec[];
  /** Fields stored as ciphertext (RxDB's `encrypted`, sync/client/field-encryption.ts); never indexed ones. Omitted: none. */
  encrypted?: readonly string[];
  primaryKey?: string;
  title?: string;
}

type JsonSchema = Record<string, unknown> & {
  type?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  maxLength?: number;
  enum?: unknown[];
  format?: string;
};

/** Lengths of the string formats zod writes, so dates can be indexed without a hand-written max. */
const formatMaxLength: Record<string, number> = {
  date: 10,
  // 2026-11-23T11:02:27.123456789+08:00
  'date-time': 40,
};

export class RecordSchemaDefinitionError extends Error {
  override readonly name = 'RecordSchemaDefinitionError';
}

const stripDraftMarker = (schema: JsonSchema): JsonSchema => {
  const { $schema: _ignored, ...rest } = schema;
  return rest;
};

export const toRxdbJsonSchema = (zodSchema: z.ZodType, options: RxdbSchemaOptions): Record<string, unknown> => {
  const json = stripDraftMarker(z.toJSONSchema(zodSchema, { io: 'output', unrepresentable: 'throw' }) as JsonSchema);
  const primaryKey = options.primaryKey ?? 'id';
  const properties = json.properties ?? {};
  const required = new Set(json.required ?? []);
  const indexedFields = new Set([primaryKey, ...options.indexes.flatMap((i) => (typeof i === 'string' ? [i] : [...i]))]);

  for (const field of indexedFields) {
    const property = properties[field];
    if (!property) throw new RecordSchemaDefinitionError(`${options.title ?? 'schema'}: indexed field "${field}" does not exist`);
    if (!required.has(field)) {
      throw new RecordSchemaDefinitionError(`${options.title ?? 'schema'}: indexed field "${field}" must be required (RxDB cannot index optional fields)`);
    }
    if (property.type === 'string') {
      const fromFormat = property.format ? formatMaxLength[property.format] : undefined;
      const fromEnum = property.enum ? Math.max(...property.enum.map((v) => String(v).length)) : undefined;
      const maxLength = property.maxLength ?? fromEnum ?? fromFormat;
      if (maxLength === undefined) {
        throw new RecordSchemaDefinitionError(`${options.title ?? 'schema'}: indexed string "${field}" needs a maximum length`);
      }
      properties[field] = { ...property, maxLength };
    } else if (property.type === 'integer' || property.type === 'number') {
      if (typeof property.minimum !== 'number' || typeof property.maximum !== 'number') {
        throw new RecordSchemaDefinitionError(`${options.title ?? 'schema'}: indexed number "${field}" needs a minimum and maximum`);
      }
      properties[field] = { ...property, type: 'number', multipleOf: property.type === 'integer' ? 1 : (property.multipleOf ?? 0.001) };
    } else if (property.type !== 'boolean') {
      throw new RecordSchemaDefinitionError(`${options.title ?? 'schema'}: field "${field}" of this type cannot be indexed`);
    }
  }

  for (const field of options.encrypted ?? []) {
    if (!properties[field]) throw new RecordSchemaDefinitionError(`${options.title ?? 'schema'}: encrypted field "${field}" does not exist`);
    if (indexedFields.has(field)) throw new RecordSchemaDefinitionError(`${options.title ?? 'schema'}: field "${field}" is indexed, so it cannot be encrypted`);
  }

  return {
    ...(options.title ? { title: options.title } : {}),
    version: options.version,
    primaryKey,
    type: 'object',
    properties,
    required: [...required],
    indexes: options.indexes.map((i) => (typeof i === 'string' ? i : [...i])),
    additionalProperties: false,
    ...(options.encrypted?.length ? { encrypted: [...options.encrypted] } : {}),
  };
};
