/**
 * Builds the desktop app into out/: the main process (ESM, Node target; dependencies stay external
 * and load from node_modules), the sandboxed preload (one CommonJS file — a sandboxed preload cannot
 * import modules, so zod and the contract are bundled in) and a copy of the renderer build.
 */
import { cp, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { build } from 'vite';
import { ensureRendererBuild, projectRoot, rendererDist } from '../demo/renderer-build.ts';

export const outDir = path.join(projectRoot, 'out');

const nodeExternals = ['electron', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export async function buildElectron(log: (line: string) => void = console.log): Promise<string> {
  await ensureRendererBuild(log);
  await rm(outDir, { recursive: true, force: true });
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir: path.join(outDir, 'main'),
      emptyOutDir: true,
      ssr: path.join(projectRoot, 'electron/main/index.ts'),
      target: 'node22',
      rollupOptions: { external: nodeExternals, output: { format: 'es', entryFileNames: 'index.js' } },
    },
  });
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir: path.join(outDir, 'preload'),
      emptyOutDir: true,
      ssr: path.join(projectRoot, 'electron/preload/preload.ts'),
      ssrEmitAssets: false,
      target: 'chrome140',
      rollupOptions: { external: ['electron'], output: { format: 'cjs', entryFileNames: 'preload.cjs' } },
    },
    ssr: { noExternal: true },
  });
  await cp(rendererDist, path.join(outDir, 'renderer'), { recursive: true });
  return path.join(outDir, 'main', 'index.js');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const entry = await buildElectron();
  console.log(`Electron app built: ${entry}`);
}
