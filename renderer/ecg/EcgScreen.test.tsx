import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { makePatient, makeVisit } from '../../core/records/builders.ts';
import { readDicomEcg } from '../../core/ecg/formats/index.ts';
import { sha256Hex } from '../../sync/client/blob-upload.ts';
import { todayIso } from '../../services/records/clinic-records.ts';
import { createMemoryRepository, type MemoryRepository } from '../../services/records/testing/memory-repository.ts';
import { renderWorkstation, testSession } from '../testing/render-workstation.tsx';
import { EcgScreen } from './EcgScreen.tsx';
import { createMemoryBlobStore } from './testing/memory-blob-store.ts';
import { makeSampleBlocks } from '../../core/ecg/testing/ecg-events.ts';

beforeAll(() => {
  // jsdom has no canvas; the screens draw nothing and everything else still works.
  HTMLCanvasElement.prototype.getContext = (() => null) as unknown as HTMLCanvasElement['getContext'];
});
afterEach(cleanup);
// Ant Design's CSS-in-JS makes every visibility check of a *ByRole query walk jsdom's computed styles:
// seconds per query on this screen. These tests check what the doctor records, not visibility.
configure({ defaultHidden: true });

async function patientWithVisit(repo: MemoryRepository, name = '王建华') {
  const patient = await repo.save('patients', makePatient({ name, sex: '1', institutionId: testSession.institutionId }));
  const visit = await repo.save('visits', makeVisit({ patientId: patient.id, institutionId: testSession.institutionId, visitDate: todayIso(), queueNumber: 3, status: 'in-consultation' }));
  return { patient, visit };
}

async function openScreenWithVisit(repo: MemoryRepository, blobs = createMemoryBlobStore()) {
  const { patient, visit } = await patientWithVisit(repo);
  const { devices } = await renderWorkstation(<EcgScreen />, { repo, blobs });
  fireEvent.mouseDown(screen.getByRole('combobox', { name: '就诊患者' }));
  fireEvent.click(await screen.findByRole('option', { name: `3 号 ${patient.name}` }));
  devices.emit({ type: 'status', kind: 'ecg', status: 'reading' });
  await screen.findByText('实时采集中');
  return { patient, visit, devices, blobs };
}

