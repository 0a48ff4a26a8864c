/**
 * electron-builder 26 configuration of the desktop app (loaded by electron-builder itself through
 * `--config build/electron-builder.config.ts`, and by build/scripts/package.ts). Packs only the
 * built app (out/**, made by `npm run build:electron`) plus the production dependencies
 * electron-builder collects from package.json; no source file goes into the installer.
 *
 *   Windows: NSIS installer, x64, Chinese (simplified) installer UI.
 *   Linux:   .deb and AppImage for x64 and arm64 (domestic ARM desktops run Kylin/UOS, Debian-based).
 *   Both:    opens .dcm (DICOM 12-lead ECG) and .scp (SCP-ECG) files.
 *
 * Auto-update: a generic update feed is configured so electron-builder writes app-update.yml into
 * the package, but nothing is published (`--publish never`) and the app checks for updates only
 * when its settings turn auto-update on (off by default; electron/main/auto-update.ts loads
 * electron-updater only then). The feed URL is a placeholder (.invalid never resolves): a county
 * that wants updates sets `publish.url` to the HTTPS folder where its IT puts latest.yml and the
 * installers (build/README.md, "Updates").
 */
import type { Configuration } from 'electron-builder';

export const productNameZh = '乡镇卫生院工作站';

const config: Configuration = {
  appId: 'cn.county.clinicworkstation',
  productName: productNameZh,
  copyright: 'Copyright © 2026 County Medical Community',
  // An ASCII executable and artifact name: Chinese paths still trip some Windows tools and CI.
  executableName: 'clinic-workstation',
  artifactName: 'clinic-workstation-${version}-${os}-${arch}.${ext}',
  // dist/ is git-ignored, and outside out/ so one build's installers never go into the next.
  directories: { output: 'dist/installers', buildResources: 'build/icons' },
  files: ['out/**/*', '!out/**/*.map'],
  asar: true,
  // serialport's native binding cannot be loaded from inside an asar archive.
  asarUnpack: ['**/*.node'],
  icon: 'build/icons/icon.png',
  fileAssociations: [
    { ext: 'dcm', name: 'DICOM ECG', description: 'DICOM 十二导联心电图', mimeType: 'application/dicom', role: 'Viewer' },
    { ext: 'scp', name: 'SCP-ECG', description: 'SCP-ECG 心电图', mimeType: 'application/x-scp-ecg', role: 'Viewer' },
  ],
  publish: [{ provider: 'generic', url: 'https://hub.county.invalid/updates/clinic-workstation', channel: 'latest' }],
  // Harden the packaged binary: no "run as plain Node", no NODE_OPTIONS or --inspect, app code only
  // from the (integrity-checked) asar.
  electronFuses: {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    enableCookieEncryption: true,
  },
  win: {
    target: [{ target: 'nsis', arch: ['x64'] }],
  },
  nsis: {
    oneClick: false,
    perMachine: true,
    allowToChangeInstallationDirectory: true,
    // 2052: Chinese (Simplified, PRC) — the installer speaks the nurses' language.
    language: '2052',
    installerLanguages: ['zh_CN'],
    unicode: true,
    shortcutName: productNameZh,
    createDesktopShortcut: true,
    createStartMenuShortcut: true,
  },
  linux: {
    target: [
      { target: 'deb', arch: ['x64', 'arm64'] },
      { target: 'AppImage', arch: ['x64', 'arm64'] },
    ],
    category: 'Office',
    synopsis: 'Offline-first workstation for township clinics',
    maintainer: 'County Medical Community IT <it@county.invalid>',
    executableName: 'clinic-workstation',
  },
  deb: {
    // Serial readers: the installing user is added to dialout by the clinic's IT, not by the package.
    priority: 'optional',
  },
};

export default config;
