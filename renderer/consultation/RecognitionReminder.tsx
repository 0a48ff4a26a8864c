/**
 * 互认提醒: shown when the doctor orders an item for which the patient has a qualifying prior result.
 * The doctor may open the result (counted as a view), recognize it (no new test), or order the test
 * again with one of the standard reasons.
 */
import { Button, Card, Input, Select, Space, Tag } from 'antd';
import { useEffect, useRef, useState } from 'react';
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
  // The reminder opens under the order search, often below the fold: bring it into view, since the
  // order waits for the doctor's answer.
  const card = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Braces: Chromium's scrollIntoView now returns a promise, which an effect must not.
    void card.current?.scrollIntoView?.({ block: 'nearest' });
  }, []);
  return (
    <Card
      ref={card}
      size="small"
      className="recognition-reminder"
      role="alertdialog"
      aria-labelledby="recognition-title"
      data-testid="recognition-reminder"
      title={<span id="recognition-title">{t('recognition.reminderTitle', { item: item.name })}</span>}
    >
      <p className="recognition-intro">
        {t('recognition.reminderIntro', { days: offer.ageDays, institution: names.institution(result.institutionId), date: formatDate(result.performedAt), window: item.validityDays })}{' '}
        {result.hrMark && <Tag color="green">{t('recognition.hrMark')}</Tag>}
        <Button type="link" size="small" aria-expanded={open} onClick={toggle}>
          {open ? t('recognition.hideResult') : t('recognition.viewResult')}
        </Button>
      </p>
      {open && (
        <div data-testid="recognition-result">
          {result.values.length > 0 && <ResultValuesTable values={result.values} />}
          {result.reportText && <p>{t('recognition.reportText', { text: result.reportText })}</p>}
        </div>
      )}
      <Space wrap className="recognition-decision">
        <Button type="primary" disabled={busy} onClick={onRecognize}>
          {t('recognition.recognize', { price: yuan(item.priceFen) })}
        </Button>
        <Button disabled={busy} onClick={onCancel}>
          {t('recognition.cancel')}
        </Button>
      </Space>
      <Space wrap align="end" className="recognition-reorder">
        <label>
          <span className="recognition-label">{t('recognition.reorderReason')}</span>
          <Select<ReorderReason>
            aria-label={t('recognition.reorderReason')}
            virtual={false}
            popupMatchSelectWidth={false}
            disabled={busy}
            value={reason}
            onChange={setReason}
            options={reorderReasons.map((r) => ({ value: r, label: t(`recognition.reasons.${r}`) }))}
            style={{ minWidth: 200 }}
          />
        </label>
        <label>
          <span className="recognition-label">{t('recognition.reorderNote')}</span>
          <Input value={note} maxLength={500} disabled={busy} placeholder={t('recognition.reorderNotePlaceholder')} onChange={(e) => setNote(e.target.value)} style={{ width: 220 }} />
        </label>
        <Button danger disabled={busy || (reason === 'other' && note.trim() === '')} onClick={() => onReorder(reason, note)}>
          {t('recognition.reorder')}
        </Button>
      </Space>
    </Card>
  );
}
