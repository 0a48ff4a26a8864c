/**
 * One demo stack per test, each in its own data directory (Actual Budget's habit: a fresh data dir
 * per Playwright test), so tests never see each other's patients or device settings.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startDemoStack, type DemoStack } from '../../../build/demo/stack.ts';

export interface TestDemoStack extends DemoStack {
  dataDir: string;
}

export async function startTestDemoStack(): Promise<TestDemoStack> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cw-demo-'));
  const stack = await startDemoStack({ dataDir, uiPort: 0, hubPort: 0 });
  return {
    ...stack,
    dataDir,
    async close() {
      await stack.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
