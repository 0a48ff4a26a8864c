/**
 * Registration look-ups on real IndexedDB in Chromium: N generated patients (default 20,000; set
 * BENCH_PATIENTS), then the p50/p95 of a look-up by ID number and of the search box's name, pinyin
 * initials and full-pinyin prefix searches (20 results), through the sync client's own functions.
 *
 *   npx tsx tests/bench/registration.bench.ts
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { openBrowser } from '../e2e/support/browser.ts';

const patients = Number(process.env.BENCH_PATIENTS ?? 20_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 200);

const outDir = await mkdtemp(path.join(os.tmpdir(), 'cw-bench-'));
await build({
  configFile: false,
  logLevel: 'warn',
  build: { outDir, emptyOutDir: true, target: 'chrome120', lib: { entry: path.join(import.meta.dirname, 'registration/in-browser.ts'), formats: ['es'], fileName: () => 'bench.js' } },
});
// The bundle and its lazily loaded chunks (RxDB dev-mode) are served from outDir.
const server = createServer((request, response) => {
  const name = path.basename(request.url ?? '/');
  if (name.endsWith('.js')) {
    void readFile(path.join(outDir, name)).then(
      (body) => response.writeHead(200, { 'content-type': 'text/javascript' }).end(body),
      () => response.writeHead(404).end(),
    );
    return;
  }
  response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><meta charset="utf-8"><script type="module" src="/bench.js"></script>');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const browser = await openBrowser();

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

try {
  const page = await browser.context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await page.waitForFunction(() => 'registrationBench' in globalThis);
  type Bench = { seed(n: number): Promise<{ seconds: number }>; measure(r: number): Promise<Record<string, { ms: number[]; hits: number; queries: number }>> };
  const seeded = await page.evaluate((n) => (globalThis as unknown as { registrationBench: Bench }).registrationBench.seed(n), patients);
  console.log(`Seeded ${patients} patients into IndexedDB (RxDB/Dexie, Chromium) in ${seeded.seconds.toFixed(1)} s`);
  const results = await page.evaluate((r) => (globalThis as unknown as { registrationBench: Bench }).registrationBench.measure(r), rounds);
  console.log(`Distinct queries (at most ${rounds} each), ms:`);
  for (const [name, { ms, hits, queries }] of Object.entries(results)) {
    console.log(
      `  ${name.padEnd(15)} n ${String(queries).padStart(4)}  p50 ${percentile(ms, 50).toFixed(1).padStart(6)}  p95 ${percentile(ms, 95).toFixed(1).padStart(6)}  max ${Math.max(...ms).toFixed(1).padStart(6)}  (avg ${(hits / queries).toFixed(1)} hits)`,
    );
  }
} finally {
  await browser.close();
  server.close();
  await rm(outDir, { recursive: true, force: true });
}
