/**
 * Benchmarks' figures in a structured form, for the one report `npm run bench` writes
 * (tests/bench/run.ts → docs/performance.md and docs/performance.json). A bench calls `figure()`
 * beside the line it prints; when run.ts runs it, BENCH_FIGURES names a file and each figure is
 * appended there as one JSON line. Run alone, a bench prints as before and `figure()` does nothing.
 */
import { appendFileSync } from 'node:fs';
import path from 'node:path';

export interface FigureTarget {
  /** The figure meets the target when `value op target` holds. */
  op: '<' | '<=' | '>' | '>=';
  value: number;
}

export interface Figure {
  /** What was measured, in a few words: 'live propagation p95'. */
  name: string;
  value: number | null;
  unit: string;
  target?: FigureTarget;
  /** Conditions worth keeping beside the number (sizes, link, store). */
  note?: string;
}

export interface RecordedFigure extends Figure {
  bench: string;
}

export function figure(f: Figure): void {
  const file = process.env.BENCH_FIGURES;
  if (!file) return;
  const bench = process.env.BENCH_NAME ?? path.basename(process.argv[1] ?? 'bench').replace(/\.bench\.ts$/, '');
  appendFileSync(file, `${JSON.stringify({ bench, ...f } satisfies RecordedFigure)}\n`);
}

export const meets = (value: number | null, target: FigureTarget | undefined): boolean | null => {
  if (!target || value === null || !Number.isFinite(value)) return null;
  switch (target.op) {
    case '<':
      return value < target.value;
    case '<=':
      return value <= target.value;
    case '>':
      return value > target.value;
    case '>=':
      return value >= target.value;
  }
};
