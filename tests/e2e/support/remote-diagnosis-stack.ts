/**
 * Two sites on one machine for the remote-diagnosis E2E: the county hub (serving the reading room
 * at /reading-room/), and a clinic — the device agent with its simulators and the browser-mode UI —
 * whose link to the hub runs through a fault proxy, so a test can cut the clinic's network while
 * the center stays online.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { rendererDist } from '../../../build/demo/renderer-build.ts';
import { startUiServer } from '../../../build/demo/ui-server.ts';
import { startDeviceAgentServer } from '../../../devices/agent/ws-server.ts';
import { startHub, type StartedHub } from '../../../sync/hub/start.ts';
import { copyPgliteTemplate } from '../../support/pglite-template.ts';
import { FaultProxy } from '../../integration/hub/support/fault-proxy.ts';

export interface RemoteDiagnosisStack {
  hub: StartedHub;
  /** The clinic UI (its hub URL is the proxy). */
  clinicUrl: string;
  /** Cuts every connection from the clinic to the hub until restoreClinicLink(). */
  cutClinicLink(): void;
  restoreClinicLink(): void;
  close(): Promise<void>;
}

export async function startRemoteDiagnosisStack(): Promise<RemoteDiagnosisStack> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cw-remote-'));
  await copyPgliteTemplate(path.join(dataDir, 'hub'));
  const [hub, agent] = await Promise.all([
    startHub({ dataDir: path.join(dataDir, 'hub'), port: 0, host: '127.0.0.1', demo: true, logLevel: 'warn', readingRoomDir: rendererDist }),
    startDeviceAgentServer({ configDir: path.join(dataDir, 'devices'), demo: true }),
  ]);
  const proxy = new FaultProxy(Number(new URL(hub.url).port));
  const proxyUrl = await proxy.listen();
  const ui = await startUiServer({ root: rendererDist, port: 0, runtimeConfig: { hubUrl: proxyUrl, agentUrl: agent.url, demo: true } });
  return {
    hub,
    clinicUrl: `${ui.url}#token=${agent.token}`,
    cutClinicLink() {
      proxy.always({ kind: 'cut-request', afterBytes: 0 });
      proxy.dropAll(); // the live stream and any upload in flight die as on a dead link
    },
    restoreClinicLink() {
      proxy.always({ kind: 'none' });
    },
    async close() {
      await ui.close().catch(() => undefined);
      await proxy.close().catch(() => undefined);
      await agent.close().catch(() => undefined);
      await hub.close().catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
