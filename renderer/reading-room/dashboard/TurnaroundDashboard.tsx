/**
 * The ECG centre's turnaround dashboard (诊断时效): median and p90 of each step of remote diagnosis
 * — captured → received → opened → signed — by priority and per clinic, an SVG chart of the urgent
 * total against the chest-pain standard's 10 minutes, and the latest studies one by one.
 * Self-contained: give it the hub connection of a signed-in centre user (or county administrator).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../core/records/index.ts';
import type { HubConnection } from '../../../sync/client/hub-http.ts';
import { turnaroundIntervals, type TurnaroundGroup, type TurnaroundSummary } from '../../../sync/protocol/turnaround.ts';
import { errorMessage } from '../../app/messages.ts';
import { fetchTurnaround } from '../../../services/reading-room/turnaround-api.ts';
import { formatDuration } from './format-duration.ts';
import { TurnaroundChart } from './TurnaroundChart.tsx';
import './turnaround.css';

const PERIODS = [7, 30, 90] as const;
const PRIORITIES = ['urgent', 'routine'] as const;
/** Studies listed one by one under the figures. */
const LISTED_STUDIES = 20;

const spanMs = (from: string | null, to: string | null) => (from === null || to === null || Date.parse(to) < Date.parse(from) ? null : Date.parse(to) - Date.parse(from));

export interface TurnaroundDashboardProps {
  hub: HubConnection;
  /** The clock for "the last N days" (tests pass a fixed one). */
  now?: () => Date;
}

