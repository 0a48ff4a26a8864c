/**
 * A clinic PC keeps its IndexedDB across app updates. RxDB refuses to open a collection whose stored
 * schema differs from the app's at the same version (even a widened pattern changes it), so every
 * change to what RxDB stores must come with a new version and a migration (migrations.ts). This pins
 * each collection's schema to its version: when it fails, bump the version — do not update the hash
 * alone.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { recordDefinitions, type CollectionName } from '../../core/records/index.ts';
import { rxdbSchemaOf } from './database.ts';
import { migrationStrategies } from './migrations.ts';

/** collection → [schema version, first 12 hex of the SHA-256 of its RxDB schema at that version]. */
const shipped: Record<CollectionName, [number, string]> = {
  patients: [0, '53f18437844b'],
  visits: [1, 'b1b87e8a53ed'],
  orders: [0, '785d4fb83107'],
  results: [0, '66c31dc09acb'],
  ecgStudies: [0, 'b9fb10336fe5'],
  ecgReports: [1, '6c38080d6297'],
  recognitionEvents: [0, '114e6e1bb546'],
};

describe('local schema versions', () => {
  it.each(Object.entries(shipped) as Array<[CollectionName, [number, string]]>)('%s changes its stored schema only with a new version', (name, [version, hash]) => {
    const definition = recordDefinitions[name];
    const schema = JSON.stringify(rxdbSchemaOf(name, definition));
    expect(definition.version).toBe(version);
    expect(createHash('sha256').update(schema).digest('hex').slice(0, 12)).toBe(hash);
    // Every version above 0 has its migration strategy.
    for (let v = 1; v <= version; v++) expect(typeof migrationStrategies[name][v]).toBe('function');
  });
});
