/**
 * 远程诊断 — the studies this clinic sent to the county ECG center, newest first, each with its
 * state (queued, uploading n%, received, being read, reported) updating live as replication brings
 * the center's progress, the signed diagnosis when it is back, and printing the report with the
 * tracing.
 */
import { Alert, Button, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { measureEcg, type EcgMeasurements } from '../../../core/ecg/signal/index.ts';
import { readDicomEcg } from '../../../core/ecg/formats/index.ts';
import type { EcgRecording } from '../../../core/ecg/recording.ts';
import { formatDateTime, type Patient } from '../../../core/records/index.ts';
import { errorMessage } from '../../app/messages.ts';
import { useClinic, useCollectionVersion } from '../../records/ClinicContext.tsx';
import { PrintReport } from '../PrintReport.tsx';
import { standardScale } from '../paper-grid.ts';
import type { UploadProgress } from '../../../services/remote-diagnosis/remote-diagnosis.ts';
import { displayedState, loadSentStudies, type SentStudy } from '../../../services/remote-diagnosis/sent-studies.ts';
import { clinicBlobStore, useRemoteDiagnosis } from './use-remote-diagnosis.ts';
import { EcgReportDialog } from './EcgReportDialog.tsx';
import { ReadingStateTag } from './ReadingStateTag.tsx';

interface Printable {
  patient: Patient;
  recording: EcgRecording;
  measurements: EcgMeasurements;
  sent: SentStudy;
}

export function SentStudies() {
  const { t, i18n } = useTranslation();
  const clinic = useClinic();
  const { repo } = clinic;
  const remote = useRemoteDiagnosis();
  const version = useCollectionVersion('ecgStudies', 'ecgReports', 'patients');
  const [ledgerVersion, setLedgerVersion] = useState(0);
  const [sent, setSent] = useState<SentStudy[]>([]);
  const [progress, setProgress] = useState<ReadonlyMap<string, UploadProgress>>(new Map());
  const [printing, setPrinting] = useState<Printable | null>(null);
  const [printError, setPrintError] = useState<string | null>(null);
  const [viewing, setViewing] = useState<string | null>(null);

  useEffect(() => remote.onLedgerChange(() => setLedgerVersion((v) => v + 1)), [remote]);
  useEffect(() => {
    const sub = remote.progress$.subscribe(setProgress);
    return () => sub.unsubscribe();
  }, [remote]);
  useEffect(() => {
    let cancelled = false;
    void remote
      .sentStudyIds()
      .then((ids) => loadSentStudies(repo, ids))
      .then((list) => {
        if (!cancelled) setSent(list);
      });
    return () => void (cancelled = true);
  }, [repo, remote, version, ledgerVersion]);

  // Print once the report for the chosen study is on the page.
  useEffect(() => {
    if (!printing) return;
    const timer = setTimeout(() => window.print(), 50);
    return () => clearTimeout(timer);
  }, [printing]);

  const print = async (s: SentStudy) => {
    setPrintError(null);
    try {
      const [blob, patient] = await Promise.all([clinicBlobStore(clinic).get(s.study.dicomSha256), repo.get('patients', s.study.patientId)]);
      if (!blob || !patient) throw new Error(t('remote.tracingMissing'));
      const recording = readDicomEcg(blob.bytes);
      setPrinting({ patient, recording, measurements: measureEcg(recording), sent: s });
    } catch (error) {
      setPrintError(errorMessage(i18n.language, error));
    }
  };

  if (sent.length === 0) return null;
  const columns: ColumnsType<SentStudy> = [
    { key: 'patient', title: t('ecg.patientName'), render: (_, s) => s.patientName },
    { key: 'capturedAt', title: t('ecg.capturedAt'), render: (_, s) => formatDateTime(s.study.capturedAt) },
    {
      key: 'priority',
      title: t('ecg.priority'),
      render: (_, s) => <Tag color={s.study.priority === 'urgent' ? 'red' : 'default'}>{t(`ecg.priorities.${s.study.priority}`)}</Tag>,
    },
    { key: 'state', title: t('remote.state'), render: (_, s) => <ReadingStateTag shown={displayedState(s.study, progress.get(s.study.id))} /> },
    {
      key: 'diagnosis',
      title: t('remote.diagnosis'),
      onCell: () => ({ 'data-testid': 'sent-study-diagnosis' }) as HTMLAttributes<HTMLElement>,
      render: (_, s) =>
        s.report ? (
          <>
            {s.report.critical && <Tag color="red">{t('remote.critical')}</Tag>}
            {s.report.critical && ' '}
            {s.report.statements.map((x) => x.text).join('；')}
            {s.report.freeText.trim() ? `；${s.report.freeText}` : ''}
          </>
        ) : (
          <span className="muted">{t('remote.noReportYet')}</span>
        ),
    },
    {
      key: 'actions',
      render: (_, s) => (
        <Space size={4}>
          <Button size="small" onClick={() => setViewing(s.study.id)} aria-label={`${t('remote.viewReport')} ${s.patientName}`}>
            {t('remote.viewReport')}
          </Button>
          {s.report && (
            <Button size="small" onClick={() => void print(s)}>
              {t('remote.printReport')}
            </Button>
          )}
        </Space>
      ),
    },
  ];
  return (
    <section className="ecg-sent" aria-labelledby="ecg-sent-title" data-testid="ecg-sent-studies">
      <h3 id="ecg-sent-title">{t('remote.sentTitle')}</h3>
      <Table<SentStudy>
        size="small"
        rowKey={(s) => s.study.id}
        columns={columns}
        dataSource={sent}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        onRow={(s) => ({ 'data-study-id': s.study.id, 'data-state': displayedState(s.study, progress.get(s.study.id)).state }) as HTMLAttributes<HTMLElement>}
      />
      {printError && <Alert type="error" showIcon role="alert" title={printError} />}
      {viewing && <EcgReportDialog studyId={viewing} onClose={() => setViewing(null)} />}
      {printing && (
        <PrintReport
          patient={printing.patient}
          recording={printing.recording}
          measurements={printing.measurements}
          scale={standardScale(1)}
          priority={printing.sent.study.priority}
          clinicalNote={printing.sent.study.clinicalNote}
          {...(printing.sent.report ? { report: printing.sent.report } : {})}
        />
      )}
    </section>
  );
}
