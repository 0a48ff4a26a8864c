/**
 * Schema migrations of the local database, per collection. RxDB runs strategy N on each stored
 * document of version N-1 when a collection opens with schema version N (core/records/definitions.ts
 * holds the versions). Every collection is at version 0, so there is nothing to migrate yet.
 *
 * To change a record's shape: bump `version` in recordDefinitions, add the strategy here, e.g.
 *   patients: { 1: (old) => ({ ...old, preferredLanguage: 'zh' }) },
 * and extend migrations.test.ts with a document of the old shape. Returning null drops a document.
 */
import type { MigrationStrategies } from 'rxdb';
import type { CollectionName } from '../../core/records/index.ts';

export const migrationStrategies: Record<CollectionName, MigrationStrategies> = {
  patients: {},
  visits: {},
  orders: {},
  results: {},
  ecgStudies: {},
  ecgReports: {},
  recognitionEvents: {},
};
