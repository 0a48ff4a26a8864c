/**
 * The demo stack behind `npm start` and the browser E2E tests: the county hub embedded (PGlite in the
 * data folder), the device agent with simulators attached, and the browser-mode UI on localhost.
 * Everything binds to 127.0.0.1 and stops cleanly with close().
 */
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { startHub } from '../../sync/hub/start.ts';
import { startDeviceAgentServer } from '../../devices/agent/ws-server.ts';
import { ensureRendererBuild, rendererDist } from './renderer-build.ts';
import { startUiServer } from './ui-server.ts';

export interface DemoStackOptions {
  /** Holds hub/ (PGlite) and devices/ (device assignments). */
  dataDir: string;
  /** UI port; 0 picks a free one. */
  uiPort?: number;
  /** Hub port; 0 picks a free one. */
  hubPort?: number;
  log?: (line: string) => void;
}

export interface DemoStack {
  /** The URL to open, with the device agent's per-session token in the fragment. */
  uiUrl: string;
  hubUrl: string;
  agentUrl: string;
  close(): Promise<void>;
}

export async function startDemoStack(options: DemoStackOptions): Promise<DemoStack> {
  const log = options.log ?? (() => undefined);
  await mkdir(options.dataDir, { recursive: true });
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const closeOne of closers.reverse()) await closeOne().catch(() => undefined);
  };
  try {
    const [hub, agent] = await Promise.all([
      // The hub serves the same build as the ECG center's reading room (/reading-room/).
      ensureRendererBuild(log).then(() =>
        startHub({ dataDir: path.join(options.dataDir, 'hub'), port: options.hubPort ?? 0, host: '127.0.0.1', demo: true, logLevel: 'warn', readingRoomDir: rendererDist }),
      ),
      startDeviceAgentServer({ configDir: path.join(options.dataDir, 'devices'), demo: true }),
    ]);
    closers.push(hub.close, agent.close);
    const ui = await startUiServer({
      root: rendererDist,
      port: options.uiPort ?? 0,
      runtimeConfig: { hubUrl: hub.url, agentUrl: agent.url, demo: true },
    });
    closers.push(ui.close);
    return { uiUrl: `${ui.url}#token=${agent.token}`, hubUrl: hub.url, agentUrl: agent.url, close };
  } catch (error) {
    await close();
    throw error;
  }
}
