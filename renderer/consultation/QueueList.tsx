import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { visitStatuses, type EcgStudy, type Patient, type Visit } from '../../core/records/index.ts';
import { useClinic, useCollectionVersion } from '../records/ClinicContext.tsx';
import { todayIso } from '../../services/records/clinic-records.ts';
import { useNames } from '../records/directory.tsx';
import { EcgReportDialog } from '../ecg/remote/EcgReportDialog.tsx';
import { ReadingStateTag } from '../ecg/remote/ReadingStateTag.tsx';
import { displayedState } from '../../services/remote-diagnosis/sent-studies.ts';

/**
 * Today's visits by status, in queue order; refreshes when a visit or patient changes. Without
 * onOpen it is the registration desk's read-only view (nurses see the queue, doctors open visits).
 */
export function QueueList({ onOpen }: { onOpen?: ((visitId: string) => void) | undefined }) {
  const { t } = useTranslation();
  const { repo, session } = useClinic();
  const names = useNames();
  const version = useCollectionVersion('visits', 'patients', 'ecgStudies');
  const [rows, setRows] = useState<Array<{ visit: Visit; patient: Patient | undefined; ecg: EcgStudy | undefined }> | null>(null);
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
  return (
    <section className="panel queue" aria-labelledby="queue-title">
      <h3 id="queue-title">{t('queue.title')}</h3>
      {rows.length === 0 && <p className="muted">{t('queue.empty')}</p>}
      {visitStatuses.map((status) => {
        const group = rows.filter((r) => r.visit.status === status);
        if (group.length === 0) return null;
        return (
          <div key={status} className="queue-group" data-status={status}>
            <h4>
              {t(`queue.status.${status}`)} ({group.length})
            </h4>
            <ul>
              {group.map(({ visit, patient, ecg }) => (
                <li key={visit.id} data-testid="queue-row" data-visit-id={visit.id}>
                  <span className="queue-number">{t('queue.number', { number: visit.queueNumber })}</span>
                  <span className="queue-name">{patient?.name ?? '—'}</span>
                  {/* Who took the patient in: a name, never a user id. */}
                  {visit.doctorId && status !== 'waiting' && (
                    <span className="queue-doctor muted" data-testid="queue-doctor">
                      {names.person(visit.doctorId)}
                    </span>
                  )}
                  {ecg && (
                    <span className="queue-ecg" data-testid="queue-ecg">
                      {t('remote.queueEcg')}
                      <ReadingStateTag shown={displayedState(ecg, undefined)} />
                      <button type="button" className="link-button" onClick={() => setViewing(ecg.id)} aria-label={`${t('remote.viewReport')} ${patient?.name ?? ''}`}>
                        {t('remote.viewReport')}
                      </button>
                    </span>
                  )}
                  {onOpen && (
                  <button type="button" onClick={() => onOpen(visit.id)} aria-label={`${status === 'waiting' ? t('queue.open') : t('queue.view')} ${patient?.name ?? ''}`}>
                    {status === 'waiting' ? t('queue.open') : t('queue.view')}
                  </button>
                  )}
                </li>
              ))}
            </ul>
          </div>
        );
      })}
      {viewing && <EcgReportDialog studyId={viewing} onClose={() => setViewing(null)} />}
    </section>
  );
}
