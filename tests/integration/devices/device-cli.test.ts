import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeBase64 } from '../../../core/identity/base64.ts';
import { findIdentitySample } from '../../../devices/id-card/samples.ts';
import { requireSystemDependency } from '../../support/system-deps.ts';
import { startPtyPair, type PtyPair } from './pty-pair.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

function run(args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(tsx, args, { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function startSim(args: string[]): Promise<ChildProcess> {
  const child = spawn(tsx, ['cli/sim.ts', ...args], { cwd: root, stdio: ['pipe', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (d) => {
      stderr += d;
      if (stderr.includes('ready:')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`sim exited ${code}: ${stderr}`)));
  });
}

describe.runIf(requireSystemDependency('socat'))('device and sim CLIs over a socat pty pair', () => {
  let pair: PtyPair | undefined;
  let sim: ChildProcess | undefined;
  afterEach(async () => {
    sim?.kill('SIGTERM');
    sim = undefined;
    await pair?.dispose();
    pair = undefined;
  });

  it('reads the sample card the simulator holds and prints it as IdentityDocument JSON with the photo', async () => {
    pair = await startPtyPair();
    sim = await startSim(['id-card', '--port', pair.devicePath, '--sample', 'resident-tibetan-female-additional-address']);
    const { code, stdout, stderr } = await run(['cli/device.ts', 'read', 'id-card', '--port', pair.hostPath, '--timeout', '20']);
    expect(stderr).not.toMatch(/错误/);
    expect(code).toBe(0);
    const document = JSON.parse(stdout);
    const sample = findIdentitySample('resident-tibetan-female-additional-address')!.document;
    expect(document).toMatchObject({ cardType: 'resident', nationCode: '04', additionalAddress: '西藏自治区林芝市巴宜区八一镇双拥路3号' });
    expect(decodeBase64(document.photoWltBase64)).toEqual(sample.photoWlt);
  });

  it('exits non-zero with one line in Chinese and English when the reader answers with a bad checksum', async () => {
    pair = await startPtyPair();
    sim = await startSim(['id-card', '--port', pair.devicePath, '--fault', 'bad-checksum']);
    const { code, stdout, stderr } = await run(['cli/device.ts', 'read', 'id-card', '--port', pair.hostPath, '--timeout', '20']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.split('\n').filter((l) => l.includes('错误'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/校验错误.*Checksum error.*bad-checksum/);
  });

  it('reads a social security card from the insurance-card simulator', async () => {
    pair = await startPtyPair();
    sim = await startSim(['insurance-card', '--port', pair.devicePath, '--sample', '1']);
    const { code, stdout } = await run(['cli/device.ts', 'read', 'insurance-card', '--port', pair.hostPath, '--timeout', '20']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ cardNumber: expect.stringMatching(/^[A-Z0-9]{9}$/), socialSecurityNumber: expect.any(String) });
  });

  it('prints the code the scanner simulator scans', async () => {
    pair = await startPtyPair();
    const scanner = await startSim(['barcode', '--port', pair.devicePath, '--suffix', 'crlf']);
    sim = scanner;
    const reading = run(['cli/device.ts', 'scan', 'barcode', '--port', pair.hostPath, '--suffix', 'crlf', '--timeout', '30']);
    // The CLI's start-up time varies with load: keep scanning until it has read one.
    const again = setInterval(() => scanner.stdin!.write('scan 6901234567892\n'), 500);
    const { code, stdout } = await reading.finally(() => clearInterval(again));
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ text: '6901234567892' });
  });

  it('exits non-zero with a bilingual line when the port does not exist', async () => {
    const { code, stderr } = await run(['cli/device.ts', 'read', 'id-card', '--port', '/dev/ttyUSB-not-here']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/找不到串口.*Serial port not found/);
  });
});

describe('a wrong command line', () => {
  it('exits 2 with one line in Chinese and English, then the usage, from either CLI', async () => {
    const device = await run(['cli/device.ts', 'read', 'id-card']);
    expect(device.code).toBe(2);
    expect(device.stdout).toBe('');
    expect(device.stderr).toMatch(/^错误：命令参数有误：缺少 --port PATH \| Error: --port PATH is required\n用法 Usage:/);

    const timeout = await run(['cli/device.ts', 'read', 'id-card', '--port', '/dev/null', '--timeout', 'soon']);
    expect(timeout.code).toBe(2);
    expect(timeout.stderr).toMatch(/--timeout 须为秒数，收到"soon" \| Error: --timeout must be a number of seconds, got "soon"/);

    const sim = await run(['cli/sim.ts', 'printer', '--port', '/dev/null']);
    expect(sim.code).toBe(2);
    expect(sim.stderr).toMatch(/^错误：命令参数有误：未知设备"printer" \| Error: unknown device "printer"\n用法 Usage: npm run sim/);

    // An option node's parseArgs refuses is a usage error too, in the same shape.
    const option = await run(['cli/device.ts', 'list', '--no-such-option']);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/^错误：命令参数有误：无法解析参数：Unknown option '--no-such-option'.* \| Error: Unknown option '--no-such-option'/);
  });
});
