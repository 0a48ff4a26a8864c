/**
 * The reading room's viewer (阅片): the study's tracing on paper at the chosen speed and gain, the
 * calipers, one lead enlarged, and the machine measurements with their hints (提示, to be confirmed
 * by the cardiologist) — the clinic's own review components, reused.
 */
import { Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EcgMeasurements } from '../../core/ecg/signal/index.ts';
import { standardLeads, type EcgRecording } from '../../core/ecg/recording.ts';
import { Calipers } from '../ecg/Calipers.tsx';
import { SCREEN_PX_PER_MM } from '../ecg/LiveView.tsx';
import { MeasurementsTable } from '../ecg/MeasurementsTable.tsx';
import { secondsToPx, type PaperScale } from '../ecg/paper-grid.ts';
import { PaperScaleControls } from '../ecg/PaperScaleControls.tsx';
import { reviewPaperMm } from '../ecg/tracing.ts';
import { TracingCanvas } from '../ecg/TracingCanvas.tsx';
import { LeadZoom } from './LeadZoom.tsx';

export function StudyViewer({ recording, measurements }: { recording: EcgRecording; measurements: EcgMeasurements }) {
  const { t } = useTranslation();
  const [speed, setSpeed] = useState<number>(25);
  const [gain, setGain] = useState<number>(10);
  const [lead, setLead] = useState<(typeof standardLeads)[number] | ''>('');
  const scale: PaperScale = { speedMmPerS: speed, gainMmPerMv: gain, pxPerMm: SCREEN_PX_PER_MM };
  const { widthMm, heightMm, marginMm } = reviewPaperMm(scale);
  const firstR = measurements.rPeaks[0] ?? 0;
  const rr = measurements.rrIntervalsMs[0] ?? 1000;
  const initial: [number, number] = [
    marginMm * SCREEN_PX_PER_MM + secondsToPx(firstR / recording.sampleRateHz, scale),
    marginMm * SCREEN_PX_PER_MM + secondsToPx(firstR / recording.sampleRateHz + rr / 1000, scale),
  ];
  return (
    <section className="reading-viewer" aria-label={t('readingRoom.viewer')}>
      <div className="ecg-toolbar panel">
        <PaperScaleControls speed={speed} gain={gain} onSpeed={setSpeed} onGain={setGain} />
        {/* Not a <label> around it: a click on antd's Select inside a label opens and shuts it at once. */}
        <span className="lead-zoom-choice">
          <span aria-hidden="true">{t('readingRoom.zoomLead')}</span>
          <Select<(typeof standardLeads)[number] | ''>
            aria-label={t('readingRoom.zoomLead')}
            value={lead}
            onChange={setLead}
            popupMatchSelectWidth={false}
            style={{ minWidth: 96 }}
            options={[{ value: '', label: t('readingRoom.noZoom') }, ...standardLeads.map((l) => ({ value: l, label: l }))]}
          />
        </span>
      </div>
      <div className="ecg-paper-scroll">
        {/* key: new markers when the scale changes, so they sit on the same beats again. */}
        <div className="ecg-paper" style={{ width: widthMm * SCREEN_PX_PER_MM, height: heightMm * SCREEN_PX_PER_MM }} key={`${speed}-${gain}`}>
          <TracingCanvas recording={recording} scale={scale} label={t('ecg.tracingLabel')} testId="reading-canvas" />
          <Calipers widthPx={widthMm * SCREEN_PX_PER_MM} heightPx={heightMm * SCREEN_PX_PER_MM} scale={scale} initial={initial} />
        </div>
      </div>
      {lead && (
        <div className="ecg-paper-scroll">
          <LeadZoom recording={recording} lead={lead} scale={scale} label={t('readingRoom.zoomLabel', { lead })} />
        </div>
      )}
      <MeasurementsTable measurements={measurements} testIds />
    </section>
  );
}
