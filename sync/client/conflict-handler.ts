/**
 * RxDB conflict handlers built from the shared rules in sync/protocol: the client resolves exactly as
 * the hub's checkWrite expects, so a resolved conflict is accepted on the next push.
 */
import type { RxConflictHandler, WithDeleted } from 'rxdb';
import type { CollectionName, RecordTypes } from '../../core/records/index.ts';
import { resolveConflict, sameDocumentState, type WireDocument, type Writer } from '../protocol/index.ts';

export const createConflictHandler = <C extends CollectionName>(collection: C, writer: Writer): RxConflictHandler<RecordTypes[C]> => ({
  isEqual: (a, b) => sameDocumentState(a, b),
  resolve: async (input) =>
    resolveConflict(
      collection,
      {
        newDocumentState: input.newDocumentState as WireDocument<C>,
        realMasterState: input.realMasterState as WireDocument<C>,
        assumedMasterState: input.assumedMasterState as WireDocument<C> | undefined,
      },
      writer,
    ) as WithDeleted<RecordTypes[C]>,
});
