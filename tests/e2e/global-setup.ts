/**
 * Builds the renderer once for the whole E2E run, so each test's demo stack only serves files.
 * Skips the build (and the suites skip themselves) when Chromium is missing outside CI.
 */
import { ensureRendererBuild } from '../../build/demo/renderer-build.ts';
import { requireSystemDependency } from '../support/system-deps.ts';

export default async function setup(): Promise<void> {
  if (!requireSystemDependency('chromium')) return;
  await ensureRendererBuild((line) => console.log(line));
}
