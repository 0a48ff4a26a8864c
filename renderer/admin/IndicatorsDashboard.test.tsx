import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import type { IndicatorQuery, IndicatorResponse } from '../../sync/protocol/recognition.ts';
import { SyncError } from '../../sync/client/hub-http.ts';
import { initI18n } from '../i18n/i18n.ts';
import { IndicatorsDashboard } from './IndicatorsDashboard.tsx';
import { CSV_BOM, indicatorsCsv } from './indicators-csv.ts';
import { niceMax } from './BarChart.tsx';

afterEach(cleanup);

const report: IndicatorResponse = {
  from: '2026-06-01',
  to: '2026-11-23',
  period: 'month',
  rows: [
    { institutionId: 'chengguan', institutionName: '城关镇卫生院', period: '2026-10', reminders: 4, views: 2, recognitions: 3, refusals: 1, recognitionRate: 0.75, savedFen: 12000 },
    { institutionId: 'hekou', institutionName: '河口乡卫生院, 东院', period: '2026-11', reminders: 2, views: 0, recognitions: 1, refusals: 1, recognitionRate: 0.5, savedFen: 2000 },
  ],
  totals: { reminders: 6, views: 2, recognitions: 4, refusals: 2, recognitionRate: 4 / 6, savedFen: 14000 },
};

async function renderDashboard(load: (q: IndicatorQuery) => Promise<IndicatorResponse>) {
  const i18n = await initI18n('zh-CN');
  const queries: IndicatorQuery[] = [];
  render(
    <I18nextProvider i18n={i18n}>
      <IndicatorsDashboard source={{ load: (q) => (queries.push(q), load(q)) }} />
    </I18nextProvider>,
  );
  return queries;
}

describe('the recognition indicators dashboard', () => {
  it('shows reminders, views, recognitions, rate and money saved per institution and month, with totals and charts', async () => {
    const queries = await renderDashboard(async () => report);
    const table = await screen.findByTestId('indicators-table');
    const chengguan = table.querySelector('[data-institution="chengguan"]') as HTMLElement;
    expect(within(chengguan).getByText('城关镇卫生院')).toBeTruthy();
    expect(chengguan.querySelector('[data-column="rate"]')!.textContent).toBe('75.0%');
    expect(chengguan.querySelector('[data-column="saved"]')!.textContent).toBe('120.00');
    const totals = screen.getByTestId('indicators-totals');
    expect(totals.querySelector('[data-column="reminders"]')!.textContent).toBe('6');
    expect(totals.querySelector('[data-column="rate"]')!.textContent).toBe('66.7%');
    // One bar per month and series, each with its exact value.
    const bars = screen.getByTestId('chart-counts').querySelectorAll('rect[data-value]');
    expect([...bars].map((b) => b.getAttribute('data-value'))).toEqual(['4', '3', '2', '1']);
    expect(queries[0]).toMatchObject({ period: 'month' });
  });

  it('asks again for the chosen days and period', async () => {
    const queries = await renderDashboard(async () => report);
    await screen.findByTestId('indicators-table');
    fireEvent.change(screen.getByLabelText('开始日期'), { target: { value: '2026-11-01' } });
    fireEvent.change(screen.getByLabelText('统计周期'), { target: { value: 'day' } });
    fireEvent.click(screen.getByRole('button', { name: '查询' }));
    await screen.findByTestId('indicators-table');
    expect(queries.at(-1)).toMatchObject({ from: '2026-11-01', period: 'day' });
  });

  it("shows the hub's refusal in the user's language", async () => {
    await renderDashboard(async () => {
      throw new SyncError('forbidden', 403, 'Administrators only', '仅限管理员查看');
    });
    expect((await screen.findByText(/查询失败/)).textContent).toBe('查询失败：仅限管理员查看');
  });
});

describe('the CSV export', () => {
  it('starts with a UTF-8 byte-order mark so Excel reads the Chinese names, quotes commas, and ends with totals', () => {
    const labels = { institution: '机构', period: '期间', reminders: '提醒次数', views: '查阅次数', recognitions: '互认次数', refusals: '不互认次数', rate: '互认率', saved: '节省费用（元）', totals: '合计' };
    const csv = indicatorsCsv(report, labels);
    expect(csv.startsWith(CSV_BOM)).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('机构,期间,提醒次数,查阅次数,互认次数,不互认次数,互认率,节省费用（元）');
    expect(lines[1]).toBe('城关镇卫生院,2026-10,4,2,3,1,75.0%,120.00');
    expect(lines[2]).toBe('"河口乡卫生院, 东院",2026-11,2,0,1,1,50.0%,20.00');
    expect(lines[3]).toBe('合计,2026-06-01~2026-11-23,6,2,4,2,66.7%,140.00');
    expect([...new TextEncoder().encode(csv).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('rounds chart axes to 1, 2 or 5 times a power of ten', () => {
    expect([niceMax(0), niceMax(3), niceMax(7), niceMax(140), niceMax(1000)]).toEqual([1, 5, 10, 200, 1000]);
  });
});
