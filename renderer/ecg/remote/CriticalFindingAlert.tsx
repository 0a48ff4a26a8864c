/**
 * 危急值提醒 — on every screen of the clinic: a signed report with a critical finding on one of this
 * clinic's studies raises a dialog that stays until a doctor acknowledges it. The acknowledgement is
 * stored locally at once and delivered to the hub (who, when) by the remote-diagnosis service.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, type EcgReport } from '../../../core/records/index.ts';
import { errorMessage } from '../../app/messages.ts';
import { useClinic, useCollectionVersion } from '../../records/ClinicContext.tsx';
import type { RecordRepository } from '../../records/repository.ts';
import type { CriticalAcknowledgement } from './remote-diagnosis.ts';
import { useRemoteDiagnosis } from './use-remote-diagnosis.ts';

export interface CriticalFinding {
  report: EcgReport;
  patientName: string;
}

/** Signed critical reports on the clinic's own studies that nobody here has acknowledged. */
export async function unacknowledgedCriticalFindings(repo: RecordRepository, institutionId: string, acks: Record<string, CriticalAcknowledgement>): Promise<CriticalFinding[]> {
  const studies = (await repo.findBy('ecgStudies', 'institutionId', institutionId)).filter((s) => s.readingState === 'reported');
  const findings: CriticalFinding[] = [];
  for (const study of studies) {
    for (const report of await repo.findBy('ecgReports', 'studyId', study.id)) {
      if (!report.critical || report.signedAt === null || acks[report.id]) continue;
      const patient = await repo.get('patients', study.patientId);
      findings.push({ report, patientName: patient?.name ?? '' });
    }
  }
  return findings.sort((a, b) => (a.report.signedAt ?? '').localeCompare(b.report.signedAt ?? ''));
}

export function CriticalFindingAlert() {
  const { t, i18n } = useTranslation();
  const { repo, session } = useClinic();
  const remote = useRemoteDiagnosis();
  const version = useCollectionVersion('ecgReports', 'ecgStudies');
  const [ledgerVersion, setLedgerVersion] = useState(0);
  const [findings, setFindings] = useState<CriticalFinding[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => remote.onLedgerChange(() => setLedgerVersion((v) => v + 1)), [remote]);
  useEffect(() => {
    let cancelled = false;
    void remote
      .acknowledgements()
      .then((acks) => unacknowledgedCriticalFindings(repo, session.institutionId, acks))
      .then((list) => {
        if (!cancelled) setFindings(list);
      });
    return () => void (cancelled = true);
  }, [repo, remote, session, version, ledgerVersion]);

  const first = findings[0];
  if (!first) return null;
  const acknowledge = async () => {
    setError(null);
    try {
      await remote.acknowledge(first.report.id, session.userId);
    } catch (e) {
      setError(errorMessage(i18n.language, e));
    }
  };
  return (
    <div className="critical-alert" role="alertdialog" aria-modal="false" aria-labelledby="critical-alert-title" data-testid="critical-alert">
      <h2 id="critical-alert-title">{t('remote.criticalAlertTitle')}</h2>
      <p>{t('remote.criticalAlertText', { name: first.patientName })}</p>
      <ol>
        {first.report.statements.map((s) => (
          <li key={s.code}>{s.text}</li>
        ))}
      </ol>
      {first.report.freeText.trim() && <p>{first.report.freeText}</p>}
      <p className="muted">{t('remote.signedAtOnly', { at: first.report.signedAt ? formatDateTime(first.report.signedAt) : '' })}</p>
      {findings.length > 1 && <p>{t('remote.moreCritical', { count: findings.length - 1 })}</p>}
      <button type="button" className="primary" onClick={() => void acknowledge()}>
        {t('remote.acknowledge')}
      </button>
      {error && <p className="notice error">{error}</p>}
    </div>
  );
}
