/**
 * The printable ECG report (心电图报告单): patient header, the tracing at true paper scale (25 mm/s
 * prints 25 mm a second), measurements and machine hints. On screen it is hidden; ecg.css's print
 * rules hide everything else, so window.print() prints only this.
 */
import { useTranslation } from 'react-i18next';
import type { EcgMeasurements } from '../../core/ecg/signal/index.ts';
import type { EcgRecording } from '../../core/ecg/recording.ts';
import { sexCodes } from '../../core/identity/index.ts';
import { formatDateTime, type EcgReport, type Patient } from '../../core/records/index.ts';
import { MeasurementsTable } from './MeasurementsTable.tsx';
import { useNames } from '../records/directory.tsx';
import type { PaperScale } from './paper-grid.ts';
import { reviewPaperMm } from './tracing.ts';
import { TracingCanvas } from './TracingCanvas.tsx';

/** Canvas pixels per millimetre when printing: about 300 dpi, so 1 mm lines stay crisp on paper. */
const PRINT_PX_PER_MM = 12;

export function PrintReport({
  patient,
  recording,
  measurements,
  scale,
  priority,
  clinicalNote,
  report,
}: {
  patient: Patient;
  recording: EcgRecording;
  measurements: EcgMeasurements;
  scale: PaperScale;
  priority: 'urgent' | 'routine';
  clinicalNote: string;
  /** The center's signed diagnosis (远程诊断报告), printed under the tracing when there is one. */
  report?: EcgReport & { signerName?: string };
}) {
  const { t, i18n } = useTranslation();
  const names = useNames();
  const { widthMm, heightMm } = reviewPaperMm(scale);
  const sex = sexCodes[patient.sex as keyof typeof sexCodes];
  return (
    <article className="print-area ecg-print-report" data-testid="ecg-print-report" aria-hidden="true">
      <header>
        <h2>{t('ecg.printTitle')}</h2>
        <dl className="ecg-print-patient">
          <dt>{t('ecg.patientName')}</dt>
          <dd>{patient.name}</dd>
          <dt>{t('ecg.sex')}</dt>
          <dd>{sex ? (i18n.language.startsWith('en') ? sex.en : sex.zh) : ''}</dd>
          <dt>{t('ecg.birthDate')}</dt>
          <dd>{patient.birthDate}</dd>
          <dt>{t('ecg.capturedAt')}</dt>
          <dd>{recording.startTime ? formatDateTime(recording.startTime, { seconds: true }) : ''}</dd>
          <dt>{t('ecg.priority')}</dt>
          <dd>{t(`ecg.priorities.${priority}`)}</dd>
        </dl>
        <p className="ecg-print-scale">{t('ecg.scaleNote', { speed: scale.speedMmPerS, gain: scale.gainMmPerMv })}</p>
      </header>
      <TracingCanvas recording={recording} scale={{ ...scale, pxPerMm: PRINT_PX_PER_MM }} cssSize={{ width: `${widthMm}mm`, height: `${heightMm}mm` }} label={t('ecg.tracingLabel')} />
      <MeasurementsTable measurements={measurements} />
      {clinicalNote.trim() && (
        <p>
          {t('ecg.clinicalNote')}：{clinicalNote}
        </p>
      )}
      {report && (
        <section className="ecg-print-diagnosis" data-testid="ecg-print-diagnosis">
          <h3>
            {t('remote.diagnosis')}
            {report.critical && <strong> · {t('remote.critical')}</strong>}
          </h3>
          <ol>
            {report.statements.map((s) => (
              <li key={s.code}>{s.text}</li>
            ))}
          </ol>
          {report.freeText.trim() && <p>{report.freeText}</p>}
          <p>
            {t('remote.signedBy', { name: report.signerName ?? names.person(report.signedBy), at: report.signedAt ? formatDateTime(report.signedAt) : '' })}
            {report.institutionId && `\u3000${names.institution(report.institutionId)}`}
          </p>
        </section>
      )}
    </article>
  );
}
