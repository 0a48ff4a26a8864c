/**
 * 危急值提醒 — on every screen of the clinic: a signed report with a critical finding on one of this
 * clinic's studies raises a modal that covers the whole window (it cannot be scrolled past or closed
 * with Esc), beeps again every ALERT_REPEAT_MS, and keeps a red badge in the header until a doctor
 * acknowledges it. The acknowledgement is stored locally at once and delivered to the hub (who,
 * when) by the remote-diagnosis service.
 */
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { createBeeper, type Beeper } from '../../platform/beeper.ts';
import { useTranslation } from 'react-i18next';
import { formatDateTime, type EcgReport } from '../../../core/records/index.ts';
import { errorMessage } from '../../app/messages.ts';
import { useNames } from '../../records/directory.tsx';
import { useClinic, useCollectionVersion } from '../../records/ClinicContext.tsx';
import type { RecordRepository } from '../../../services/records/repository.ts';
import type { CriticalAcknowledgement } from '../../../services/remote-diagnosis/remote-diagnosis.ts';
import { useRemoteDiagnosis } from './use-remote-diagnosis.ts';

export interface CriticalFinding {
  report: EcgReport;
  patientName: string;
}

/** Signed critical reports on the clinic's own studies that nobody at the clinic has acknowledged. */
export async function unacknowledgedCriticalFindings(repo: RecordRepository, institutionId: string, acks: Record<string, CriticalAcknowledgement>): Promise<CriticalFinding[]> {
  const studies = (await repo.findBy('ecgStudies', 'institutionId', institutionId)).filter((s) => s.readingState === 'reported');
  const findings: CriticalFinding[] = [];
  for (const study of studies) {
    for (const report of await repo.findBy('ecgReports', 'studyId', study.id)) {
      // Acknowledged here (the local ledger, at once) or on another PC of the clinic (the hub's stamp, replicated).
      if (!report.critical || report.signedAt === null || report.acknowledgedAt || acks[report.id]) continue;
      const patient = await repo.get('patients', study.patientId);
      findings.push({ report, patientName: patient?.name ?? '' });
    }
  }
  return findings.sort((a, b) => (a.report.signedAt ?? '').localeCompare(b.report.signedAt ?? ''));
}

/** How often an unacknowledged 危急值 sounds again. */
export const ALERT_REPEAT_MS = 10_000;

/** The clinic's unacknowledged critical findings, kept current as reports and acknowledgements arrive. */
export function useCriticalFindings(): { findings: CriticalFinding[]; acknowledge: (reportId: string) => Promise<void> } {
  const { repo, session } = useClinic();
  const remote = useRemoteDiagnosis();
  const version = useCollectionVersion('ecgReports', 'ecgStudies');
  const [ledgerVersion, setLedgerVersion] = useState(0);
  const [findings, setFindings] = useState<CriticalFinding[]>([]);

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

  return { findings, acknowledge: async (reportId) => void (await remote.acknowledge(reportId, session.userId)) };
}

/** Header badge: "危急值 N" in red for as long as any critical report waits for acknowledgement. */
export function CriticalFindingBadge() {
  const { t } = useTranslation();
  const { findings } = useCriticalFindings();
  if (findings.length === 0) return null;
  return (
    <span className="badge badge-critical" role="status" data-testid="critical-badge">
      {t('remote.criticalBadge', { count: findings.length })}
    </span>
  );
}

export function CriticalFindingAlert({ beeper: givenBeeper }: { beeper?: Beeper } = {}) {
  const { t, i18n } = useTranslation();
  const { findings, acknowledge: acknowledgeReport } = useCriticalFindings();
  const names = useNames();
  const [error, setError] = useState<string | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const beeper = useRef<Beeper | null>(givenBeeper ?? null);
  const first = findings[0];
  const shownId = first?.report.id;

  // While a finding waits: the rest of the window is inert (no clicks, no focus), the acknowledge
  // button has the focus, and the beep repeats.
  useEffect(() => {
    if (!shownId) return;
    const app = document.querySelector('.app');
    app?.setAttribute('inert', '');
    button.current?.focus();
    beeper.current ??= createBeeper();
    beeper.current.beep();
    const repeat = setInterval(() => beeper.current?.beep(), ALERT_REPEAT_MS);
    return () => {
      clearInterval(repeat);
      app?.removeAttribute('inert');
    };
  }, [shownId]);

  if (!first) return null;
  const acknowledge = async () => {
    setError(null);
    try {
      await acknowledgeReport(first.report.id);
    } catch (e) {
      setError(errorMessage(i18n.language, e));
    }
  };
  return createPortal(
    <div className="critical-overlay">
      <div className="critical-alert" role="alertdialog" aria-modal="true" aria-labelledby="critical-alert-title" aria-describedby="critical-alert-text" data-testid="critical-alert">
        <h2 id="critical-alert-title">{t('remote.criticalAlertTitle')}</h2>
        <p id="critical-alert-text">{t('remote.criticalAlertText', { name: first.patientName })}</p>
        <ol>
          {first.report.statements.map((s) => (
            <li key={s.code}>{s.text}</li>
          ))}
        </ol>
        {first.report.freeText.trim() && <p>{first.report.freeText}</p>}
        <p className="muted" data-testid="critical-signer">
          {first.report.signedBy
            ? t('remote.signedBy', { name: names.person(first.report.signedBy), at: first.report.signedAt ? formatDateTime(first.report.signedAt) : '' })
            : t('remote.signedAtOnly', { at: first.report.signedAt ? formatDateTime(first.report.signedAt) : '' })}
        </p>
        {findings.length > 1 && <p>{t('remote.moreCritical', { count: findings.length - 1 })}</p>}
        <button ref={button} type="button" className="primary danger" onClick={() => void acknowledge()}>
          {t('remote.acknowledge')}
        </button>
        {error && <p className="notice error">{error}</p>}
      </div>
    </div>,
    document.body,
  );
}
