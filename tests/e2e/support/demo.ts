/**
 * One demo stack per test, each in its own data directory (Actual Budget's habit: a fresh data dir
 * per Playwright test), so tests never see each other's patients or device settings. The hub's
 * PGlite store starts as a copy of the migrated template (tests/support/pglite-template.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startDemoStack, type DemoStack } from '../../../build/demo/stack.ts';
import { rendererDist } from '../../../build/demo/renderer-build.ts';
import { startUiServer } from '../../../build/demo/ui-server.ts';
import { startDeviceAgentServer } from '../../../devices/agent/ws-server.ts';
import { startHub } from '../../../sync/hub/start.ts';
import { copyPgliteTemplate } from '../../support/pglite-template.ts';

export interface TestDemoStack extends DemoStack {
  dataDir: string;
}

export async function startTestDemoStack(): Promise<TestDemoStack> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cw-demo-'));
  await copyPgliteTemplate(path.join(dataDir, 'hub'));
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

export interface StoppableHubStack {
  uiUrl: string;
  hubUrl: string;
  /** Stops the county hub; the UI keeps pointing at its address, which now refuses connections. */
  stopHub(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The demo UI and device agent with a county hub the test can stop: a clinic whose network goes
 * down after the staff signed in at least once (offline sign-in needs that first online one).
 */
export async function startDemoStackWithStoppableHub(): Promise<StoppableHubStack> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cw-stoppable-'));
  await copyPgliteTemplate(path.join(dataDir, 'hub'));
  const [hub, agent] = await Promise.all([
    startHub({ dataDir: path.join(dataDir, 'hub'), port: 0, host: '127.0.0.1', demo: true, logLevel: 'warn' }),
    startDeviceAgentServer({ configDir: path.join(dataDir, 'devices'), demo: true }),
  ]);
  const ui = await startUiServer({ root: rendererDist, port: 0, runtimeConfig: { hubUrl: hub.url, agentUrl: agent.url, demo: true } });
  let hubRunning = true;
  const stopHub = async () => {
    if (!hubRunning) return;
    hubRunning = false;
    await hub.close();
  };
  return {
    uiUrl: `${ui.url}#token=${agent.token}`,
    hubUrl: hub.url,
    stopHub,
    async close() {
      await ui.close();
      await agent.close();
      await stopHub();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
