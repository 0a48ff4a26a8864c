/**
 * The ECG centre's turnaround dashboard (诊断时效): median and p90 of each step of remote diagnosis
 * — captured → received → opened → signed — by priority and per clinic, an SVG chart of the urgent
 * total against the chest-pain standard's 10 minutes, and the latest studies one by one.
 * Self-contained: give it the hub connection of a signed-in centre user (or county administrator).
 */
import { Alert, Button, Select, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useRef, useState, type HTMLAttributes } from 'react';
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

  type IntervalRow = { interval: (typeof turnaroundIntervals)[number] };
  const byPriorityColumns: ColumnsType<IntervalRow> = [
    { key: 'interval', title: t('turnaround.interval'), render: (_, { interval }) => t(`turnaround.intervals.${interval}`), onCell: () => ({ className: 'turnaround-row-head' }) },
    ...PRIORITIES.map((p) => ({
      key: p,
      title: t(`ecg.priorities.${p}`),
      children: [t('turnaround.median'), t('turnaround.p90'), t('turnaround.count')].map((title, i) => ({
        key: `${p}-${i}`,
        title,
        align: 'right' as const,
        render: (_: unknown, { interval }: IntervalRow) => (summary ? cells(summary.byPriority[p], interval)[i] : ''),
      })),
    })),
  ];

  type ClinicRow = { clinicId: string; clinicName: string; priority: (typeof PRIORITIES)[number]; group: TurnaroundGroup & { studies: number; signed: number } };
  const byClinicRows: ClinicRow[] = (summary?.byClinic ?? []).flatMap((c) =>
    PRIORITIES.filter((p) => c.byPriority[p].studies > 0).map((p) => ({ clinicId: c.clinicId, clinicName: c.clinicName, priority: p, group: c.byPriority[p] })),
  );
  const byClinicColumns: ColumnsType<ClinicRow> = [
    { key: 'clinic', title: t('turnaround.clinic'), dataIndex: 'clinicName' },
    { key: 'priority', title: t('turnaround.priorityColumn'), render: (_, r) => t(`ecg.priorities.${r.priority}`) },
    { key: 'studies', title: t('turnaround.studies'), align: 'right', render: (_, r) => r.group.studies },
    { key: 'signed', title: t('turnaround.signed'), align: 'right', render: (_, r) => r.group.signed },
    { key: 'totalMedian', title: t('turnaround.totalMedian'), align: 'right', render: (_, r) => formatDuration(t, r.group.intervals.capturedToSigned.medianMs) },
    { key: 'totalP90', title: t('turnaround.totalP90'), align: 'right', render: (_, r) => formatDuration(t, r.group.intervals.capturedToSigned.p90Ms) },
    { key: 'centerMedian', title: t('turnaround.centerMedian'), align: 'right', render: (_, r) => formatDuration(t, r.group.intervals.receivedToSigned.medianMs) },
    { key: 'centerP90', title: t('turnaround.centerP90'), align: 'right', render: (_, r) => formatDuration(t, r.group.intervals.receivedToSigned.p90Ms) },
  ];

  type StudyRow = TurnaroundSummary['studies'][number];
  const studyColumns: ColumnsType<StudyRow> = [
    { key: 'captured', title: t('turnaround.capturedAt'), render: (_, s) => time(s.capturedAt) },
    { key: 'clinic', title: t('turnaround.clinic'), render: (_, s) => clinicName(s.clinicId) },
    { key: 'priority', title: t('turnaround.priorityColumn'), render: (_, s) => t(`ecg.priorities.${s.priority}`) },
    { key: 'received', title: t('turnaround.intervals.capturedToReceived'), align: 'right', render: (_, s) => formatDuration(t, spanMs(s.capturedAt, s.receivedAt)) },
    { key: 'opened', title: t('turnaround.intervals.receivedToOpened'), align: 'right', render: (_, s) => formatDuration(t, spanMs(s.receivedAt, s.openedAt)) },
    { key: 'signed', title: t('turnaround.intervals.openedToSigned'), align: 'right', render: (_, s) => formatDuration(t, spanMs(s.openedAt, s.signedAt)) },
    { key: 'total', title: t('turnaround.intervals.capturedToSigned'), align: 'right', render: (_, s) => formatDuration(t, spanMs(s.capturedAt, s.signedAt)) },
  ];

  return (
    <section className="turnaround-dashboard" aria-labelledby="turnaround-title" data-testid="turnaround-dashboard">
      <Typography.Title level={2} id="turnaround-title" className="turnaround-title">
        {t('turnaround.title')}
      </Typography.Title>
      <Space className="turnaround-controls" wrap>
        <span aria-hidden="true">{t('turnaround.period')}</span>
        <Select<(typeof PERIODS)[number]>
          aria-label={t('turnaround.period')}
          data-testid="turnaround-period"
          value={days}
          onChange={setDays}
          style={{ minWidth: 120 }}
          options={PERIODS.map((d) => ({ value: d, label: t('turnaround.lastDays', { count: d }) }))}
        />
        <span aria-hidden="true">{t('turnaround.clinic')}</span>
        <Select<string>
          aria-label={t('turnaround.clinic')}
          data-testid="turnaround-clinic"
          value={clinicId}
          onChange={setClinicId}
          style={{ minWidth: 180 }}
          options={[{ value: '', label: t('turnaround.allClinics') }, ...clinics.map((c) => ({ value: c.id, label: c.name }))]}
        />
        <Button onClick={() => void load()} disabled={loading}>
          {loading ? t('turnaround.loading') : t('turnaround.refresh')}
        </Button>
      </Space>
      {error && <Alert type="error" showIcon title={t('turnaround.loadFailed', { reason: error })} />}
      {summary && (
        <>
          <Typography.Text type="secondary" data-testid="turnaround-period-note">
            {t('turnaround.periodNote', { studies: summary.overall.studies, signed: summary.overall.signed })}
          </Typography.Text>
          <Table<IntervalRow>
            className="turnaround-table"
            data-testid="turnaround-by-priority"
            size="small"
            bordered
            pagination={false}
            title={() => t('turnaround.byPriority')}
            rowKey="interval"
            columns={byPriorityColumns}
            dataSource={turnaroundIntervals.map((interval) => ({ interval }))}
            onRow={({ interval }) => ({ 'data-interval': interval }) as HTMLAttributes<HTMLElement>}
          />

          <TurnaroundChart clinics={summary.byClinic} />

          <Table<ClinicRow>
            className="turnaround-table"
            data-testid="turnaround-by-clinic"
            size="small"
            bordered
            pagination={false}
            title={() => t('turnaround.byClinic')}
            rowKey={(r) => `${r.clinicId}-${r.priority}`}
            columns={byClinicColumns}
            dataSource={byClinicRows}
            onRow={(r) => ({ 'data-clinic': r.clinicId, 'data-priority': r.priority }) as HTMLAttributes<HTMLElement>}
          />
          {summary.overall.clockSkewed > 0 && <Typography.Text type="secondary">{t('turnaround.clockSkewed', { count: summary.overall.clockSkewed })}</Typography.Text>}

          <Table<StudyRow>
            className="turnaround-table"
            data-testid="turnaround-studies"
            size="small"
            bordered
            pagination={false}
            title={() => t('turnaround.latestStudies')}
            rowKey="studyId"
            columns={studyColumns}
            dataSource={summary.studies.slice(0, LISTED_STUDIES)}
            onRow={(s) => ({ 'data-study': s.studyId }) as HTMLAttributes<HTMLElement>}
          />
        </>
      )}
    </section>
  );
}
