/**
 * How `npm start` opens the desktop window where an Electron binary exists: the built app (out/)
 * in demo mode, pointed at the demo hub, with its own user data folder inside the demo data folder.
 * (Where no binary exists, `npm start` serves the browser-mode UI only.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from './renderer-build.ts';

export interface ElectronLaunch {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

export function electronLaunch(binary: string, options: { hubUrl: string; dataDir: string; env?: NodeJS.ProcessEnv }): ElectronLaunch {
  return {
    command: binary,
    args: [projectRoot, `--user-data-dir=${path.join(options.dataDir, 'electron')}`],
    env: {
      ...(options.env ?? process.env),
      CLINIC_WORKSTATION_DEMO: '1',
      CLINIC_WORKSTATION_HUB_URL: options.hubUrl,
      // A dev URL would make main trust that origin; the demo window loads the built UI from disk.
      CLINIC_WORKSTATION_DEV_URL: undefined,
    },
  };
}

export function startElectron(launch: ElectronLaunch): ChildProcess {
  return spawn(launch.command, launch.args, { env: launch.env, stdio: 'inherit' });
}
