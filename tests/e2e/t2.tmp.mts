import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { copyPgliteTemplate } from '../support/pglite-template.ts';
import { startHub } from '../../sync/hub/start.ts';
import { startDeviceAgentServer } from '../../devices/agent/ws-server.ts';
import { ensureRendererBuild, rendererDist } from '../../build/demo/renderer-build.ts';
const t = () => performance.now();
for (let i = 0; i < 3; i++) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cw-t-'));
  let t0 = t(); await copyPgliteTemplate(path.join(dataDir, 'hub')); const a = t() - t0;
  t0 = t(); await ensureRendererBuild(); const b = t() - t0;
  t0 = t(); const hub = await startHub({ dataDir: path.join(dataDir, 'hub'), port: 0, host: '127.0.0.1', demo: true, logLevel: 'warn', readingRoomDir: rendererDist }); const c = t() - t0;
  t0 = t(); const agent = await startDeviceAgentServer({ configDir: path.join(dataDir, 'devices'), demo: true }); const d = t() - t0;
  console.log({ copy: a, buildCheck: b, hub: c, agent: d });
  await hub.close(); await agent.close();
}
