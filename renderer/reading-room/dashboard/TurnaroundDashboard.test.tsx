import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { AntdTestRoot } from '../../testing/AntdTestRoot.tsx';
import { chooseOption, openSelect } from '../../testing/antd.ts';
import { initI18n, type Language } from '../../i18n/i18n.ts';
import type { HubConnection } from '../../../sync/client/hub-http.ts';
import { summariseTurnaround } from '../../../sync/hub/turnaround/aggregate.ts';
import type { StudyTurnaround } from '../../../sync/protocol/turnaround.ts';
import { TurnaroundDashboard } from './TurnaroundDashboard.tsx';

afterEach(cleanup);

const MIN = 60_000;
const now = new Date('2026-11-23T10:00:00.000Z');
const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * MIN).toISOString();
const study = (clinicId: string, priority: 'urgent' | 'routine', captured: number, received: number, opened: number | null, signed: number | null): StudyTurnaround => ({
  studyId: `${clinicId}-${captured}`,
  clinicId,
  priority,
  capturedAt: at(captured),
  receivedAt: at(received),
  openedAt: opened === null ? null : at(opened),
  signedAt: signed === null ? null : at(signed),
});
const studies = [
  study('chengguan', 'urgent', 60, 59, 57, 54), // 6 min in total
  study('chengguan', 'urgent', 40, 39, 36, 32), // 8 min
  study('hekou', 'urgent', 30, 28, 20, 15), // 15 min
  study('hekou', 'routine', 120, 119, 60, null),
];
const names = new Map([
  ['chengguan', '城关镇卫生院'],
  ['hekou', '河口乡卫生院'],
]);

/** The hub's answer, computed by the hub's own aggregation; the requests are recorded. */
function fakeHub(status = 200): { hub: HubConnection; requests: URL[] } {
  const requests: URL[] = [];
  const hub: HubConnection = {
    hubUrl: 'http://hub.test',
    getToken: () => 'token',
    fetch: async (input) => {
      const url = new URL(String(input));
      requests.push(url);
      const clinicId = url.searchParams.get('clinicId');
      const body =
        status === 200
          ? summariseTurnaround(clinicId ? studies.filter((s) => s.clinicId === clinicId) : studies, { from: at(30 * 24 * 60), to: now.toISOString(), generatedAt: now.toISOString() }, names, 200)
          : { error: { code: 'forbidden', message: 'Turnaround figures are for the ECG centre and county administrators', messageZh: '诊断时效统计仅限心电中心和县级管理员查看' } };
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    },
  };
  return { hub, requests };
}

async function renderDashboard(hub: HubConnection, language: Language = 'zh-CN') {
  const i18n = await initI18n(language);
  render(
    <I18nextProvider i18n={i18n}>
      <AntdTestRoot>
        <TurnaroundDashboard hub={hub} now={() => now} />
      </AntdTestRoot>
    </I18nextProvider>,
  );
}

describe('the centre turnaround dashboard', () => {
  it('shows median and p90 of each step by priority, per clinic, and the urgent chart against 10 minutes', async () => {
    const { hub, requests } = fakeHub();
    await renderDashboard(hub);
    const byPriority = await screen.findByTestId('turnaround-by-priority');
    const total = within(byPriority).getByText('采集→签发（全程）').closest('tr')!;
    // Urgent: 6, 8 and 15 min → median 8.0, p90 13.6; routine: none signed.
    expect([...total.querySelectorAll('td')].slice(1).map((td) => td.textContent)).toEqual(['8.0 分钟', '13.6 分钟', '3', '—', '—', '0']);
    expect(requests[0]!.pathname).toBe('/ecg/turnaround');
    expect(requests[0]!.searchParams.get('to')).toBe(now.toISOString());
    expect(requests[0]!.searchParams.get('from')).toBe(new Date(now.getTime() - 30 * 86_400_000).toISOString());

    const hekou = screen.getByTestId('turnaround-by-clinic').querySelector('tr[data-clinic="hekou"][data-priority="urgent"]')!;
    expect(hekou.textContent).toContain('河口乡卫生院');
    expect(hekou.textContent).toContain('15.0 分钟');
    const chart = screen.getByTestId('turnaround-chart');
    expect(chart.querySelectorAll('g[data-clinic]')).toHaveLength(2);
    expect(chart.textContent).toContain('目标 10 分钟');
    // 城关 7 min median is within the 10-minute target (green); 河口 15 min is over it (red).
    expect(chart.querySelector('g[data-clinic="chengguan"] .turnaround-bar-median')!.getAttribute('class')).toContain('within-target');
    expect(chart.querySelector('g[data-clinic="hekou"] .turnaround-bar-median')!.getAttribute('class')).toContain('over-target');
    expect(screen.getByTestId('turnaround-studies').querySelectorAll('tbody tr')).toHaveLength(4);
  });

  it('asks the hub again for one clinic and for another period', async () => {
    const { hub, requests } = fakeHub();
    await renderDashboard(hub, 'en');
    await screen.findByTestId('turnaround-by-priority');
    await chooseOption('Clinic', '河口乡卫生院');
    await waitFor(() => expect(requests.at(-1)!.searchParams.get('clinicId')).toBe('hekou'));
    await waitFor(() => expect(screen.getByTestId('turnaround-period-note').textContent).toContain('2 studies arrived'));
    // The clinic list keeps every clinic while one is chosen.
    expect(await openSelect('Clinic')).toHaveLength(3);
    await chooseOption('Period', 'Last 7 days');
    await waitFor(() => expect(requests.at(-1)!.searchParams.get('from')).toBe(new Date(now.getTime() - 7 * 86_400_000).toISOString()));
  });

  it('says why when the hub refuses the figures, in the UI language', async () => {
    await renderDashboard(fakeHub(403).hub);
    expect((await screen.findByRole('alert')).textContent).toBe('无法加载诊断时效：诊断时效统计仅限心电中心和县级管理员查看');
  });
});
