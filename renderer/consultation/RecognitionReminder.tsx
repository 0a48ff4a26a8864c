/**
 * 互认提醒: shown when the doctor orders an item for which the patient has a qualifying prior result.
 * The doctor may open the result (counted as a view), recognize it (no new test), or order the test
 * again with one of the standard reasons.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { reorderReasons, type ReorderReason } from '../../core/recognition/index.ts';
import { formatDate } from '../../core/records/index.ts';
import type { Offer } from '../../services/records/recognition.ts';
import { ResultValuesTable } from './ResultValues.tsx';
import { useNames } from '../records/directory.tsx';

export interface RecognitionReminderProps {
  offer: Offer;
  busy: boolean;
  onView: () => void;
  onRecognize: () => void;
  onReorder: (reason: ReorderReason, note: string) => void;
  onCancel: () => void;
}

const yuan = (fen: number) => (fen / 100).toFixed(2);

export function RecognitionReminder({ offer, busy, onView, onRecognize, onReorder, onCancel }: RecognitionReminderProps) {
  const { t } = useTranslation();
  const names = useNames();
  const [open, setOpen] = useState(false);
  const [viewed, setViewed] = useState(false);
  const [reason, setReason] = useState<ReorderReason>('condition-changed');
  const [note, setNote] = useState('');
  const { result, item } = offer;
  const toggle = () => {
    if (!open && !viewed) {
      setViewed(true);
      onView(); // counted once per reminder, however often the doctor opens it
    }
    setOpen(!open);
  };
  return (
    <section className="panel recognition-reminder" role="alertdialog" aria-labelledby="recognition-title" data-testid="recognition-reminder">
      <h4 id="recognition-title">{t('recognition.reminderTitle', { item: item.name })}</h4>
      <p>
        {t('recognition.reminderIntro', { days: offer.ageDays, institution: names.institution(result.institutionId), date: formatDate(result.performedAt), window: item.validityDays })}{' '}
        {result.hrMark && <span className="badge badge-hr">{t('recognition.hrMark')}</span>}
      </p>
      <button type="button" className="link-button" aria-expanded={open} onClick={toggle}>
        {open ? t('recognition.hideResult') : t('recognition.viewResult')}
      </button>
      {open && (
        <div data-testid="recognition-result">
          {result.values.length > 0 && <ResultValuesTable values={result.values} />}
          {result.reportText && <p>{t('recognition.reportText', { text: result.reportText })}</p>}
        </div>
      )}
      <div className="actions">
        <button type="button" className="primary" disabled={busy} onClick={onRecognize}>
          {t('recognition.recognize', { price: yuan(item.priceFen) })}
        </button>
        <button type="button" disabled={busy} onClick={onCancel}>
          {t('recognition.cancel')}
        </button>
      </div>
      <fieldset className="recognition-reorder" disabled={busy}>
        <label>
          {t('recognition.reorderReason')}
          <select value={reason} onChange={(e) => setReason(e.target.value as ReorderReason)}>
            {reorderReasons.map((r) => (
              <option key={r} value={r}>
                {t(`recognition.reasons.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('recognition.reorderNote')}
          <input value={note} maxLength={500} placeholder={t('recognition.reorderNotePlaceholder')} onChange={(e) => setNote(e.target.value)} />
        </label>
        <button type="button" disabled={reason === 'other' && note.trim() === ''} onClick={() => onReorder(reason, note)}>
          {t('recognition.reorder')}
        </button>
      </fieldset>
    </section>
  );
}
