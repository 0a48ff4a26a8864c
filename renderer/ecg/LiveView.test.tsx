import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { standardLeads } from '../../core/ecg/recording.ts';
import { addNstdbNoise, synthesizeEcg } from '../../core/ecg/synthesis/index.ts';
import { initI18n } from '../i18n/i18n.ts';
import { LiveView } from './LiveView.tsx';
import { LeadRingBuffer } from './ring-buffer.ts';
import type { LiveFormat } from './use-ecg-device.ts';

beforeAll(() => {
  HTMLCanvasElement.prototype.getContext = (() => null) as unknown as HTMLCanvasElement['getContext'];
});
afterEach(cleanup);

const fs = 360;

/** A ring buffer holding `leads` (µV, resolution 1) as if they had streamed in. */
function bufferWith(leads: Partial<Record<string, ArrayLike<number>>>): LeadRingBuffer {
  const length = Math.max(...Object.values(leads).map((l) => l!.length));
  const buffer = new LeadRingBuffer(standardLeads, 20 * fs);
  const full: Record<string, ArrayLike<number>> = {};
  for (const lead of standardLeads) full[lead] = leads[lead] ?? new Int32Array(length);
  buffer.write(0, full);
  return buffer;
}

async function showLive(buffer: LeadRingBuffer) {
  const i18n = await initI18n('zh-CN');
  const format: LiveFormat = { sampleRateHz: fs, resolutionUv: 1 };
  render(
    <I18nextProvider i18n={i18n}>
      <LiveView buffer={{ current: buffer }} format={{ current: format }} speedMmPerS={25} gainMmPerMv={10} widthPx={800} label="实时十二导联心电图" />
    </I18nextProvider>,
  );
  return screen.findByTestId('ecg-live-rhythm', {}, { timeout: 8000 });
}

describe('live view rhythm line', () => {
  it('shows the heart rate of a clean trace', async () => {
    const { recording } = synthesizeEcg({ rhythm: 'normal-sinus', heartRateBpm: 72, durationSeconds: 12, sampleRateHz: fs, seed: 4 });
    const line = await showLive(bufferWith(Object.fromEntries(recording.leads.map((l) => [l.lead, l.samples]))));
    expect(line.dataset.kind).toBe('rate');
    expect(line.textContent).toMatch(/心率 (7[0-4]) 次\/分/);
  });

  it('warns that the signal is too noisy when electrode motion buries the trace', async () => {
    const { recording, beats } = synthesizeEcg({ rhythm: 'normal-sinus', durationSeconds: 7 * 60 + 10, sampleRateHz: fs, seed: 21 });
    const two = { ...recording, leads: recording.leads.filter((l) => l.lead === 'II' || l.lead === 'V1') };
    const noisy = addNstdbNoise(two, beats.map((b) => b.sample), { kind: 'em', snrDb: 6, seed: 3 });
    const strip = (lead: string) => noisy.leads.find((l) => l.lead === lead)!.samples.subarray(325 * fs, 337 * fs);
    const line = await showLive(bufferWith({ II: strip('II'), V1: strip('V1') }));
    expect(line.dataset.kind).toBe('noisy');
    expect(line.textContent).toContain('信号噪声大');
  });

  it('alarms on ventricular flutter instead of showing a rate', async () => {
    const flutter = Int32Array.from({ length: 12 * fs }, (_, i) => Math.round(900 * Math.sin((2 * Math.PI * 4 * i) / fs)));
    const line = await showLive(bufferWith({ II: flutter, V1: Int32Array.from(flutter, (v) => -v) }));
    expect(line.dataset.kind).toBe('ventricular-fibrillation');
    expect(line.getAttribute('role')).toBe('alert');
    expect(line.textContent).toContain('疑似心室扑动/颤动');
  });
});
