import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { visitStatuses, type Patient, type Visit } from '../../core/records/index.ts';
import { useClinic, useCollectionVersion } from '../records/ClinicContext.tsx';
import { todayIso } from '../records/clinic-records.ts';
import { useNames } from '../records/directory.tsx';

/**
 * Today's visits by status, in queue order; refreshes when a visit or patient changes. Without
 * onOpen it is the registration desk's read-only view (nurses see the queue, doctors open visits).
 */
export function QueueList({ onOpen }: { onOpen?: ((visitId: string) => void) | undefined }) {
  const { t } = useTranslation();
  const { repo, session } = useClinic();
  const names = useNames();
  const version = useCollectionVersion('visits', 'patients');
  const [rows, setRows] = useState<Array<{ visit: Visit; patient: Patient | undefined }> | null>(null);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      // Visits of this patient at other institutions sync here too (history); the queue is this clinic's.
      const visits = (await repo.visitsOn(todayIso())).filter((v) => v.institutionId === session.institutionId).sort((a, b) => a.queueNumber - b.queueNumber);
      const patients = await Promise.all(visits.map((v) => repo.get('patients', v.patientId)));
      if (!cancelled) setRows(visits.map((visit, i) => ({ visit, patient: patients[i] })));
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
              {group.map(({ visit, patient }) => (
                <li key={visit.id} data-testid="queue-row" data-visit-id={visit.id}>
                  <span className="queue-number">{t('queue.number', { number: visit.queueNumber })}</span>
                  <span className="queue-name">{patient?.name ?? '—'}</span>
                  {/* Who took the patient in: a name, never a user id. */}
                  {visit.doctorId && status !== 'waiting' && (
                    <span className="queue-doctor muted" data-testid="queue-doctor">
                      {names.person(visit.doctorId)}
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
    </section>
  );
}
