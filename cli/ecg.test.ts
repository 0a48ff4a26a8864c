import { mkdtemp, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readScpEcg } from '../core/ecg/formats/index.ts';
import { scoreBeatDetection } from '../core/ecg/signal/beat-matching.ts';
import { makeWfdbRecordOnDisk } from '../tests/integration/ecg-cli/make-wfdb-record.ts';
import { runEcgCli } from './ecg.ts';

/** Runs the CLI in-process and captures what it prints. */
const run = async (...argv: string[]) => {
  let stdout = '';
  let stderr = '';
  const code = await runEcgCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ecg-cli-unit-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ecg CLI (in-process)', () => {
  it('detect prints one JSON object with the record name, rate, the leads it used and the beats', async () => {
    const record = await makeWfdbRecordOnDisk(dir, { name: 'sinus' });
    const { code, stdout, stderr } = await run('detect', record.path);
    expect([code, stderr]).toEqual([0, '']);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(stdout) as { record: string; fs: number; leads: string[]; peaks: number[] };
    expect([out.record, out.fs, out.leads]).toEqual(['sinus', 360, ['MLII', 'V5']]);
    const score = scoreBeatDetection(record.beats.map((b) => b.sample), out.peaks, 360);
    expect(score.sensitivity).toBe(1);
    expect(score.positivePredictivity).toBe(1);
  });

  it('accepts the record named by its .hea or .dat file as well as by the bare record path', async () => {
    const record = await makeWfdbRecordOnDisk(dir, { name: 'byheader', seconds: 10 });
    const a = await run('detect', record.path);
    expect((await run('detect', `${record.path}.hea`)).stdout).toBe(a.stdout);
    expect((await run('detect', `${record.path}.dat`)).stdout).toBe(a.stdout);
  });

  it('converts to SCP-ECG and back without changing a sample, writing nothing else in the folder', async () => {
    const sub = await mkdtemp(join(dir, 'convert-'));
    const record = await makeWfdbRecordOnDisk(sub, { name: 'tw', layout: '12-lead', seconds: 10, sampleRateHz: 500 });
    const out = join(sub, 'tw.scp');
    const { code, stdout } = await run('convert', record.path, out);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ output: out, format: 'scp-ecg' });
    const { readFile } = await import('node:fs/promises');
    const back = readScpEcg(new Uint8Array(await readFile(out)));
    expect(back.leads.find((l) => l.lead === 'V3')?.samples).toEqual(record.recording.leads.find((l) => l.lead === 'V3')?.samples);
    expect((await readdir(sub)).sort()).toEqual(['tw.atr', 'tw.dat', 'tw.hea', 'tw.scp']);
  });

  it('reads an HL7 aECG .xml: converts WFDB → aECG → DICOM with every sample kept, and refuses a truncated .xml', async () => {
    const sub = await mkdtemp(join(dir, 'aecg-'));
    const record = await makeWfdbRecordOnDisk(sub, { name: 'ax', layout: '12-lead', seconds: 5, sampleRateHz: 500 });
    expect((await run('convert', record.path, join(sub, 'ax.xml'))).code).toBe(0);
    const { code, stdout } = await run('convert', join(sub, 'ax.xml'), join(sub, 'ax.scp'));
    expect([code, JSON.parse(stdout).format]).toEqual([0, 'scp-ecg']);
    const { readFile } = await import('node:fs/promises');
    const back = readScpEcg(new Uint8Array(await readFile(join(sub, 'ax.scp'))));
    expect(back.leads.map((l) => Array.from(l.samples))).toEqual(record.recording.leads.map((l) => Array.from(l.samples)));
    const text = await readFile(join(sub, 'ax.xml'), 'utf8');
    await writeFile(join(sub, 'cut.xml'), text.slice(0, 3000));
    const cut = await run('convert', join(sub, 'cut.xml'), join(sub, 'cut.dcm'));
    expect([cut.code, cut.stdout]).toEqual([1, '']);
    expect(cut.stderr).toMatch(/^错误：HL7 aECG 文件不是格式正确的 XML.* \| Error: The HL7 aECG file is not well-formed XML/);
    expect(await readdir(sub)).not.toContain('cut.dcm');
  });

  it('rejects an unknown output extension as a usage error and writes no file', async () => {
    const record = await makeWfdbRecordOnDisk(dir, { name: 'ext', seconds: 5 });
    const { code, stdout, stderr } = await run('convert', record.path, join(dir, 'out.pdf'));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^错误：不支持的输出格式.* \| Error: Unsupported output format/);
    expect(await readdir(dir)).not.toContain('out.pdf');
  });

  it('reports a truncated signal file in both languages on one line, and prints nothing on stdout', async () => {
    const record = await makeWfdbRecordOnDisk(dir, { name: 'cut', seconds: 5 });
    await truncate(`${record.path}.dat`, 100);
    const { code, stdout, stderr } = await run('detect', record.path);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^错误：WFDB 信号文件被截断.* \| Error: A WFDB signal file is truncated.*\n$/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('reports a missing record, an unreadable file type and a wrong argument count', async () => {
    expect((await run('detect', join(dir, 'absent'))).stderr).toMatch(/找不到记录.*Record not found/);
    const junk = join(dir, 'notes.txt');
    await writeFile(junk, 'hello');
    expect((await run('measure', junk)).stderr).toMatch(/无法识别的心电文件类型.*Unrecognised ECG file type/);
    const wrong = await run('detect');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/参数个数不对.*Wrong number of arguments/);
  });

  it('scores detection against the .atr beats and says so when there is no .atr', async () => {
    const record = await makeWfdbRecordOnDisk(dir, { name: 'scored', rhythm: 'atrial-fibrillation', seconds: 60 });
    const scored = JSON.parse((await run('score', record.path)).stdout) as { sensitivity: number; positivePredictivity: number; referenceBeats: number };
    expect(scored.referenceBeats).toBe(record.beats.length);
    expect(scored.sensitivity).toBeGreaterThanOrEqual(0.995);
    expect(scored.positivePredictivity).toBeGreaterThanOrEqual(0.995);
    const bare = await makeWfdbRecordOnDisk(dir, { name: 'bare', seconds: 5, withAnnotations: false });
    expect((await run('score', bare.path)).stderr).toMatch(/没有 \.atr 标注文件.*has no \.atr annotations/);
  });

  it('scores a whole folder: one row per annotated record, then the gross figures', async () => {
    const folder = await mkdtemp(join(dir, 'folder-'));
    await makeWfdbRecordOnDisk(folder, { name: 'r1', rhythm: 'normal-sinus', seconds: 30 });
    await makeWfdbRecordOnDisk(folder, { name: 'r2', rhythm: 'pvc', seconds: 30, seed: 3 });
    await makeWfdbRecordOnDisk(folder, { name: 'unannotated', seconds: 5, withAnnotations: false });
    const { code, stdout, stderr } = await run('score', folder);
    expect([code, stderr]).toEqual([0, '']);
    const rows = stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^record\s+beats\s+FN\s+FP\s+Se %\s+\+P %\s+F1 %\s+err ms$/);
    expect(rows.slice(1, 5).map((r) => r.split(/\s+/)[0])).toEqual(['r1', 'r2', 'gross', 'EC57']);
    const gross = rows[3]!.split(/\s+/);
    expect(Number(gross[4])).toBeGreaterThanOrEqual(99.5);
    expect(Number(gross[5])).toBeGreaterThanOrEqual(99.5);
    expect(stdout).not.toMatch(/unannotated/);
    const empty = await mkdtemp(join(dir, 'empty-'));
    expect((await run('score', empty)).stderr).toMatch(/没有带 \.atr 标注的 WFDB 记录.*No WFDB record with \.atr annotations/);
  });

  it('prints usage on --help', async () => {
    const { code, stdout } = await run('--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/Detect QRS complexes on all leads together/);
  });
});
