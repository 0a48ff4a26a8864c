/**
 * The packaging configuration, checked by electron-builder's own loader and JSON-schema validation
 * (app-builder-lib's getConfig + validateConfiguration, the code `electron-builder` runs first), and
 * against what this project relies on: targets, architectures, file associations, asar, and that
 * no source file can end up in an installer. Packaging itself needs the Electron zip (docs/stack.md).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Configuration } from 'electron-builder';
import { projectRoot } from './demo/renderer-build.ts';
import config from './electron-builder.config.ts';
import { associatedEcgFileExtensions, ecgFileExtensions } from '../electron/main/ecg-file-open.ts';
import { drawIconPng, iconPath, iconSize } from './scripts/make-icon.ts';

const require = createRequire(import.meta.url);
const configFile = path.join(projectRoot, 'build', 'electron-builder.config.ts');

interface BuilderConfigApi {
  getConfig(projectDir: string, configPath: string, fromOptions: null): Promise<Configuration>;
  validateConfiguration(config: Configuration, logger: unknown): Promise<void>;
}
const builderConfig = require('app-builder-lib/out/util/config/config.js') as BuilderConfigApi;
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const { minimatch } = require('minimatch') as { minimatch: (file: string, pattern: string, options?: object) => boolean };

const validate = (c: Configuration) => builderConfig.validateConfiguration(c, new DebugLogger(false));

type Target = { target: string; arch: string[] };
const targetsOf = (platform: { target?: unknown } | null | undefined) => (platform?.target ?? []) as Target[];

/** What electron-builder would copy from the app folder: matches a positive pattern, no negation. */
function packed(file: string, patterns: readonly string[]): boolean {
  let included = false;
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) {
      if (minimatch(file, pattern.slice(1), { dot: true })) included = false;
    } else if (minimatch(file, pattern, { dot: true })) included = true;
  }
  return included;
}

describe('electron-builder configuration', () => {
  it('loads through electron-builder and passes its own schema validation', async () => {
    const loaded = await builderConfig.getConfig(projectRoot, configFile, null);
    expect(loaded.appId).toBe('cn.county.clinicworkstation');
    await expect(validate(loaded)).resolves.toBeUndefined();
  });

  it('is caught by that validation when a setting is misspelled', async () => {
    await expect(validate({ ...config, nsis: { ...config.nsis, oneclick: false } as never })).rejects.toThrow(/Invalid configuration/);
  });

  it('names the app in Chinese and builds Windows NSIS x64, Linux deb and AppImage for x64 and arm64', () => {
    expect(config.productName).toBe('乡镇卫生院工作站');
    expect(targetsOf(config.win)).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    const linux = targetsOf(config.linux);
    expect(linux.map((t) => t.target).sort()).toEqual(['AppImage', 'deb']);
    for (const target of linux) expect(target.arch.sort()).toEqual(['arm64', 'x64']);
    expect(config.nsis?.language).toBe('2052');
  });

  it('registers DICOM (.dcm) and SCP-ECG (.scp) with the OS, which main accepts, but not the generic .xml (aECG)', () => {
    const associations = [config.fileAssociations ?? []].flat();
    expect(associations.map((a) => a.ext).sort()).toEqual(['dcm', 'scp']);
    expect(associations.map((a) => `.${String(a.ext)}`).sort()).toEqual([...associatedEcgFileExtensions].sort());
    for (const ext of associatedEcgFileExtensions) expect(ecgFileExtensions[ext]).toBeDefined();
    expect(ecgFileExtensions['.xml']).toBe('hl7-aecg');
    for (const association of associations) expect(association.description).toMatch(/心电图/);
  });

  it('writes installers outside out/, so one build never packs the previous installers', () => {
    expect(config.directories?.output).toBe('dist/installers');
  });

  it('packs the built app into an asar and unpacks only native bindings', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(['**/*.node']);
    expect(config.electronFuses).toMatchObject({ runAsNode: false, onlyLoadAppFromAsar: true });
  });

  it('includes the built app and never a source file, test or secret', () => {
    const patterns = [config.files ?? []].flat() as string[];
    const tracked = execFileSync('git', ['ls-files'], { cwd: projectRoot, encoding: 'utf8' }).split('\n').filter(Boolean);
    const candidates = [...tracked, 'out/main/index.js', 'out/main/device-host.js', 'out/preload/preload.cjs', 'out/renderer/index.html', 'out/main/index.js.map', '.env', 'sync/hub/main.ts'];
    const included = candidates.filter((file) => packed(file, patterns));
    expect(included).toEqual(expect.arrayContaining(['out/main/index.js', 'out/main/device-host.js', 'out/preload/preload.cjs', 'out/renderer/index.html']));
    expect(included.filter((file) => !file.startsWith('out/') || /\.(ts|tsx|map)$/.test(file))).toEqual([]);
  });

  it('publishes nowhere by default: an update feed is declared, the package script passes --publish never', () => {
    expect([config.publish].flat()).toEqual([expect.objectContaining({ provider: 'generic', url: expect.stringMatching(/^https:\/\/[^/]+\.invalid\//) })]);
    expect(readFileSync(path.join(projectRoot, 'build', 'scripts', 'package.ts'), 'utf8')).toContain("publish: 'never'");
  });

  it('packs electron-updater as a production dependency that speaks the same update format as electron-builder', () => {
    const pkg = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies['electron-updater']).toMatch(/^\d+\.\d+\.\d+$/);
    // latest.yml is written by builder-util-runtime on the build side and read by it on the app side.
    const updaterRuntime = (require('electron-updater/package.json') as { dependencies: Record<string, string> }).dependencies['builder-util-runtime'];
    const builderRuntime = (createRequire(require.resolve('app-builder-lib/package.json'))('builder-util-runtime/package.json') as { version: string }).version;
    expect(updaterRuntime).toBe(builderRuntime);
  });

  it('ships the committed 512×512 icon, byte for byte what make-icon draws', () => {
    const committed = readFileSync(iconPath);
    expect(committed.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([committed.readUInt32BE(16), committed.readUInt32BE(20)]).toEqual([iconSize, iconSize]);
    expect(Buffer.from(drawIconPng()).equals(committed)).toBe(true);
    expect(config.icon).toBe('build/icons/icon.png');
  });
});
