import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Patient, Visit } from '../../core/records/index.ts';
import { usePrintPage } from '../platform/print.ts';

/**
 * 排队小票: a print-styled ticket; app.css hides everything else when printing. The print button
 * prints on the desktop app's chosen ticket printer, or opens the browser's print dialog (which also
 * offers "save as PDF") — renderer/platform/print.ts.
 */
export function QueueTicket({ patient, visit }: { patient: Patient; visit: Visit }) {
  const { t } = useTranslation();
  const ticketPrint = usePrintPage('ticket');
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
      <Button className="no-print" onClick={ticketPrint.print}>
        {t('registration.ticket.print')}
      </Button>
      {ticketPrint.error && <Alert className="no-print" type="error" showIcon title={ticketPrint.error} />}
    </div>
  );
}
