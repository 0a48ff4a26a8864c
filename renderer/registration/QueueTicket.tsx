import { useTranslation } from 'react-i18next';
import type { Patient, Visit } from '../../core/records/index.ts';

/**
 * 排队小票: a print-styled ticket. The print button uses the browser's own print dialog
 * (window.print), which also offers "save as PDF"; app.css hides everything else when printing.
 */
export function QueueTicket({ patient, visit }: { patient: Patient; visit: Visit }) {
  const { t } = useTranslation();
  return (
    <div className="queue-ticket-area">
      <article className="queue-ticket print-area" aria-label={t('registration.ticket.title')} data-testid="queue-ticket">
        <h3>{t('app.title')}</h3>
        <p className="ticket-label">{t('registration.ticket.number')}</p>
        <p className="ticket-number" data-testid="queue-number">
          {visit.queueNumber}
        </p>
        <dl>
          <dt>{t('registration.ticket.patient')}</dt>
          <dd>{patient.name}</dd>
          <dt>{t('registration.ticket.date')}</dt>
          <dd>{visit.visitDate}</dd>
        </dl>
        <p className="ticket-footer">{t('registration.ticket.footer')}</p>
      </article>
      <button type="button" className="no-print" onClick={() => window.print()}>
        {t('registration.ticket.print')}
      </button>
    </div>
  );
}
