// The project's postinstall: fetches the Electron binary that `npm start` and packaging need.
// Electron 45 ships no install script of its own (it downloads on first launch, or with
// `npx install-electron`), and npm 11 runs no dependency's install script that package.json's
// allowScripts does not approve; without this step `npm install` left no binary and `npm start`
// quietly served the browser-mode UI only. Electron's own installer does the work (version check,
// checksums, cache, ELECTRON_MIRROR); it returns at once when the binary is already there.
//
// ELECTRON_SKIP_BINARY_DOWNLOAD=1 skips the download: CI and machines that cannot reach the
// download host (the app then runs in browser mode). In mainland China set
// ELECTRON_MIRROR=https://npmmirror.com/mirrors/electron/ (README, quick start).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const skip = process.env.ELECTRON_SKIP_BINARY_DOWNLOAD;
if (skip && skip !== '0' && skip !== 'false') {
  console.log('electron: ELECTRON_SKIP_BINARY_DOWNLOAD is set, so no Electron binary is fetched; `npm start` will serve the browser-mode UI.');
  process.exit(0);
}

let installer;
try {
  installer = createRequire(import.meta.url).resolve('electron/install.js');
} catch {
  // `npm install --omit=dev` (a hub-only install) has no Electron to fetch a binary for.
  process.exit(0);
}

const result = spawnSync(process.execPath, [installer], { stdio: 'inherit' });
if (result.status !== 0) {
  console.error(
    [
      '',
      '无法下载 Electron 程序文件。中国大陆请设置镜像后重新安装：ELECTRON_MIRROR=https://npmmirror.com/mirrors/electron/',
      'The Electron binary could not be downloaded. In mainland China set',
      '  ELECTRON_MIRROR=https://npmmirror.com/mirrors/electron/ and install again;',
      'to install without the desktop shell (browser mode only) set ELECTRON_SKIP_BINARY_DOWNLOAD=1.',
      '',
    ].join('\n'),
  );
  process.exit(result.status ?? 1);
}
