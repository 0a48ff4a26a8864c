/**
 * 互认指标看板: the administrator's view of mutual recognition — per institution and period, how many
 * reminders were shown, how often the prior result was opened, recognized or refused, the rate and the
 * money saved — with two charts and a CSV export. Self-contained: it needs only an IndicatorsSource
 * (the hub under the signed-in administrator's token); the hub scopes what each administrator sees.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IndicatorResponse } from '../../sync/protocol/recognition.ts';
import { errorMessage } from '../app/messages.ts';
import { BarChart } from './BarChart.tsx';
import type { IndicatorsSource } from '../../services/admin/indicators-client.ts';
import { indicatorsCsv } from './indicators-csv.ts';
import { lastSixChinaMonths } from '../../core/recognition/index.ts';

const defaultRange = () => lastSixChinaMonths(new Date());

export function IndicatorsDashboard({ source }: { source: IndicatorsSource | null }) {
  const { t, i18n } = useTranslation();
  const [range, setRange] = useState(defaultRange);
  const [period, setPeriod] = useState<'day' | 'month'>('month');
  const [report, setReport] = useState<IndicatorResponse | null>(null);
  const [state, setState] = useState<{ kind: 'idle' | 'loading' } | { kind: 'error'; text: string }>({ kind: 'idle' });

  const load = async () => {
    if (!source) return;
    setState({ kind: 'loading' });
    try {
      setReport(await source.load({ ...range, period }));
      setState({ kind: 'idle' });
    } catch (error) {
      setState({ kind: 'error', text: t('indicators.loadFailed', { message: errorMessage(i18n.language, error) }) });
    }
  };
  // The current range is shown at once (and again for a new source); later changes wait for "show".
  useEffect(() => {
    void load();
  }, [source]);

  const exportCsv = () => {
    if (!report) return;
    const labels = { ...(t('indicators.columns', { returnObjects: true }) as Record<string, string>), totals: t('indicators.totals') };
    const blob = new Blob([indicatorsCsv(report, labels as Parameters<typeof indicatorsCsv>[1])], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `recognition-indicators-${report.from}-${report.to}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const status = (
    <div role="status" data-testid="indicators-status">
      {state.kind === 'loading' && <p className="muted">{t('indicators.loading')}</p>}
      {state.kind === 'error' && <p className="error">{state.text}</p>}
    </div>
  );

  if (!source) {
    return (
      <section className="indicators" aria-labelledby="indicators-title">
        <h3 id="indicators-title">{t('indicators.title')}</h3>
        <p className="notice">{t('indicators.noHub')}</p>
      </section>
    );
  }

  const periods = [...new Set(report?.rows.map((r) => r.period) ?? [])].sort();
  const perPeriod = (key: 'reminders' | 'recognitions' | 'savedFen') => periods.map((p) => (report?.rows ?? []).filter((r) => r.period === p).reduce((s, r) => s + r[key], 0));
  const rate = (r: number | null) => (r === null ? t('indicators.noRate') : `${(r * 100).toFixed(1)}%`);
  const yuan = (fen: number) => (fen / 100).toFixed(2);

  return (
    <section className="indicators" aria-labelledby="indicators-title">
      <h3 id="indicators-title">
        {t('indicators.title')}
      </h3>
      <form
        className="indicators-query"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <label>
          {t('indicators.from')}
          <input type="date" value={range.from} max={range.to} onChange={(e) => setRange({ ...range, from: e.target.value })} required />
        </label>
        <label>
          {t('indicators.to')}
          <input type="date" value={range.to} min={range.from} onChange={(e) => setRange({ ...range, to: e.target.value })} required />
        </label>
        <label>
          {t('indicators.period')}
          <select value={period} onChange={(e) => setPeriod(e.target.value as 'day' | 'month')}>
            <option value="month">{t('indicators.periods.month')}</option>
            <option value="day">{t('indicators.periods.day')}</option>
          </select>
        </label>
        <button type="submit" disabled={state.kind === 'loading'}>
          {t('indicators.refresh')}
        </button>
        <button type="button" onClick={exportCsv} disabled={!report}>
          {t('indicators.exportCsv')}
        </button>
      </form>
      {status}
      {report && report.rows.length === 0 && <p className="muted">{t('indicators.empty')}</p>}
      {report && report.rows.length > 0 && (
        <>
          <table className="indicators-table" data-testid="indicators-table">
            <thead>
              <tr>
                {(['institution', 'period', 'reminders', 'views', 'recognitions', 'refusals', 'rate', 'saved'] as const).map((c) => (
                  <th key={c}>{t(`indicators.columns.${c}`)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.rows.map((r) => (
                <tr key={`${r.institutionId}-${r.period}`} data-institution={r.institutionId} data-period={r.period}>
                  <td>{r.institutionName}</td>
                  <td>{r.period}</td>
                  <td data-column="reminders">{r.reminders}</td>
                  <td data-column="views">{r.views}</td>
                  <td data-column="recognitions">{r.recognitions}</td>
                  <td data-column="refusals">{r.refusals}</td>
                  <td data-column="rate">{rate(r.recognitionRate)}</td>
                  <td data-column="saved">{yuan(r.savedFen)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr data-testid="indicators-totals">
                <th colSpan={2}>{t('indicators.totals')}</th>
                <td data-column="reminders">{report.totals.reminders}</td>
                <td data-column="views">{report.totals.views}</td>
                <td data-column="recognitions">{report.totals.recognitions}</td>
                <td data-column="refusals">{report.totals.refusals}</td>
                <td data-column="rate">{rate(report.totals.recognitionRate)}</td>
                <td data-column="saved">{yuan(report.totals.savedFen)}</td>
              </tr>
            </tfoot>
          </table>
          <div className="indicators-charts">
            <BarChart
              testId="chart-counts"
              title={t('indicators.chartCounts')}
              categories={periods}
              series={[
                { label: t('indicators.columns.reminders'), color: '#5b8def', values: perPeriod('reminders') },
                { label: t('indicators.columns.recognitions'), color: '#2e9d5b', values: perPeriod('recognitions') },
              ]}
            />
            <BarChart
              testId="chart-saved"
              title={t('indicators.chartSaved')}
              categories={periods}
              series={[{ label: t('indicators.columns.saved'), color: '#e0a030', values: perPeriod('savedFen').map((f) => f / 100) }]}
              format={(v) => v.toFixed(0)}
            />
          </div>
        </>
      )}
    </section>
  );
}
