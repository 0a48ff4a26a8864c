/**
 * The per-user data folder, where Electron's app.getPath('userData') would put it, so browser mode and
 * the desktop app keep the demo hub's PGlite directory and device settings in the same place.
 */
import os from 'node:os';
import path from 'node:path';

export function userDataDir(appName = 'clinic-workstation', env = process.env, platform = process.platform): string {
  if (env.CLINIC_WORKSTATION_DATA_DIR) return path.resolve(env.CLINIC_WORKSTATION_DATA_DIR);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), appName);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', appName);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), appName);
}
