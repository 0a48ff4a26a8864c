import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronLaunch } from './electron-launch.ts';
import { projectRoot } from './renderer-build.ts';

describe('npm start in Electron', () => {
  it('opens the built app in demo mode against the demo hub, with user data inside the demo folder', () => {
    const launch = electronLaunch('/opt/electron/electron', {
      hubUrl: 'http://127.0.0.1:5181',
      dataDir: '/tmp/cw-demo',
      env: { PATH: '/usr/bin', CLINIC_WORKSTATION_DEV_URL: 'http://evil.example' },
    });
    expect(launch.command).toBe('/opt/electron/electron');
    expect(launch.args).toEqual([projectRoot, `--user-data-dir=${path.join('/tmp/cw-demo', 'electron')}`]);
    expect(launch.env).toMatchObject({ PATH: '/usr/bin', CLINIC_WORKSTATION_DEMO: '1', CLINIC_WORKSTATION_HUB_URL: 'http://127.0.0.1:5181' });
    expect(launch.env.CLINIC_WORKSTATION_DEV_URL).toBeUndefined();
  });
});
