/**
 * Picks the WorkstationApi implementation for this shell: the object the Electron preload exposed,
 * or, in a plain browser, a client of the local device agent's WebSocket. The rest of the renderer
 * sees only the interface.
 */
import type { AppInfo, WorkstationApi } from '../../core/contract/workstation-api.ts';
import { agentToken, type RuntimeConfig } from './runtime-config.ts';
import { createAgentClient } from './agent-client.ts';

declare global {
  interface Window {
    /** Set by electron/preload when running inside the desktop app. */
    workstation?: WorkstationApi;
  }
}

/** A workstation with no device agent: the reading room in any browser, or a PC without devices. */
export function deviceLessWorkstation(info: AppInfo): WorkstationApi {
  return {
    app: { info: async () => info },
    devices: {
      listPorts: async () => [],
      listAssignments: async () => [],
      configure: async () => {
        throw new Error('No device agent is running on this computer');
      },
      subscribe: () => () => undefined,
    },
  };
}

export function browserAppInfo(config: RuntimeConfig): AppInfo {
  return {
    name: 'Clinic Workstation',
    version: import.meta.env.VITE_APP_VERSION ?? '0.1.0',
    shell: 'browser',
    demo: config.demo,
    hubUrl: config.hubUrl,
  };
}

export async function connectWorkstation(config: RuntimeConfig, token: string | undefined = agentToken()): Promise<WorkstationApi> {
  if (window.workstation) return window.workstation;
  // Browser mode with a device agent on this machine: its WebSocket, authenticated with the token
  // the launcher put in the URL fragment. The client connects in the background and keeps retrying.
  if (config.agentUrl && token) return createAgentClient({ url: config.agentUrl, token, info: browserAppInfo(config) });
  return deviceLessWorkstation(browserAppInfo(config));
}
