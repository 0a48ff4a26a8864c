/**
 * Test seam: blob rows in a Map, standing for the IndexedDB database (Node has none). `disk()` is what
 * IndexedDB would hold: every row as stored, bytes included, for tests of what a shared PC's disk keeps.
 */
import type { BlobRow, BlobRows } from '../blob-store.ts';

export function memoryBlobRows(initial: BlobRow[] = []): BlobRows & { disk(): BlobRow[]; failPutsAfter(n: number): void } {
  const rows = new Map(initial.map((r) => [r.sha256, structuredClone(r)]));
  let putsLeft = Infinity;
  return {
    get: async (sha256) => structuredClone(rows.get(sha256)),
    async put(row) {
      if (putsLeft-- <= 0) throw new Error('simulated crash while writing a blob');
      rows.set(row.sha256, structuredClone(row));
    },
    all: async () => [...rows.values()].map((r) => structuredClone(r)),
    close: () => undefined,
    disk: () => [...rows.values()],
    failPutsAfter(n) {
      putsLeft = n;
    },
  };
}
