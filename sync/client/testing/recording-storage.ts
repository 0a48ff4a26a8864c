/**
 * Test seam: an RxDB storage that records every document it is handed before passing it on — what
 * would reach the disk (IndexedDB) — so tests can check what a shared PC's disk would hold.
 */
import type { RxStorage } from 'rxdb';

export function recordingStorage(inner: RxStorage<unknown, unknown>): { storage: RxStorage<unknown, unknown>; written(): string } {
  const written: string[] = [];
  const storage: RxStorage<unknown, unknown> = {
    ...inner,
    async createStorageInstance(params) {
      const instance = await inner.createStorageInstance(params);
      const bulkWrite = instance.bulkWrite.bind(instance);
      instance.bulkWrite = (rows, context) => {
        for (const row of rows) written.push(JSON.stringify(row.document));
        return bulkWrite(rows, context);
      };
      return instance;
    },
  };
  return { storage, written: () => written.join('\n') };
}
