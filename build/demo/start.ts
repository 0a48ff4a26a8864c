/**
 * `npm start`: the workstation in demo mode on a machine with no hardware. Starts the embedded hub,
 * the device simulators and the UI; prints the URL; Ctrl-C stops everything cleanly.
 * Where an Electron binary exists it also builds and opens the desktop window (electron-launch.ts);
 * where none exists (docs/stack.md) the browser-mode UI is what runs.
 */
import { startDemoStack } from './stack.ts';
import { userDataDir } from './user-data-dir.ts';
import { electronBinary } from './electron-binary.ts';
import { electronLaunch, startElectron } from './electron-launch.ts';
import { buildElectron } from '../scripts/build-electron.ts';

const dataDir = userDataDir();
const uiPort = Number(process.env.CLINIC_WORKSTATION_UI_PORT ?? 5180);
const log = (line: string) => console.log(line);

log(`Clinic Workstation demo / 乡镇卫生院工作站演示 — data folder: ${dataDir}`);
const started = Date.now();
const stack = await startDemoStack({ dataDir, uiPort, log }).catch((error: unknown) => {
  console.error(`Could not start the demo / 演示无法启动: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

const electron = electronBinary();
if (electron && process.env.CLINIC_WORKSTATION_SHELL !== 'browser') {
  // The desktop window too (CLINIC_WORKSTATION_SHELL=browser skips it); the browser UI stays up.
  await buildElectron(log);
  startElectron(electronLaunch(electron, { hubUrl: stack.hubUrl, dataDir }));
  log(`Electron window opened (${electron}).`);
} else {
  log(electron ? 'Browser mode only (CLINIC_WORKSTATION_SHELL=browser).' : 'No Electron binary on this machine (`npx install-electron` fetches it; README, quick start): serving the browser-mode UI.');
}
log('');
log(`  Open / 打开:  ${stack.uiUrl}`);
log(`  County hub / 县级平台:  ${stack.hubUrl}`);
log(`  ECG reading room / 心电阅片室:  ${stack.hubUrl}/reading-room/  (cardiologist / demo1234)`);
log(`  Ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Press Ctrl-C to stop / 按 Ctrl-C 退出.`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log(`\n${signal}: stopping… / 正在停止…`);
  await stack.close();
  log('Stopped. / 已停止。');
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
