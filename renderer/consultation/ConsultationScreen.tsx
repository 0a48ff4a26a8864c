import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueueList } from './QueueList.tsx';
import { VisitEditor } from './VisitEditor.tsx';

/** 门诊接诊 — today's queue, and the visit the doctor opened from it. */
export function ConsultationScreen() {
  const { t } = useTranslation();
  const [visitId, setVisitId] = useState<string | null>(null);
  return (
    <section className="consultation" aria-labelledby="screen-title">
      <h2 id="screen-title">{t('nav.consultation')}</h2>
      {visitId ? <VisitEditor key={visitId} visitId={visitId} onBack={() => setVisitId(null)} /> : <QueueList onOpen={setVisitId} />}
    </section>
  );
}
