import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { OpenEcgFileEvent } from '../../core/contract/workstation-api.ts';
import { fileArgumentsOf, OpenedEcgFileRelay, readOpenedEcgFile } from './ecg-file-open.ts';

const folder = () => mkdtempSync(path.join(tmpdir(), 'cw-open-'));
const fileWith = (name: string, bytes: Uint8Array | string) => {
  const file = path.join(folder(), name);
  writeFileSync(file, bytes);
  return file;
};
/** A DICOM Part 10 preamble: 128 zero bytes and "DICM" (main does not parse; any bytes would do). */
const dicomBytes = new Uint8Array([...new Uint8Array(128), 0x44, 0x49, 0x43, 0x4d, 1, 2, 3]);

describe('opening an ECG file handed over by the OS', () => {
  it('reads a .dcm file and sends its bytes, name and format, but not its folder', async () => {
    const file = fileWith('张三 心电图.dcm', dicomBytes);
    const event = await readOpenedEcgFile(file);
    expect(event).toEqual({ ok: true, file: { fileName: '张三 心电图.dcm', format: 'dicom', byteLength: dicomBytes.length, base64: Buffer.from(dicomBytes).toString('base64') } });
    expect(JSON.stringify(event)).not.toContain(path.dirname(file));
  });

  it('takes .scp as SCP-ECG, whatever the case of the extension', async () => {
    expect(await readOpenedEcgFile(fileWith('REST.SCP', 'x'.repeat(200)))).toMatchObject({ ok: true, file: { format: 'scp-ecg', byteLength: 200 } });
    expect(await readOpenedEcgFile(fileWith('rest.xml', '<AnnotatedECG/>'))).toMatchObject({ ok: true, file: { format: 'hl7-aecg', byteLength: 15 } });
  });

  it.each([
    ['a wrong extension', () => fileWith('report.pdf', '%PDF-1.7'), 'wrong-extension', '只能打开 .dcm（DICOM）、.scp（SCP-ECG）或 .xml（HL7 aECG）心电图文件'],
    ['no extension', () => fileWith('ecg', 'x'), 'wrong-extension', '只能打开 .dcm（DICOM）、.scp（SCP-ECG）或 .xml（HL7 aECG）心电图文件'],
    ['a missing file', () => path.join(folder(), 'gone.dcm'), 'not-found', '文件不存在（可能已移动或删除）'],
    ['a missing folder', () => path.join(folder(), 'nowhere', 'gone.scp'), 'not-found', '文件不存在（可能已移动或删除）'],
    ['a folder named like an ECG', () => {
      const dir = path.join(folder(), 'study.dcm');
      mkdirSync(dir);
      return dir;
    }, 'not-a-file', '这不是心电图文件（是文件夹或设备）'],
    ['an empty file', () => fileWith('empty.dcm', ''), 'empty', '文件为空'],
  ])('refuses %s with a clear message in Chinese and English', async (_label, makePath, code, messageZh) => {
    const file = makePath();
    const event = await readOpenedEcgFile(file);
    expect(event).toMatchObject({ ok: false, fileName: path.basename(file), error: { code, messageZh } });
    expect(event.ok ? '' : event.error.message).toMatch(/\w/);
  });

  it('refuses a file larger than the limit without reading it', async () => {
    const file = fileWith('huge.dcm', new Uint8Array(2048));
    expect(await readOpenedEcgFile(file, { limitBytes: 1024 })).toMatchObject({ ok: false, error: { code: 'too-large', messageZh: '文件超过 32 MB，不是常规心电图文件' } });
    expect(await readOpenedEcgFile(file, { limitBytes: 2048 })).toMatchObject({ ok: true });
  });

  it('refuses a file the disk will not give back (permissions, a failing USB stick)', async () => {
    const file = fileWith('locked.scp', 'x'.repeat(10));
    const readBytes = async () => {
      throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    };
    expect(await readOpenedEcgFile(file, { readBytes })).toMatchObject({ ok: false, error: { code: 'unreadable', messageZh: '无法读取该文件（权限不足或磁盘错误）' } });
  });
});

