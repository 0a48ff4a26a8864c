/**
 * Makes sure dist/renderer holds a build of the current renderer sources. A fresh clone has none, so
 * the first `npm start` builds it (a few seconds); later starts reuse it unless a source is newer.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const rendererDist = path.join(projectRoot, 'dist', 'renderer');

const sourceRoots = ['renderer', 'core', 'sync/client', 'sync/protocol'].map((p) => path.join(projectRoot, p));

function newestSourceTime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceTime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

export function rendererBuildIsCurrent(): boolean {
  const index = path.join(rendererDist, 'index.html');
  if (!existsSync(index)) return false;
  const built = statSync(index).mtimeMs;
  return sourceRoots.every((root) => newestSourceTime(root) <= built);
}

export async function ensureRendererBuild(log: (line: string) => void = () => undefined): Promise<void> {
  if (rendererBuildIsCurrent()) return;
  log('Building the workstation UI (first start only)… / 正在构建界面（仅首次启动）…');
  const { build } = await import('vite');
  await build({ configFile: path.join(projectRoot, 'vite.config.ts'), logLevel: 'warn' });
}
