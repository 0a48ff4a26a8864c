/**
 * Picks the WorkstationApi implementation for this shell: the object the Electron preload exposed,
 * or, in a plain browser, a client of the local device agent's WebSocket. The rest of the renderer
 * sees only the interface.
 */
import type { AppInfo, WorkstationApi } from '../../core/contract/workstation-api.ts';
import type { RuntimeConfig } from './runtime-config.ts';

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

export async function connectWorkstation(config: RuntimeConfig): Promise<WorkstationApi> {
  if (window.workstation) return window.workstation;
  return deviceLessWorkstation(browserAppInfo(config));
}
