import { Button, Empty, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { maskIdNumber } from '../../core/identity/index.ts';
import { ageInYearsOn, visitStatuses, type EcgStudy, type Patient, type Visit, type VisitStatus } from '../../core/records/index.ts';
import { useClinic, useCollectionVersion } from '../records/ClinicContext.tsx';
import { todayIso } from '../../services/records/clinic-records.ts';
import { useNames } from '../records/directory.tsx';
import { EcgReportDialog } from '../ecg/remote/EcgReportDialog.tsx';
import { ReadingStateTag } from '../ecg/remote/ReadingStateTag.tsx';
import { displayedState } from '../../services/remote-diagnosis/sent-studies.ts';
import './consultation.css';

interface QueueRow {
  visit: Visit;
  patient: Patient | undefined;
  ecg: EcgStudy | undefined;
}

/** The status of a group in the queue: blue waiting, amber with the doctor, green done, grey cancelled. */
const statusColours: Record<VisitStatus, string> = { waiting: 'blue', 'in-consultation': 'gold', closed: 'green', cancelled: 'default' };

/**
 * Today's visits by status, in queue order; refreshes when a visit or patient changes. Without
 * onOpen it is the registration desk's read-only view (nurses see the queue, doctors open visits).
 */
export function QueueList({ onOpen }: { onOpen?: ((visitId: string) => void) | undefined }) {
  const { t } = useTranslation();
  const { repo, session } = useClinic();
  const names = useNames();
  const version = useCollectionVersion('visits', 'patients', 'ecgStudies');
  const [rows, setRows] = useState<QueueRow[] | null>(null);
  const [viewing, setViewing] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      // Visits of this patient at other institutions sync here too (history); the queue is this clinic's.
      const visits = (await repo.visitsOn(todayIso())).filter((v) => v.institutionId === session.institutionId).sort((a, b) => a.queueNumber - b.queueNumber);
      const [patients, studies] = await Promise.all([
        Promise.all(visits.map((v) => repo.get('patients', v.patientId))),
        // The visit's latest ECG: its state and report one click from the queue.
        Promise.all(visits.map(async (v) => (await repo.findBy('ecgStudies', 'visitId', v.id)).sort((a, b) => b.capturedAt.localeCompare(a.capturedAt))[0])),
      ]);
      if (!cancelled) setRows(visits.map((visit, i) => ({ visit, patient: patients[i], ecg: studies[i] })));
    })();
    return () => {
      cancelled = true;
    };
  }, [repo, session.institutionId, version]);

  if (!rows) return <p className="muted">{t('common.loading')}</p>;
  const columns: ColumnsType<QueueRow> = [
    { key: 'number', title: t('queue.columns.number'), width: 64, render: (_, { visit }) => <strong>{t('queue.number', { number: visit.queueNumber })}</strong> },
    { key: 'name', title: t('queue.columns.name'), render: (_, { patient }) => patient?.name ?? '—' },
    {
      key: 'sexAge',
      title: t('queue.columns.sexAge'),
      width: 96,
      render: (_, { visit, patient }) => (patient ? `${t(`registration.sex.${patient.sex}`)} · ${t('consultation.age', { age: ageInYearsOn(patient.birthDate, visit.visitDate) })}` : '—'),
    },
    // Masked as on every list a passer-by may see (core/identity maskIdNumber); the full number is in the visit.
    { key: 'idNumber', title: t('queue.columns.idNumber'), render: (_, { patient }) => <span className="mono">{patient ? maskIdNumber(patient.idNumber) : '—'}</span> },
    {
      key: 'doctor',
      title: t('queue.columns.doctor'),
      // Who took the patient in: a name, never a user id.
      render: (_, { visit }) =>
        visit.doctorId && visit.status !== 'waiting' ? (
          <span data-testid="queue-doctor">{names.person(visit.doctorId)}</span>
        ) : (
          <span className="muted">—</span>
        ),
    },
    {
      key: 'ecg',
      title: t('remote.queueEcg'),
      render: (_, { patient, ecg }) =>
        ecg ? (
          <Space size={4} data-testid="queue-ecg">
            <ReadingStateTag shown={displayedState(ecg, undefined)} />
            <Button type="link" size="small" onClick={() => setViewing(ecg.id)} aria-label={`${t('remote.viewReport')} ${patient?.name ?? ''}`}>
              {t('remote.viewReport')}
            </Button>
          </Space>
        ) : null,
    },
    ...(onOpen
      ? [
          {
            key: 'open',
            width: 80,
            align: 'right' as const,
            render: (_: unknown, { visit, patient }: QueueRow) => (
              <Button
                size="small"
                type={visit.status === 'waiting' ? 'primary' : 'default'}
                onClick={() => onOpen(visit.id)}
                aria-label={`${visit.status === 'waiting' ? t('queue.open') : t('queue.view')} ${patient?.name ?? ''}`}
              >
                {visit.status === 'waiting' ? t('queue.open') : t('queue.view')}
              </Button>
            ),
          },
        ]
      : []),
  ];
  return (
    <section className="panel queue" aria-labelledby="queue-title">
      <h3 id="queue-title">{t('queue.title')}</h3>
      {rows.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('queue.empty')} />}
      {visitStatuses.map((status) => {
        const group = rows.filter((r) => r.visit.status === status);
        if (group.length === 0) return null;
        return (
          <div key={status} className="queue-group" data-status={status}>
            <h4>
              <Tag color={statusColours[status]}>
                {t(`queue.status.${status}`)} ({group.length})
              </Tag>
            </h4>
            <Table<QueueRow>
              size="small"
              rowKey={(r) => r.visit.id}
              columns={columns}
              dataSource={group}
              pagination={false}
              onRow={(r) => ({ 'data-testid': 'queue-row', 'data-visit-id': r.visit.id }) as HTMLAttributes<HTMLElement>}
            />
          </div>
        );
      })}
      {viewing && <EcgReportDialog studyId={viewing} onClose={() => setViewing(null)} />}
    </section>
  );
}
