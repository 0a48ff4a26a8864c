import { useState } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen } from '@testing-library/react';
import type { FilesApi, OpenEcgFileEvent } from '../../core/contract/workstation-api.ts';
import { writeAecg, writeDicomEcg, writeScpEcg } from '../../core/ecg/formats/index.ts';
import { synthesizeEcg } from '../../core/ecg/synthesis/index.ts';
import { renderWorkstation } from '../testing/render-workstation.tsx';
import { EcgScreen } from './EcgScreen.tsx';
import { readOpenedEcg, useOpenedEcgFiles } from './open-file.ts';

beforeAll(() => {
  // jsdom has no canvas; the tracing draws nothing and everything else still works.
  HTMLCanvasElement.prototype.getContext = (() => null) as unknown as HTMLCanvasElement['getContext'];
});
afterEach(cleanup);

const recording = synthesizeEcg({ rhythm: 'normal-sinus', heartRateBpm: 72, durationSeconds: 10, sampleRateHz: 500 }).recording;
const base64Of = (bytes: Uint8Array) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));
const openedFile = (fileName: string, format: 'dicom' | 'scp-ecg' | 'hl7-aecg', bytes: Uint8Array): OpenEcgFileEvent => ({
  ok: true,
  file: { fileName, format, byteLength: bytes.length, base64: base64Of(bytes) },
});

/** What main sends through the preload: a FilesApi whose events the test plays. */
function scriptedFiles() {
  const listeners = new Set<(event: OpenEcgFileEvent) => void>();
  const files: FilesApi = {
    onOpenEcgFile: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { files, open: (event: OpenEcgFileEvent) => listeners.forEach((l) => l(event)) };
}

/** The part of App that matters: a file opened on any screen brings the ECG screen forward. */
function AppShell({ files }: { files: FilesApi }) {
  const [onEcgScreen, setOnEcgScreen] = useState(false);
  const opened = useOpenedEcgFiles(files, () => setOnEcgScreen(true));
  return onEcgScreen ? <EcgScreen openedFile={opened.current} onCloseOpenedFile={opened.dismiss} /> : <p>首页</p>;
}

describe('ECG files opened from the OS', () => {
  it('shows a double-clicked DICOM ECG on the ECG screen with its measurements, and closes it again', async () => {
    const { files, open } = scriptedFiles();
    await renderWorkstation(<AppShell files={files} />);
    open(openedFile('张三 静息心电图.dcm', 'dicom', writeDicomEcg(recording)));
    expect(await screen.findByText('打开的心电图文件：张三 静息心电图.dcm（DICOM）')).toBeTruthy();
    expect(screen.getByText('仅供查看，未保存到任何就诊记录。')).toBeTruthy();
    const heartRate = screen.getByTestId('ecg-opened-file').querySelector('[data-measure="heartRate"] td')!.textContent!;
    expect(Number(/(\d+)/.exec(heartRate)![1])).toBeGreaterThanOrEqual(70);
    expect(Number(/(\d+)/.exec(heartRate)![1])).toBeLessThanOrEqual(74);
    fireEvent.click(screen.getByRole('button', { name: '关闭文件' }));
    expect(screen.queryByTestId('ecg-opened-file')).toBeNull();
    expect(screen.getByTestId('ecg-connection')).toBeTruthy();
  });

  it('shows an SCP-ECG file the same way', async () => {
    const { files, open } = scriptedFiles();
    await renderWorkstation(<AppShell files={files} />);
    open(openedFile('REST.SCP', 'scp-ecg', writeScpEcg(recording)));
    expect(await screen.findByText('打开的心电图文件：REST.SCP（SCP-ECG）')).toBeTruthy();
  });

  it('says in Chinese why main refused a file, and in English when the UI is English', async () => {
    const refused: OpenEcgFileEvent = { ok: false, fileName: 'movie.dcm', error: { code: 'too-large', message: 'The file is larger than 32 MB; it is not a resting ECG', messageZh: '文件超过 32 MB，不是常规心电图文件' } };
    const zh = scriptedFiles();
    await renderWorkstation(<AppShell files={zh.files} />);
    zh.open(refused);
    expect((await screen.findByRole('alert')).textContent).toBe('文件超过 32 MB，不是常规心电图文件');
    expect(screen.getByText('无法打开心电图文件：movie.dcm')).toBeTruthy();
    cleanup();
    const en = scriptedFiles();
    await renderWorkstation(<AppShell files={en.files} />, { language: 'en' });
    en.open(refused);
    expect((await screen.findByRole('alert')).textContent).toBe('The file is larger than 32 MB; it is not a resting ECG');
  });

  it('reports a damaged DICOM file with the reader’s bilingual message, without crashing the screen', async () => {
    const { files, open } = scriptedFiles();
    await renderWorkstation(<AppShell files={files} />);
    const damaged = writeDicomEcg(recording).slice(0, 400);
    open(openedFile('damaged.dcm', 'dicom', damaged));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/DICOM/);
    expect(alert.textContent).toMatch(/[\u4e00-\u9fff]/);
    fireEvent.click(screen.getByRole('button', { name: '关闭文件' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('reads the bytes main sent exactly: same leads and samples as the recording written', async () => {
    const opened = await readOpenedEcg(openedFile('a.scp', 'scp-ecg', writeScpEcg(recording)));
    expect(opened.kind).toBe('opened');
    if (opened.kind !== 'opened') return;
    expect(opened.recording.leads.map((l) => l.lead)).toEqual(recording.leads.map((l) => l.lead));
    expect(Array.from(opened.recording.leads[1]!.samples.subarray(0, 50))).toEqual(Array.from(recording.leads[1]!.samples.subarray(0, 50)));
  });

  it('reads an HL7 aECG file sample for sample, and calls a truncated one a damaged aECG file', async () => {
    const xml = new TextEncoder().encode(writeAecg(recording));
    const opened = await readOpenedEcg(openedFile('rest.xml', 'hl7-aecg', xml));
    expect(opened.kind).toBe('opened');
    if (opened.kind !== 'opened') return;
    expect(opened.recording.leads.map((l) => Array.from(l.samples))).toEqual(recording.leads.map((l) => Array.from(l.samples)));
    const cut = await readOpenedEcg(openedFile('cut.xml', 'hl7-aecg', xml.subarray(0, 2000)));
    expect(cut).toMatchObject({ kind: 'failed', code: 'AECG_MALFORMED', zh: expect.stringMatching(/HL7 aECG/), en: expect.stringMatching(/HL7 aECG/) });
  });

  it('calls garbage given a .scp name a damaged SCP-ECG file', async () => {
    const opened = await readOpenedEcg(openedFile('junk.scp', 'scp-ecg', new TextEncoder().encode('not an ecg at all, just text')));
    expect(opened).toMatchObject({ kind: 'failed', code: expect.stringMatching(/^SCP_/), zh: expect.stringMatching(/SCP-ECG/) });
  });
});
