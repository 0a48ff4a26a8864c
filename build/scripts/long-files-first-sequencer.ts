/**
 * Vitest's own order puts the files it has no timing for by size, and a fresh clone (CI) has no
 * timings: the soak's short run, a small file that runs for about three minutes, started last and was
 * still running alone when everything else had finished (8 of the suite's 17 minutes, measured
 * 2026-12-06). Files known to run long go first within their group, so the three workers end together.
 * The list holds only what dominates the run's length; with a timing cache (a developer's machine),
 * vitest's longest-first order applies to everything else as before.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Path fragments of the files that run longest, longest first (seconds on a quiet 2-core machine). */
const LONG_RUNNING = [
  'tests/integration/soak/', // ≈ 160 s: a one-minute county day under faults, then the checks
  'tests/integration/hub/faults.test.ts', // ≈ 90 s: hub restarts and kills on both stores
  'tests/integration/hub/hub-start.test.ts', // ≈ 70 s: a fresh PGlite store runs initdb and every migration
];

const rank = (spec: TestSpecification): number => {
  const index = LONG_RUNNING.findIndex((fragment) => spec.moduleId.includes(fragment));
  return index === -1 ? LONG_RUNNING.length : index;
};

export default class LongFilesFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const group = (spec: TestSpecification) => spec.project.config.sequence.groupOrder;
    // Array.prototype.sort is stable: within a group and rank, vitest's own order stays.
    return sorted.sort((a, b) => group(a) - group(b) || rank(a) - rank(b));
  }
}
