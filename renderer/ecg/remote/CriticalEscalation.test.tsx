import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import type { HubConnection } from '../../../sync/client/hub-http.ts';
import type { EscalatedResponse } from '../../../sync/protocol/ecg-reading.ts';
import { initI18n } from '../../i18n/i18n.ts';
import { DirectoryProvider } from '../../records/directory.tsx';
import { CriticalEscalationBanner } from './CriticalEscalation.tsx';

afterEach(cleanup);

const directory = {
  institutions: [{ id: 'chengguan', kind: 'township_clinic' as const, name: '城关镇卫生院' }],
  people: [{ id: 'ecg-center-cardiologist', institutionId: 'ecg-center', displayName: '张心电', role: 'cardiologist' as const }],
};

/** A hub answering the escalation list from `answers`, one per request (the last one repeats). */
function hubAnswering(answers: EscalatedResponse[]): HubConnection & { calls: number } {
  const hub = {
    hubUrl: 'http://hub.test',
    getToken: () => 'token',
    calls: 0,
    fetch: (async () => {
      const body = answers[Math.min(hub.calls++, answers.length - 1)];
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch,
  };
  return hub;
}

const finding = {
  reportId: 'r1',
  studyId: 's1',
  clinicId: 'chengguan',
  patientName: '张建国',
  signedBy: 'ecg-center-cardiologist',
  signedAt: '2026-12-06T02:00:00.000Z',
  statements: ['急性 ST 段抬高型心肌梗死'],
  minutesWaiting: 14,
};

/** Local records whose report changes the test fires by hand. */
function localRecords() {
  const listeners = new Set<() => void>();
  return {
    onChange: (collection: string, listener: () => void) => {
      if (collection === 'ecgReports') listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reportChanged: () => listeners.forEach((l) => l()),
  };
}

async function renderBanner(hub: HubConnection, fallbackMs = 60_000, records?: ReturnType<typeof localRecords>) {
  const i18n = await initI18n('zh-CN');
  render(
    <I18nextProvider i18n={i18n}>
      <DirectoryProvider initial={directory}>
        <CriticalEscalationBanner hub={hub} fallbackMs={fallbackMs} records={records} />
      </DirectoryProvider>
    </I18nextProvider>,
  );
}

describe('危急值 escalation banner', () => {
  it('names the patient, the clinic, the minutes waiting and the signer of each escalated finding', async () => {
    await renderBanner(hubAnswering([{ escalateAfterMinutes: 10, findings: [finding] }]));
    const banner = await screen.findByRole('alert');
    expect(banner.textContent).toContain('危急值超过 10 分钟未确认（1 例）');
    expect(banner.textContent).toMatch(/张建国 · 城关镇卫生院 · 已等待 14 分钟 · 急性 ST 段抬高型心肌梗死 · 报告医生 张心电（2026-12-06 \d\d:00）/);
  });

  it('shows nothing while every finding is acknowledged in time, and goes away once the clinic acknowledges', async () => {
    const hub = hubAnswering([{ escalateAfterMinutes: 10, findings: [finding] }, { escalateAfterMinutes: 10, findings: [] }]);
    await renderBanner(hub, 50);
    await screen.findByRole('alert');
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    expect(hub.calls).toBeGreaterThanOrEqual(2);
  });

  it('asks again when the hub says the next report falls due, not a minute later', async () => {
    // Nothing escalated yet; the hub says the next one is due now (0 s): the banner asks again a moment later.
    const hub = hubAnswering([{ escalateAfterMinutes: 10, findings: [], nextDueInSeconds: 0 }, { escalateAfterMinutes: 10, findings: [finding], nextDueInSeconds: null }]);
    await renderBanner(hub, 10 * 60_000);
    expect(await screen.findByRole('alert', {}, { timeout: 4000 })).toBeTruthy();
    expect(hub.calls).toBe(2);
  });

  it('asks again when a report changes in the local records (the acknowledgement arrived by replication)', async () => {
    const hub = hubAnswering([{ escalateAfterMinutes: 10, findings: [finding] }, { escalateAfterMinutes: 10, findings: [] }]);
    const records = localRecords();
    await renderBanner(hub, 10 * 60_000, records);
    await screen.findByRole('alert');
    expect(hub.calls).toBe(1);
    records.reportChanged();
    records.reportChanged(); // a burst of changes makes one request
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    expect(hub.calls).toBe(2);
  });
});