export function TurnaroundDashboard({ hub, now = () => new Date() }: TurnaroundDashboardProps) {
  const { t, i18n } = useTranslation();
  const [days, setDays] = useState<(typeof PERIODS)[number]>(30);
  const [clinicId, setClinicId] = useState('');
  const [clinics, setClinics] = useState<{ id: string; name: string }[]>([]);
  const [summary, setSummary] = useState<TurnaroundSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  // The clock is read at each load, never a reason to load again.
  const clock = useRef(now);
  clock.current = now;

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    const to = clock.current();
    try {
      const result = await fetchTurnaround(hub, {
        from: new Date(to.getTime() - days * 86_400_000).toISOString(),
        to: to.toISOString(),
        ...(clinicId ? { clinicId } : {}),
      });
      setSummary(result);
      // The clinic choice lists every clinic seen unfiltered, so choosing one does not empty the list.
      if (!clinicId) setClinics(result.byClinic.map((c) => ({ id: c.clinicId, name: c.clinicName })));
    } catch (e) {
      setError(errorMessage(i18n.language, e));
    } finally {
      setLoading(false);
    }
  }, [hub, days, clinicId, i18n.language]);

  useEffect(() => {
    void load();
  }, [load]);

  const clinicName = (id: string) => summary?.byClinic.find((c) => c.clinicId === id)?.clinicName ?? clinics.find((c) => c.id === id)?.name ?? id;
  const cells = (group: TurnaroundGroup, interval: (typeof turnaroundIntervals)[number]) => {
    const s = group.intervals[interval];
    return [formatDuration(t, s.medianMs), formatDuration(t, s.p90Ms), String(s.count)];
  };
  const time = (iso: string | null) => (iso === null ? t('turnaround.none') : formatDateTime(iso));

  return (
    <section className="turnaround-dashboard" aria-labelledby="turnaround-title" data-testid="turnaround-dashboard">
      <h2 id="turnaround-title">{t('turnaround.title')}</h2>
      <div className="turnaround-controls">
        <label>
          {t('turnaround.period')}
          <select value={days} onChange={(e) => setDays(Number(e.target.value) as (typeof PERIODS)[number])} data-testid="turnaround-period">
            {PERIODS.map((d) => (
              <option key={d} value={d}>
                {t('turnaround.lastDays', { count: d })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('turnaround.clinic')}
          <select value={clinicId} onChange={(e) => setClinicId(e.target.value)} data-testid="turnaround-clinic">
            <option value="">{t('turnaround.allClinics')}</option>
            {clinics.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void load()} disabled={loading}>
          {loading ? t('turnaround.loading') : t('turnaround.refresh')}
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          {t('turnaround.loadFailed', { reason: error })}
        </p>
      )}
      {summary && (
        <>
          <p className="muted" data-testid="turnaround-period-note">
            {t('turnaround.periodNote', { studies: summary.overall.studies, signed: summary.overall.signed })}
          </p>
          <table className="turnaround-table" data-testid="turnaround-by-priority">
            <caption>{t('turnaround.byPriority')}</caption>
            <thead>
              <tr>
                <th scope="col" rowSpan={2}>
                  {t('turnaround.interval')}
                </th>
                {PRIORITIES.map((p) => (
                  <th key={p} scope="colgroup" colSpan={3}>
                    {t(`ecg.priorities.${p}`)}
                  </th>
                ))}
              </tr>
              <tr>
                {PRIORITIES.flatMap((p) => [
                  <th key={`${p}-m`} scope="col">{t('turnaround.median')}</th>,
                  <th key={`${p}-p`} scope="col">{t('turnaround.p90')}</th>,
                  <th key={`${p}-n`} scope="col">{t('turnaround.count')}</th>,
                ])}
              </tr>
            </thead>
            <tbody>
              {turnaroundIntervals.map((interval) => (
                <tr key={interval} data-interval={interval}>
                  <th scope="row">{t(`turnaround.intervals.${interval}`)}</th>
                  {PRIORITIES.flatMap((p) => cells(summary.byPriority[p], interval).map((v, i) => <td key={`${p}-${i}`}>{v}</td>))}
                </tr>
              ))}
            </tbody>
          </table>

          <TurnaroundChart clinics={summary.byClinic} />

          <table className="turnaround-table" data-testid="turnaround-by-clinic">
            <caption>{t('turnaround.byClinic')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('turnaround.clinic')}</th>
                <th scope="col">{t('turnaround.priorityColumn')}</th>
                <th scope="col">{t('turnaround.studies')}</th>
                <th scope="col">{t('turnaround.signed')}</th>
                <th scope="col">{t('turnaround.totalMedian')}</th>
                <th scope="col">{t('turnaround.totalP90')}</th>
                <th scope="col">{t('turnaround.centerMedian')}</th>
                <th scope="col">{t('turnaround.centerP90')}</th>
              </tr>
            </thead>
            <tbody>
              {summary.byClinic.flatMap((c) =>
                PRIORITIES.filter((p) => c.byPriority[p].studies > 0).map((p) => {
                  const g = c.byPriority[p];
                  return (
                    <tr key={`${c.clinicId}-${p}`} data-clinic={c.clinicId} data-priority={p}>
                      <th scope="row">{c.clinicName}</th>
                      <td>{t(`ecg.priorities.${p}`)}</td>
                      <td>{g.studies}</td>
                      <td>{g.signed}</td>
                      <td>{formatDuration(t, g.intervals.capturedToSigned.medianMs)}</td>
                      <td>{formatDuration(t, g.intervals.capturedToSigned.p90Ms)}</td>
                      <td>{formatDuration(t, g.intervals.receivedToSigned.medianMs)}</td>
                      <td>{formatDuration(t, g.intervals.receivedToSigned.p90Ms)}</td>
                    </tr>
                  );
                }),
              )}
            </tbody>
          </table>
          {summary.overall.clockSkewed > 0 && <p className="muted">{t('turnaround.clockSkewed', { count: summary.overall.clockSkewed })}</p>}

          <table className="turnaround-table" data-testid="turnaround-studies">
            <caption>{t('turnaround.latestStudies')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('turnaround.capturedAt')}</th>
                <th scope="col">{t('turnaround.clinic')}</th>
                <th scope="col">{t('turnaround.priorityColumn')}</th>
                <th scope="col">{t('turnaround.intervals.capturedToReceived')}</th>
                <th scope="col">{t('turnaround.intervals.receivedToOpened')}</th>
                <th scope="col">{t('turnaround.intervals.openedToSigned')}</th>
                <th scope="col">{t('turnaround.intervals.capturedToSigned')}</th>
              </tr>
            </thead>
            <tbody>
              {summary.studies.slice(0, LISTED_STUDIES).map((s) => (
                <tr key={s.studyId} data-study={s.studyId}>
                  <td>{time(s.capturedAt)}</td>
                  <td>{clinicName(s.clinicId)}</td>
                  <td>{t(`ecg.priorities.${s.priority}`)}</td>
                  <td>{formatDuration(t, spanMs(s.capturedAt, s.receivedAt))}</td>
                  <td>{formatDuration(t, spanMs(s.receivedAt, s.openedAt))}</td>
                  <td>{formatDuration(t, spanMs(s.openedAt, s.signedAt))}</td>
                  <td>{formatDuration(t, spanMs(s.capturedAt, s.signedAt))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
