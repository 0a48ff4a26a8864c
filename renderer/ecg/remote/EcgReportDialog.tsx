/**
 * 心电图报告 — one click from the ECG screen, the queue and the consultation (issue 14 item 6): the
 * study's state in words and colour, and once signed, the diagnosis, the 危急值 flag, who signed it,
 * when and at which centre (names, never ids). Read from the local records, so it opens offline and
 * updates as replication brings the centre's progress. Esc or 关闭 closes it.
 */
import { useEffect, useRef, useState } from 'react';
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
  const close = useRef<HTMLButtonElement>(null);

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

  useEffect(() => {
    close.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const { study, patient, report } = loaded ?? {};
  return (
    <div className="report-overlay" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div className="report-dialog panel" role="dialog" aria-modal="true" aria-labelledby="ecg-report-title" data-testid="ecg-report-dialog">
        <h3 id="ecg-report-title">{t('remote.reportTitle', { name: patient?.name ?? '' })}</h3>
        {study && (
          <>
            <dl className="report-facts">
              <dt>{t('remote.state')}</dt>
              <dd>
                <ReadingStateTag shown={displayedState(study, undefined)} />
              </dd>
              <dt>{t('ecg.capturedAt')}</dt>
              <dd>{formatDateTime(study.capturedAt)}</dd>
              <dt>{t('ecg.priority')}</dt>
              <dd className={study.priority === 'urgent' ? 'urgent' : ''}>{t(`ecg.priorities.${study.priority}`)}</dd>
              <dt>{t('remote.heartRate')}</dt>
              <dd>{study.measurements.heartRate ?? '—'}</dd>
            </dl>
            {report ? (
              <section data-testid="ecg-report-diagnosis" aria-label={t('remote.diagnosis')}>
                <h4>
                  {t('remote.diagnosis')}
                  {report.critical && <strong className="critical-tag"> {t('remote.critical')}</strong>}
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
              <p className="muted">{t(`remote.noReportBecause.${study.readingState}`)}</p>
            )}
          </>
        )}
        <div className="actions">
          <button ref={close} type="button" onClick={onClose}>
            {t('remote.closeReport')}
          </button>
        </div>
      </div>
    </div>
  );
}
