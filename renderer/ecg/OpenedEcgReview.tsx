/**
 * Read-only review of an ECG file opened from the OS (renderer/ecg/open-file.ts): the 3×4 leads and
 * the rhythm strip on paper with calipers, and the measurements, at the screen's paper speed and
 * gain. Nothing is saved: the file belongs to no visit. A file that could not be read shows why.
 */
import { useTranslation } from 'react-i18next';
import { inLanguage } from '../app/messages.ts';
import { Calipers } from './Calipers.tsx';
import { SCREEN_PX_PER_MM } from './LiveView.tsx';
import { MeasurementsTable } from './MeasurementsTable.tsx';
import type { OpenedEcg } from './open-file.ts';
import { secondsToPx, type PaperScale } from './paper-grid.ts';
import { reviewPaperMm } from './tracing.ts';
import { TracingCanvas } from './TracingCanvas.tsx';

export function OpenedEcgReview({ opened, speedMmPerS, gainMmPerMv, onClose }: { opened: OpenedEcg; speedMmPerS: number; gainMmPerMv: number; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const close = (
    <button type="button" onClick={onClose}>
      {t('ecgFile.close')}
    </button>
  );
  if (opened.kind === 'failed') {
    return (
      <section className="ecg-opened-file panel" aria-labelledby="ecg-opened-title" data-testid="ecg-opened-file">
        <h3 id="ecg-opened-title">{t('ecgFile.failedTitle', { name: opened.fileName })}</h3>
        <p className="notice error" role="alert" data-testid="ecg-opened-file-error" data-code={opened.code}>
          {inLanguage(i18n.language, opened)}
        </p>
        <div className="actions">{close}</div>
      </section>
    );
  }
  const { recording, measurements } = opened;
  const scale: PaperScale = { speedMmPerS, gainMmPerMv, pxPerMm: SCREEN_PX_PER_MM };
  const { widthMm, heightMm, marginMm } = reviewPaperMm(scale);
  const firstR = (measurements.rPeaks[0] ?? 0) / recording.sampleRateHz;
  const rr = (measurements.rrIntervalsMs[0] ?? 1000) / 1000;
  const initial: [number, number] = [marginMm * SCREEN_PX_PER_MM + secondsToPx(firstR, scale), marginMm * SCREEN_PX_PER_MM + secondsToPx(firstR + rr, scale)];
  return (
    <section className="ecg-opened-file" aria-labelledby="ecg-opened-title" data-testid="ecg-opened-file">
      <h3 id="ecg-opened-title">{t('ecgFile.title', { name: opened.fileName, format: t(`ecgFile.formats.${opened.format}`) })}</h3>
      <p className="muted">{t('ecgFile.notSaved')}</p>
      <div className="ecg-paper" style={{ width: widthMm * SCREEN_PX_PER_MM, height: heightMm * SCREEN_PX_PER_MM }}>
        <TracingCanvas recording={recording} scale={scale} label={t('ecg.tracingLabel')} testId="ecg-opened-canvas" />
        <Calipers widthPx={widthMm * SCREEN_PX_PER_MM} heightPx={heightMm * SCREEN_PX_PER_MM} scale={scale} initial={initial} />
      </div>
      <MeasurementsTable measurements={measurements} />
      <div className="actions">{close}</div>
    </section>
  );
}