describe('file arguments on the command line', () => {
  it('finds the file after the executable of a packaged app, ignoring Chromium switches', () => {
    expect(fileArgumentsOf(['C:\\Program Files\\clinic-workstation.exe', '--allow-file-access-from-files', 'D:\\ECG\\王五.dcm'], true)).toEqual(['D:\\ECG\\王五.dcm']);
    expect(fileArgumentsOf(['/opt/clinic-workstation/clinic-workstation', '/home/nurse/rest.scp', '--no-sandbox'], true)).toEqual(['/home/nurse/rest.scp']);
  });

  it('skips the app path when Electron runs the app unpackaged, and arguments without an extension', () => {
    expect(fileArgumentsOf(['/usr/bin/electron', 'out/main/index.js', '/tmp/a.dcm'], false)).toEqual(['/tmp/a.dcm']);
    expect(fileArgumentsOf(['/usr/bin/electron', '.'], false)).toEqual([]);
    // Playwright's launcher puts its switches before the app path.
    expect(fileArgumentsOf(['/usr/bin/electron', '--inspect=0', '--remote-debugging-port=0', 'out/main/index.js', '--user-data-dir=/tmp/u', '/tmp/b.scp'], false)).toEqual(['/tmp/b.scp']);
    expect(fileArgumentsOf(['clinic-workstation.exe'], true)).toEqual([]);
  });

  it('keeps a file with another extension, so the nurse hears why it did not open', () => {
    expect(fileArgumentsOf(['clinic-workstation.exe', 'C:\\scan.pdf'], true)).toEqual(['C:\\scan.pdf']);
  });
});

describe('delivering opened files to the window', () => {
  const opened = (name: string): OpenEcgFileEvent => ({ ok: true, file: { fileName: name, format: 'dicom', byteLength: 1, base64: 'AA==' } });
  const makeReceiver = () => ({ send: vi.fn(), isDestroyed: vi.fn(() => false) });

  it('holds the launch file until the renderer listens, then hands it over once', async () => {
    const relay = new OpenedEcgFileRelay('cw:files:open-ecg', undefined, async (p) => opened(p));
    await relay.open('launch.dcm');
    const window = makeReceiver();
    expect(relay.ready(window)).toEqual([opened('launch.dcm')]);
    expect(relay.ready(window)).toEqual([]);
    expect(window.send).not.toHaveBeenCalled();
  });

  it('pushes files opened later straight to the listening window', async () => {
    const relay = new OpenedEcgFileRelay('cw:files:open-ecg', undefined, async (p) => opened(p));
    const window = makeReceiver();
    relay.ready(window);
    await relay.open('second.dcm');
    expect(window.send).toHaveBeenCalledWith('cw:files:open-ecg', opened('second.dcm'));
  });

  it('holds files again while the page reloads, and gives them to the new page', async () => {
    const relay = new OpenedEcgFileRelay('cw:files:open-ecg', undefined, async (p) => opened(p));
    const window = makeReceiver();
    relay.ready(window);
    relay.forget(window);
    await relay.open('during-reload.dcm');
    expect(window.send).not.toHaveBeenCalled();
    expect(relay.ready(window)).toEqual([opened('during-reload.dcm')]);
  });

  it('logs the outcome without the file name, which may be a patient’s name', async () => {
    const lines: string[] = [];
    const relay = new OpenedEcgFileRelay('cw:files:open-ecg', (line) => lines.push(line));
    await relay.open(fileWith('李四.dcm', dicomBytes));
    await relay.open(fileWith('李四.txt', 'x'));
    expect(lines).toEqual([`opened an ECG file (dicom, ${dicomBytes.length} bytes)`, 'refused an ECG file: wrong-extension']);
  });

  it('keeps only the last few files when nobody listens', async () => {
    const relay = new OpenedEcgFileRelay('cw:files:open-ecg', undefined, async (p) => opened(p));
    for (let i = 0; i < 20; i++) await relay.open(`${i}.dcm`);
    const held = relay.ready(makeReceiver());
    expect(held).toHaveLength(8);
    expect(held.at(-1)).toEqual(opened('19.dcm'));
  });
});
