import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import LongFilesFirstSequencer from './build/scripts/long-files-first-sequencer.ts';

/**
 * Four projects, one runner:
 * - unit: pure and Node code, beside the code (`*.test.ts`);
 * - dom: React components and the client services in jsdom (`renderer/**\/*.test.tsx`, `services/`);
 * - integration: cross-cutting suites with real PostgreSQL, real ptys (socat), real files;
 * - e2e: the demo stack driven in real Chromium through playwright-core.
 * Benchmarks live in tests/bench and run only through `npm run bench`.
 *
 * unit, dom and integration run together (group 0): integration suites mostly wait on hubs,
 * databases and ptys, so they share the two CI cores well. e2e runs after them (group 1), one file
 * at a time, since each file drives its own Chromium and demo stack.
 */
export default defineConfig({
  test: {
    reporters: ['default', './build/scripts/summary-reporter.ts'],
    // Vitest's default is one worker less than the cores: a single worker on a 2-core CI machine,
    // which ran the suite file after file (≈12 min). Most files wait on I/O, so three overlap well.
    maxWorkers: 3,
    // The soak's short run and the other long files start first, not last (see the sequencer).
    sequence: { sequencer: LongFilesFirstSequencer },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['{core,devices,sync,electron,build,cli}/**/*.test.ts', 'tests/boundaries/**/*.test.ts', 'tests/docs/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        plugins: [react()],
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['renderer/**/*.test.{ts,tsx}', 'services/**/*.test.ts'],
          setupFiles: ['renderer/testing/dom-setup.ts'],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          environment: 'node',
          // tests/security: the attacks of issue 13 replayed against real hubs (PostgreSQL and PGlite).
          include: ['tests/integration/**/*.test.ts', 'tests/security/**/*.test.ts'],
          testTimeout: 60_000,
          // A hub on a fresh store plus scrypt sign-ins: a minute is not always enough on a loaded 2-core machine.
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['tests/e2e/**/*.e2e.test.ts'],
          globalSetup: ['tests/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
