/**
 * Proves the environment boundaries fail the build: each planted wrong import is reported by the
 * lint rule for its folder, and each planted wrong API fails to compile under its folder's tsconfig,
 * while a control file passes (so a failure is the boundary, not a broken set-up).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function restrictedImportErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint boundaries', () => {
  const planted: Array<[string, string, string]> = [
    ['core/identity/planted.ts', "import { readFileSync } from 'node:fs';", 'a Node built-in in core'],
    ['core/records/planted.ts', "import { ipcRenderer } from 'electron';", 'Electron in core'],
    ['core/ecg/planted.ts', "import { SerialPort } from 'serialport';", 'serialport in core'],
    ['sync/protocol/planted.ts', "import pg from 'pg';", 'a database driver in sync/protocol'],
    ['sync/protocol/planted.ts', "import { startHub } from '../hub/start.ts';", 'the hub in sync/protocol'],
    ['devices/id-card/codec.ts', "import { SerialPort } from 'serialport';", 'serialport in a device codec'],
    ['devices/id-card/codec.ts', "import { Buffer } from 'node:buffer';", 'a Node built-in in a device codec'],
    ['renderer/app/planted.tsx', "import path from 'node:path';", 'a Node built-in in the renderer'],
    ['renderer/app/planted.tsx', "import { ipcRenderer } from 'electron';", 'Electron in the renderer'],
    ['renderer/app/planted.tsx', "import { IdCardDriver } from '../../devices/id-card/driver.ts';", 'a device driver in the renderer'],
    ['sync/client/planted.ts', "import fs from 'fs';", 'a Node built-in in the sync client'],
    ['sync/client/planted.ts', "import { clinicRecords } from '../../services/records/clinic-records.ts';", 'the services layer in the sync client'],
    ['core/records/planted.ts', "import { clinicRecords } from '../../services/records/clinic-records.ts';", 'the services layer in core'],
    ['services/records/planted.ts', "import { useClinic } from '../../renderer/records/ClinicContext.tsx';", 'the renderer in the services layer'],
    ['services/records/planted.ts', "import { useEffect } from 'react';", 'React in the services layer'],
    ['services/platform/planted.ts', "import path from 'node:path';", 'a Node built-in in the services layer'],
    ['services/platform/planted.ts', "import { AgentServer } from '../../devices/agent/ws-server.ts';", 'the device layer in the services layer'],
  ];

  it.each(planted)('rejects %s importing %s (%s)', async (file, code) => {
    const errors = await restrictedImportErrors(file, code);
    expect(errors.length).toBe(1);
  });

  it.each([
    ['core/identity/ok.ts', "import { z } from 'zod';"],
    ['renderer/app/ok.tsx', "import { useState } from 'react';"],
    ['renderer/app/ok.tsx', "import type { WorkstationApi } from '../../core/contract/workstation-api.ts';"],
    ['renderer/app/ok.tsx', "import { clinicRecords } from '../../services/records/clinic-records.ts';"],
    ['services/records/ok.ts', "import { createLocalDatabase } from '../../sync/client/database.ts';"],
    ['devices/id-card/driver.ts', "import { SerialPort } from 'serialport';"],
  ])('allows %s to import %s', async (file, code) => {
    expect(await restrictedImportErrors(file, code)).toEqual([]);
  });
});

describe('compile boundaries', () => {
  let scratch: string;
  beforeAll(async () => {
    // Inside the project, so the scratch tsconfigs resolve `types` from node_modules like the real ones.
    await mkdir(path.join(root, 'node_modules/.cache'), { recursive: true });
    scratch = await mkdtemp(path.join(root, 'node_modules/.cache/boundaries-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  /** Type-checks one fixture under one environment's tsconfig; returns tsc's diagnostics. */
  async function compile(environment: string, fixture: string): Promise<{ ok: boolean; output: string }> {
    const project = path.join(scratch, `tsconfig.${environment}.${fixture}.json`);
    const extraFiles = environment === 'pure' ? [path.join(root, 'core/env/universal-globals.d.ts')] : [];
    await writeFile(
      project,
      JSON.stringify({
        extends: path.join(root, `tsconfig.${environment}.json`),
        include: [],
        files: [path.join(root, 'tests/boundaries/fixtures', fixture), ...extraFiles],
      }),
    );
    try {
      await promisify(execFile)(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', project, '--pretty', 'false']);
      return { ok: true, output: '' };
    } catch (error) {
      return { ok: false, output: String((error as { stdout?: string }).stdout ?? error) };
    }
  }

  it.each([
    ['pure', 'pure-uses-process.ts', "Cannot find name 'process'"],
    ['pure', 'pure-uses-document.ts', "Cannot find name 'document'"],
    ['dom', 'dom-uses-buffer.ts', "Cannot find name 'Buffer'"],
    ['node', 'node-uses-window.ts', "Cannot find name 'window'"],
  ])('tsconfig.%s.json rejects %s', async (environment, fixture, diagnostic) => {
    const result = await compile(environment, fixture);
    expect(result.ok).toBe(false);
    expect(result.output).toContain(diagnostic);
  });

  it.each(['pure', 'node', 'dom'])('tsconfig.%s.json compiles the control file', async (environment) => {
    const result = await compile(environment, 'pure-is-fine.ts');
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  });
});
