/**
 * `npm run package`: builds the desktop app (out/) and packs installers with electron-builder into
 * dist/installers/. Targets default to the host platform; pass `--linux`, `--win` or both. Nothing is
 * published. Needs the Electron release zip, so it runs on a build machine with network access to
 * the Electron mirror, not on the development machines here (docs/stack.md).
 *
 *   npx tsx build/scripts/package.ts [--linux] [--win]
 */
import { build as packInstallers, Platform } from 'electron-builder';
import config from '../electron-builder.config.ts';
import { projectRoot } from '../demo/renderer-build.ts';
import { buildElectron } from './build-electron.ts';

export function targetsFromArgs(args: readonly string[]): Platform[] {
  const targets = [...(args.includes('--linux') ? [Platform.LINUX] : []), ...(args.includes('--win') ? [Platform.WINDOWS] : [])];
  return targets.length > 0 ? targets : [Platform.current()];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildElectron();
  const targets = targetsFromArgs(process.argv.slice(2));
  for (const platform of targets) {
    await packInstallers({ projectDir: projectRoot, config, publish: 'never', targets: platform.createTarget() });
  }
  console.log(`Installers written to ${projectRoot}/dist/installers`);
}
