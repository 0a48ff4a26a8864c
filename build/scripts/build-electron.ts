/**
 * Builds the desktop app into out/: the main process and the device host it forks (ESM, Node
 * target; dependencies stay external and load from node_modules — electron-builder packs the
 * production dependencies, serialport's prebuilt binding unpacked from the asar), the sandboxed
 * preload (one CommonJS file — a sandboxed preload cannot import modules, so the contract is
 * bundled in; it holds no zod) and a copy of the renderer build.
 */
import { cp, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { build } from 'vite';
import { ensureRendererBuild, projectRoot, rendererDist } from '../demo/renderer-build.ts';

export const outDir = path.join(projectRoot, 'out');

const nodeExternals = ['electron', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** out/main/index.js, out/main/device-host.js and out/preload/preload.cjs. */
export async function buildElectronBundles(target: string = outDir): Promise<void> {
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir: path.join(target, 'main'),
      emptyOutDir: true,
      ssr: true,
      target: 'node22',
      rollupOptions: {
        // Main and the device host utility process (electron/main/device-host.ts) it forks.
        input: { index: path.join(projectRoot, 'electron/main/index.ts'), 'device-host': path.join(projectRoot, 'electron/main/device-host-process.ts') },
        external: nodeExternals,
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
  });
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir: path.join(target, 'preload'),
      emptyOutDir: true,
      ssr: path.join(projectRoot, 'electron/preload/preload.ts'),
      ssrEmitAssets: false,
      target: 'chrome140',
      rollupOptions: { external: ['electron'], output: { format: 'cjs', entryFileNames: 'preload.cjs' } },
    },
    ssr: { noExternal: true },
  });
}

export async function buildElectron(log: (line: string) => void = console.log): Promise<string> {
  await ensureRendererBuild(log);
  await rm(outDir, { recursive: true, force: true });
  await buildElectronBundles(outDir);
  await cp(rendererDist, path.join(outDir, 'renderer'), { recursive: true });
  return path.join(outDir, 'main', 'index.js');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const entry = await buildElectron();
  console.log(`Electron app built: ${entry}`);
}
