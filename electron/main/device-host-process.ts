/**
 * Entry point of the device host utility process (bundled to out/main/device-host.js; see
 * device-host.ts for how messages flow). Runs the same device agent server as browser mode, bound to
 * 127.0.0.1 with a fresh random token, and tells main where it is over the parentPort.
 */
import { startDeviceAgentServer } from '../../devices/agent/ws-server.ts';

const configDir = process.env.CLINIC_WORKSTATION_DEVICE_CONFIG_DIR;
if (!configDir) throw new Error('CLINIC_WORKSTATION_DEVICE_CONFIG_DIR is not set');

const server = await startDeviceAgentServer({
  configDir,
  demo: process.env.CLINIC_WORKSTATION_DEMO === '1',
  appInfo: { shell: 'electron' },
});
process.parentPort.postMessage({ type: 'ready', url: server.url, token: server.token });

process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
