/**
 * 阅片室 — the county ECG center's worklist and reading: studies sent to the center, urgent first
 * then longest waiting, updating live (replication's stream pulls each change); a new urgent study
 * beeps and shows a banner; opening a study claims it at the hub (a colleague's claim is refused
 * with their name), shows the tracing and the report form, and signing sends the report back.
 */
import { Alert, Button, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useRef, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { readDicomEcg } from '../../core/ecg/formats/index.ts';
import type { EcgRecording } from '../../core/ecg/recording.ts';
import { measureEcg, type EcgMeasurements } from '../../core/ecg/signal/index.ts';
import { ageInYearsOn, formatDate, formatDateTime, type EcgStudy, type Patient } from '../../core/records/index.ts';
import { CLAIM_TTL_MINUTES, type Claim } from '../../sync/protocol/ecg-reading.ts';
import { errorMessage } from '../app/messages.ts';
import { reportStudyOpened } from './dashboard/index.ts';
import { claimStudy, fetchDicom, institutionNames, openClaims, releaseStudy, signReport } from '../../services/reading-room/center-api.ts';
import type { CenterSession } from '../../services/reading-room/center-session.ts';
import { buildSignedReport, type ReportFormState } from './report-draft.ts';
import { ReportForm } from './ReportForm.tsx';
import { ReadingStateTag } from '../ecg/remote/ReadingStateTag.tsx';
import { useNames } from '../records/directory.tsx';
import { StudyViewer } from './StudyViewer.tsx';
import type { Beeper } from '../platform/beeper.ts';
import { newUrgentArrivals, waitingMinutes, worklistOrder } from './worklist.ts';

/** Renew well inside the hub's claim lifetime. */
const CLAIM_RENEW_MS = (CLAIM_TTL_MINUTES * 60_000) / 6;

interface Row {
  study: EcgStudy;
  patient: Patient | undefined;
}

interface OpenStudy extends Row {
  recording: EcgRecording;
  measurements: EcgMeasurements;
}

export function ReadingRoom({ session, beeper }: { session: CenterSession; beeper: Beeper }) {
  const { t, i18n } = useTranslation();
  const { repo, hub } = session;
  const [rows, setRows] = useState<Row[]>([]);
  const [claims, setClaims] = useState<Claim[]>([]);
  const [alert, setAlert] = useState<Row[]>([]);
  const [beeps, setBeeps] = useState(0);
  const [notice, setNotice] = useState<{ kind: 'error' | 'done'; text: string } | null>(null);
  const [open, setOpen] = useState<OpenStudy | null>(null);
  const [busy, setBusy] = useState(false);
  const [now, setNow] = useState(() => new Date());
  const seen = useRef<Set<string> | null>(null);
  const [clinics, setClinics] = useState<Map<string, string>>(new Map());
  // The hub's list when it answers; until then (or offline) the stored directory's names.
  const names = useNames();
  useEffect(() => {
    institutionNames(hub).then(setClinics, () => undefined);
  }, [hub]);

  const reload = useCallback(async () => {
    const all = await Promise.all(
      (['received', 'being-read'] as const).map((state) => repo.findBy('ecgStudies', 'readingState', state)),
    );
    const ordered = worklistOrder(all.flat());
    const withPatients = await Promise.all(ordered.map(async (study) => ({ study, patient: await repo.get('patients', study.patientId) })));
    const arrivals = newUrgentArrivals(seen.current, ordered);
    seen.current = new Set([...(seen.current ?? []), ...ordered.map((s) => s.id)]);
    setRows(withPatients);
    if (arrivals.length > 0) {
      beeper.beep();
      setBeeps(beeper.count);
      setAlert(withPatients.filter((r) => arrivals.some((a) => a.id === r.study.id)));
    }
    openClaims(hub).then(setClaims, () => undefined);
  }, [repo, hub, beeper]);

  useEffect(() => {
    void reload();
    const offs = [repo.onChange('ecgStudies', () => void reload()), repo.onChange('patients', () => void reload())];
    const tick = setInterval(() => {
      setNow(new Date());
      openClaims(hub).then(setClaims, () => undefined); // a colleague's claim changes no record
    }, 30_000);
    return () => {
      offs.forEach((off) => off());
      clearInterval(tick);
    };
  }, [repo, hub, reload]);

  // While a study is open its claim is renewed, so it never lapses under a cardiologist still reading.
  const openId = open?.study.id;
  useEffect(() => {
    if (!openId) return;
    const renew = setInterval(() => void claimStudy(hub, openId).catch(() => undefined), CLAIM_RENEW_MS);
    return () => clearInterval(renew);
  }, [hub, openId]);

  const openStudy = async (row: Row) => {
    setNotice(null);
    setBusy(true);
    try {
      await claimStudy(hub, row.study.id);
      // Turnaround 'opened' (the claim already counts; this covers a hub that records it separately).
      void reportStudyOpened(hub, row.study.id).catch(() => undefined);
      const bytes = await fetchDicom(hub, row.study.dicomSha256);
      const recording = readDicomEcg(bytes);
      setOpen({ ...row, recording, measurements: measureEcg(recording) });
      setAlert((a) => a.filter((r) => r.study.id !== row.study.id));
    } catch (error) {
      setNotice({ kind: 'error', text: errorMessage(i18n.language, error) });
    } finally {
      setBusy(false);
      void reload();
    }
  };

  const sign = async (form: ReportFormState) => {
    if (!open) return;
    setNotice(null);
    setBusy(true);
    try {
      const report = buildSignedReport(open.study, form, { userId: session.userId, institutionId: session.institutionId }, i18n.language);
      await signReport(hub, report);
      setNotice({ kind: 'done', text: t('readingRoom.signed', { name: open.patient?.name ?? '' }) });
      setOpen(null);
    } catch (error) {
      setNotice({ kind: 'error', text: errorMessage(i18n.language, error) });
    } finally {
      setBusy(false);
    }
  };

  const release = async () => {
    if (!open) return;
    await releaseStudy(hub, open.study.id).catch(() => undefined);
    setOpen(null);
    void reload();
  };

  const claimOf = (studyId: string) => claims.find((c) => c.studyId === studyId);

  const columns: ColumnsType<Row> = [
    {
      key: 'priority',
      title: t('ecg.priority'),
      width: 72,
      render: (_, { study }) => <Tag color={study.priority === 'urgent' ? 'red' : 'default'}>{t(`ecg.priorities.${study.priority}`)}</Tag>,
    },
    { key: 'patient', title: t('ecg.patientName'), render: (_, { patient }) => patient?.name ?? '' },
    {
      key: 'ageSex',
      title: t('readingRoom.ageSex'),
      render: (_, { study, patient }) =>
        patient ? `${t('consultation.age', { age: ageInYearsOn(patient.birthDate, formatDate(study.capturedAt)) })} · ${t(`registration.sex.${patient.sex}`)}` : '',
    },
    { key: 'clinic', title: t('readingRoom.clinic'), render: (_, { study }) => clinics.get(study.institutionId) ?? names.institution(study.institutionId) },
    { key: 'captured', title: t('ecg.capturedAt'), render: (_, { study }) => formatDateTime(study.capturedAt) },
    { key: 'waiting', title: t('readingRoom.waiting'), render: (_, { study }) => t('readingRoom.minutes', { count: waitingMinutes(study, now) }) },
    {
      key: 'state',
      title: t('remote.state'),
      render: (_, { study }) => {
        const claim = claimOf(study.id);
        return (
          <Space size={4} wrap>
            <ReadingStateTag shown={{ state: study.readingState }} />
            {claim && <Typography.Text type="secondary">{t('readingRoom.readBy', { name: claim.displayName })}</Typography.Text>}
          </Space>
        );
      },
    },
    {
      key: 'open',
      title: '',
      width: 80,
      render: (_, row) => (
        <Button type="primary" size="small" disabled={busy} onClick={() => void openStudy(row)}>
          {t('readingRoom.open')}
        </Button>
      ),
    },
  ];

  return (
    <section className="reading-room" aria-labelledby="screen-title" data-beeps={beeps}>
      <Typography.Title level={2} id="screen-title" className="reading-room-title">
        {t('readingRoom.title')}
      </Typography.Title>
      {alert.length > 0 && (
        <Alert
          className="urgent-banner"
          type="error"
          showIcon
          data-testid="urgent-alert"
          title={
            <>
              <strong>{t('readingRoom.newUrgent')}</strong> {alert.map((r) => r.patient?.name ?? '').join('、')}
            </>
          }
          action={
            <Button size="small" danger onClick={() => setAlert([])}>
              {t('readingRoom.dismiss')}
            </Button>
          }
        />
      )}
      {notice && (
        <Alert
          className="reading-notice"
          type={notice.kind === 'error' ? 'error' : 'success'}
          showIcon
          role={notice.kind === 'error' ? 'alert' : 'status'}
          data-testid="reading-notice"
          data-kind={notice.kind}
          title={notice.text}
        />
      )}
      {open ? (
        <div className="reading-open">
          <Typography.Title level={3} className="reading-open-title">
            {t('readingRoom.reading', { name: open.patient?.name ?? '' })}{' '}
            <Tag color={open.study.priority === 'urgent' ? 'red' : 'default'}>{t(`ecg.priorities.${open.study.priority}`)}</Tag>
          </Typography.Title>
          {open.study.clinicalNote && (
            <Typography.Paragraph>
              {t('ecg.clinicalNote')}：{open.study.clinicalNote}
            </Typography.Paragraph>
          )}
          <StudyViewer recording={open.recording} measurements={open.measurements} />
          <ReportForm busy={busy} onSign={(f) => void sign(f)} onRelease={() => void release()} />
        </div>
      ) : (
        <Table<Row>
          rowKey={(row) => row.study.id}
          size="small"
          data-testid="worklist"
          columns={columns}
          dataSource={rows}
          pagination={false}
          locale={{ emptyText: t('readingRoom.empty') }}
          rowClassName={(row) => (row.study.priority === 'urgent' ? 'urgent' : '')}
          onRow={(row) => ({ 'data-study-id': row.study.id, 'data-priority': row.study.priority }) as HTMLAttributes<HTMLElement>}
        />
      )}
    </section>
  );
}