describe('ECG screen', () => {
  it('records 10 s from the stream, shows the measured heart rate, and saves the study to the visit with its DICOM file', async () => {
    const repo = createMemoryRepository();
    const { patient, visit, devices, blobs } = await openScreenWithVisit(repo);
    fireEvent.click(screen.getByRole('button', { name: '采集 10 秒' }));
    for (const block of makeSampleBlocks({ seconds: 11, heartRateBpm: 72 })) devices.emit(block);

    const table = await screen.findByTestId('ecg-measurements');
    const rate = Number(/(\d+)/.exec(within(table).getByText(/次\/分/).textContent!)![1]);
    expect(rate).toBeGreaterThanOrEqual(70);
    expect(rate).toBeLessThanOrEqual(74);
    expect(screen.getByTestId('ecg-hints').textContent).toContain('机器提示，需医生确认');
    expect(screen.getAllByText('QTc（Fridericia）').length).toBeGreaterThan(0);

    expect((screen.getByLabelText('常规') as HTMLInputElement).checked).toBe(true); // no acute-injury hint: routine
    expect(screen.queryByTestId('ecg-priority-hint')).toBeNull();
    fireEvent.click(screen.getByLabelText('紧急'));
    fireEvent.change(screen.getAllByLabelText('临床说明')[0]!, { target: { value: '胸痛 2 小时' } });
    expect(await repo.findBy('ecgStudies', 'visitId', visit.id)).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: '保存到本次就诊' }));
    await waitFor(() => expect(screen.getByTestId('ecg-save-status').textContent).toBe(`已保存：${patient.name} 的心电图已存入本次就诊`));

    const [study] = await repo.findBy('ecgStudies', 'visitId', visit.id);
    expect(study).toMatchObject({ patientId: patient.id, priority: 'urgent', clinicalNote: '胸痛 2 小时', readingState: 'queued' });
    expect(study!.measurements.heartRate).toBe(rate);
    const stored = blobs.blobs.get(study!.dicomSha256)!;
    expect(await sha256Hex(stored.bytes)).toBe(study!.dicomSha256);
    expect(stored.sizeBytes).toBe(study!.dicomSizeBytes);
    const dicom = readDicomEcg(stored.bytes);
    expect(dicom.patient).toMatchObject({ id: patient.id, name: patient.name, sex: 'M', birthDate: patient.birthDate });
    expect(dicom.leads).toHaveLength(12);
  });

  it('makes the study urgent when the machine hints at acute injury, and lets the doctor make it routine', async () => {
    const repo = createMemoryRepository();
    const { visit, devices } = await openScreenWithVisit(repo);
    fireEvent.click(screen.getByRole('button', { name: '采集 10 秒' }));
    for (const block of makeSampleBlocks({ seconds: 11, rhythm: 'st-elevation-anterior' })) devices.emit(block);
    await waitFor(() => expect(screen.getByTestId('ecg-hints').textContent).toContain('提示可能急性心肌损伤'));
    expect((screen.getByLabelText('紧急') as HTMLInputElement).checked).toBe(true);
    expect(screen.getByTestId('ecg-priority-hint').textContent).toContain('已设为紧急');
    fireEvent.click(screen.getByLabelText('常规'));
    fireEvent.click(screen.getByRole('button', { name: '保存到本次就诊' }));
    await waitFor(() => expect(screen.getByTestId('ecg-save-status').getAttribute('data-kind')).toBe('saved'));
    expect((await repo.findBy('ecgStudies', 'visitId', visit.id))[0]?.priority).toBe('routine');
  });

  it('shows which electrode is off and allows no capture until it is back', async () => {
    const repo = createMemoryRepository();
    const { devices } = await openScreenWithVisit(repo);
    const capture = screen.getByRole('button', { name: '采集 10 秒' }) as HTMLButtonElement;
    expect(capture.disabled).toBe(false);
    devices.emit({ type: 'ecg-lead-off', electrodes: ['LA', 'V3'] });
    await waitFor(() => expect(screen.getByTestId('ecg-electrodes').querySelector('[data-electrode="LA"]')!.getAttribute('data-off')).toBe('true'));
    expect(screen.getByTestId('ecg-electrodes').querySelector('[data-electrode="RA"]')!.getAttribute('data-off')).toBe('false');
    expect(capture.disabled).toBe(true);
    devices.emit({ type: 'ecg-lead-off', electrodes: [] });
    await waitFor(() => expect(capture.disabled).toBe(false));
  });

  it('tells the doctor when packets were lost and fails a capture they fell into', async () => {
    const repo = createMemoryRepository();
    const { devices } = await openScreenWithVisit(repo);
    fireEvent.click(screen.getByRole('button', { name: '采集 10 秒' }));
    const blocks = makeSampleBlocks({ seconds: 1 });
    devices.emit(blocks[0]!);
    devices.emit({ type: 'ecg-packets-lost', count: 2, atSampleIndex: 25 });
    expect((await screen.findByTestId('ecg-lost-packets')).textContent).toBe('传输中丢失 2 个数据包，波形有缺口');
    expect((await screen.findByTestId('ecg-capture-error')).textContent).toBe('采集中数据丢失，请重新采集');
    expect(await repo.findBy('ecgStudies', 'patientId', (await repo.visitsOn(todayIso()))[0]!.patientId)).toHaveLength(0);
  });

  it('measures one RR interval with the calipers and follows a marker moved by keyboard', async () => {
    const repo = createMemoryRepository();
    const { devices } = await openScreenWithVisit(repo);
    fireEvent.click(screen.getByRole('button', { name: '采集 10 秒' }));
    for (const block of makeSampleBlocks({ seconds: 11, heartRateBpm: 60 })) devices.emit(block);
    const reading = await screen.findByTestId('caliper-reading');
    // One RR of a 60 /min rhythm (the synthetic rhythm varies a little from beat to beat).
    const [, ms, perMin] = /^Δt (\d+) ms · (\d+) 次\/分$/.exec(reading.textContent!)!;
    expect(Number(ms)).toBeGreaterThan(900);
    expect(Number(ms)).toBeLessThan(1100);
    expect(Math.abs(Number(perMin) - 60)).toBeLessThanOrEqual(4);
    const before = Number(/Δt (\d+)/.exec(reading.textContent!)![1]);
    fireEvent.keyDown(screen.getByTestId('caliper-1'), { key: 'ArrowRight' }); // 1 mm = 40 ms at 25 mm/s
    expect(Number(/Δt (\d+)/.exec(reading.textContent!)![1])).toBe(before + 40);
  });
});
