/**
 * 心电图报告 — one click from the ECG screen, the queue and the consultation (issue 14 item 6): the
 * study's state in words and colour, and once signed, the diagnosis, the 危急值 flag, who signed it,
 * when and at which centre (names, never ids). Read from the local records, so it opens offline and
 * updates as replication brings the centre's progress. Esc or 关闭 closes it. An antd Modal.
 */
import { Alert, Button, Descriptions, Modal, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, type EcgReport, type EcgStudy, type Patient } from '../../../core/records/index.ts';
import { useClinic, useCollectionVersion } from '../../records/ClinicContext.tsx';
import { useNames } from '../../records/directory.tsx';
import { ReadingStateTag } from './ReadingStateTag.tsx';
import { displayedState, signedReportOf } from '../../../services/remote-diagnosis/sent-studies.ts';

interface Loaded {
  study: EcgStudy;
  patient: Patient | undefined;
  report: EcgReport | undefined;
}

export function EcgReportDialog({ studyId, onClose }: { studyId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { repo } = useClinic();
  const names = useNames();
  const version = useCollectionVersion('ecgStudies', 'ecgReports');
  const [loaded, setLoaded] = useState<Loaded | null>(null);

  useEffect(() => {
    let live = true;
    void (async () => {
      const study = await repo.get('ecgStudies', studyId);
      if (!study) return;
      const [patient, reports] = await Promise.all([repo.get('patients', study.patientId), repo.findBy('ecgReports', 'studyId', studyId)]);
      if (live) setLoaded({ study, patient, report: signedReportOf(reports) });
    })();
    return () => {
      live = false;
    };
  }, [repo, studyId, version]);

  // Esc closes (the window's key, as before: the dialog need not have the focus); antd's own Esc
  // handling is off so it does not close twice.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const { study, patient, report } = loaded ?? {};
  return (
    <Modal
      open
      width={720}
      title={t('remote.reportTitle', { name: patient?.name ?? '' })}
      closable={false}
      keyboard={false}
      onCancel={onClose}
      footer={
        <Button autoFocus onClick={onClose}>
          {t('remote.closeReport')}
        </Button>
      }
    >
      <div data-testid="ecg-report-dialog">
        {study && (
          <>
            <Descriptions
              size="small"
              column={2}
              items={[
                { key: 'state', label: t('remote.state'), children: <ReadingStateTag shown={displayedState(study, undefined)} /> },
                { key: 'capturedAt', label: t('ecg.capturedAt'), children: formatDateTime(study.capturedAt) },
                {
                  key: 'priority',
                  label: t('ecg.priority'),
                  children: <Tag color={study.priority === 'urgent' ? 'red' : 'default'}>{t(`ecg.priorities.${study.priority}`)}</Tag>,
                },
                { key: 'heartRate', label: t('remote.heartRate'), children: study.measurements.heartRate ?? '—' },
              ]}
            />
            {report ? (
              <section data-testid="ecg-report-diagnosis" aria-label={t('remote.diagnosis')}>
                <h4>
                  {t('remote.diagnosis')} {report.critical && <Tag color="red">{t('remote.critical')}</Tag>}
                </h4>
                <ol>
                  {report.statements.map((s) => (
                    <li key={s.code}>{s.text}</li>
                  ))}
                </ol>
                {report.freeText.trim() && <p>{report.freeText}</p>}
                <p className="muted" data-testid="ecg-report-signer">
                  {t('remote.signedBy', { name: names.person(report.signedBy), at: report.signedAt ? formatDateTime(report.signedAt) : '' })}
                  {`\u3000${names.institution(report.institutionId)}`}
                </p>
                {report.critical && report.acknowledgedAt && (
                  <p className="muted" data-testid="ecg-report-acknowledged">
                    {t('remote.criticalAcknowledgedBy', { name: names.person(report.acknowledgedBy ?? ''), at: formatDateTime(report.acknowledgedAt) })}
                  </p>
                )}
              </section>
            ) : (
              <Alert type="info" showIcon title={t(`remote.noReportBecause.${study.readingState}`)} />
            )}
          </>
        )}
      </div>
    </Modal>
  );
}
