/**
 * Schema migrations of the local database, per collection. RxDB runs strategy N on each stored
 * document of version N-1 when a collection opens with schema version N (core/records/definitions.ts
 * holds the versions). A schema that changes in any way RxDB stores (even a widened pattern) needs a
 * new version, or databases created with the old one refuse to open; schema-versions.test.ts pins them.
 *
 * To change a record's shape: bump `version` in recordDefinitions, add the strategy here, e.g.
 *   patients: { 1: (old) => ({ ...old, preferredLanguage: 'zh' }) },
 * and extend migrations.test.ts with a document of the old shape. Returning null drops a document.
 */
import type { MigrationStrategies } from 'rxdb';
import type { CollectionName } from '../../core/records/index.ts';

export const migrationStrategies: Record<CollectionName, MigrationStrategies> = {
  patients: {},
  // 1: the diagnosis code pattern widened to the national clinical edition; old visits pass unchanged.
  visits: { 1: (old: Record<string, unknown>) => old },
  orders: {},
  results: {},
  ecgStudies: {},
  // 1: the hub's acknowledgement of a 危急值 (acknowledgedBy/At, optional); old reports pass unchanged.
  ecgReports: { 1: (old: Record<string, unknown>) => old },
  recognitionEvents: {},
};
