/**
 * Review of a 10-second capture (心电图审阅): the 3×4 leads and the lead II rhythm strip on paper,
 * calipers over them, the measurements and machine hints, priority and clinical note, then save to
 * the visit (DICOM file kept locally, EcgStudy record) and print.
 */
import { Alert, Button, Form, Input, Radio } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EcgMeasurements } from '../../core/ecg/signal/index.ts';
import type { EcgRecording } from '../../core/ecg/recording.ts';
import type { EcgStudy, Patient, Visit } from '../../core/records/index.ts';
import { errorMessage } from '../app/messages.ts';
import { useClinic } from '../records/ClinicContext.tsx';
import { Calipers } from './Calipers.tsx';
import { SCREEN_PX_PER_MM } from './LiveView.tsx';
import { MeasurementsTable } from './MeasurementsTable.tsx';
import { PrintReport } from './PrintReport.tsx';
import { saveEcgStudy } from '../../services/ecg/save-study.ts';
import { usePrintPage } from '../platform/print.ts';
import { useRemoteDiagnosis } from './remote/use-remote-diagnosis.ts';
import { secondsToPx, type PaperScale } from './paper-grid.ts';
import { reviewPaperMm } from './tracing.ts';
import { TracingCanvas } from './TracingCanvas.tsx';
import { clinicBlobStore } from './remote/use-remote-diagnosis.ts';

export function EcgReview({
  recording,
  measurements,
  visit,
  patient,
  speedMmPerS,
  gainMmPerMv,
  onSaved,
  onDiscard,
}: {
  recording: EcgRecording;
  measurements: EcgMeasurements;
  visit: Visit;
  patient: Patient;
  speedMmPerS: number;
  gainMmPerMv: number;
  onSaved: (study: EcgStudy) => void;
  onDiscard: () => void;
}) {
  const { t, i18n } = useTranslation();
  const clinic = useClinic();
  const { repo, session } = clinic;
  const reportPrint = usePrintPage('report');
  // A machine hint of possible acute injury (ST elevation) makes the study urgent unless the doctor says otherwise.
  const hintedUrgent = measurements.hints.some((h) => h.severity === 'urgent');
  const [priority, setPriority] = useState<EcgStudy['priority']>(hintedUrgent ? 'urgent' : 'routine');
  const [note, setNote] = useState('');
  const [status, setStatus] = useState<{ kind: 'saving' | 'saved' | 'sent' | 'error'; text: string } | null>(null);
  const [saved, setSaved] = useState<EcgStudy | null>(null);
  const [sent, setSent] = useState(false);
  const remote = useRemoteDiagnosis();
  const scale: PaperScale = { speedMmPerS, gainMmPerMv, pxPerMm: SCREEN_PX_PER_MM };
  const { widthMm, heightMm, marginMm } = reviewPaperMm(scale);
  const rr = measurements.rrIntervalsMs[0];
  // Start the calipers on the first two R peaks of the rhythm strip, so they read one RR at once.
  const firstR = measurements.rPeaks[0] ?? 0;
  const initial: [number, number] = [
    marginMm * SCREEN_PX_PER_MM + secondsToPx(firstR / recording.sampleRateHz, scale),
    marginMm * SCREEN_PX_PER_MM + secondsToPx(firstR / recording.sampleRateHz + (rr ?? 1000) / 1000, scale),
  ];

  const save = async (): Promise<EcgStudy | null> => {
    if (saved) return saved;
    setStatus({ kind: 'saving', text: t('ecg.saving') });
    try {
      const { study } = await saveEcgStudy({ repo, blobs: clinicBlobStore(clinic), session, visit, patient, recording, measurements, priority, clinicalNote: note });
      setSaved(study);
      setStatus({ kind: 'saved', text: t('ecg.saved', { name: patient.name }) });
      onSaved(study);
      return study;
    } catch (error) {
      setStatus({ kind: 'error', text: t('ecg.saveFailed', { reason: errorMessage(i18n.language, error) }) });
      return null;
    }
  };

  /** 发送远程诊断: saved to the visit first (if not yet), then queued for upload; never waits for the network. */
  const send = async () => {
    const study = await save();
    if (!study) return;
    try {
      await remote.send(study.id);
      setSent(true);
      setStatus({ kind: 'sent', text: t('remote.queuedForSending', { name: patient.name }) });
    } catch (error) {
      setStatus({ kind: 'error', text: t('remote.sendFailed', { reason: errorMessage(i18n.language, error) }) });
    }
  };

  return (
    <section className="ecg-review" aria-labelledby="ecg-review-title">
      <h3 id="ecg-review-title">{t('ecg.reviewTitle', { name: patient.name })}</h3>
      {/* The tracing and, beside it, priority, note and the actions: at 1366×768 save and send are on
          screen without scrolling (issue 14 item 5); the measurements follow under the tracing. */}
      <div className="ecg-review-body">
        <div className="ecg-review-main">
          <div className="ecg-paper" style={{ width: widthMm * SCREEN_PX_PER_MM, height: heightMm * SCREEN_PX_PER_MM }}>
            <TracingCanvas recording={recording} scale={scale} label={t('ecg.tracingLabel')} testId="ecg-review-canvas" />
            <Calipers widthPx={widthMm * SCREEN_PX_PER_MM} heightPx={heightMm * SCREEN_PX_PER_MM} scale={scale} initial={initial} />
          </div>
          <MeasurementsTable measurements={measurements} testIds />
        </div>
        <Form
          className="ecg-save-form"
          layout="vertical"
          size="small"
          onFinish={() => void save()}
        >
          <Form.Item label={t('ecg.priority')} className="ecg-save-item">
            <Radio.Group
              aria-label={t('ecg.priority')}
              value={priority}
              disabled={saved !== null}
              onChange={(e) => setPriority(e.target.value as EcgStudy['priority'])}
              options={(['urgent', 'routine'] as const).map((p) => ({ value: p, label: t(`ecg.priorities.${p}`) }))}
            />
            {hintedUrgent && <Alert type="warning" showIcon className="ecg-priority-hint" data-testid="ecg-priority-hint" title={t('ecg.priorityFromHint')} />}
          </Form.Item>
          <Form.Item label={t('ecg.clinicalNote')} htmlFor="ecg-clinical-note" className="ecg-save-item">
            <Input.TextArea id="ecg-clinical-note" rows={3} value={note} maxLength={2000} disabled={saved !== null} onChange={(e) => setNote(e.target.value)} />
          </Form.Item>
          <div className="ecg-save-actions">
            <Button htmlType="submit" disabled={saved !== null || status?.kind === 'saving'}>
              {t('ecg.save')}
            </Button>
            <Button type="primary" disabled={sent || status?.kind === 'saving'} onClick={() => void send()}>
              {t('remote.send')}
            </Button>
            <Button onClick={reportPrint.print}>{t('ecg.print')}</Button>
            <Button onClick={onDiscard}>{saved ? t('ecg.newRecording') : t('ecg.discard')}</Button>
          </div>
          {status && (
            <p role="status" className={`ecg-save-status ${status.kind === 'error' ? 'error' : status.kind === 'saving' ? 'muted' : 'saved'}`} data-testid="ecg-save-status" data-kind={status.kind === 'sent' ? 'saved' : status.kind} data-sent={status.kind === 'sent'}>
              {status.text}
            </p>
          )}
          {reportPrint.error && <Alert type="error" showIcon role="alert" title={reportPrint.error} />}
        </Form>
      </div>
      <PrintReport patient={patient} recording={recording} measurements={measurements} scale={scale} priority={priority} clinicalNote={note} />
    </section>
  );
}
