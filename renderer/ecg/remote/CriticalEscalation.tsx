/**
 * 危急值 escalation (issue 14 item 2): critical reports the clinic has not acknowledged within the
 * hub's limit (default 10 minutes), shown to the clinic's administrator on the workstation and to
 * the signing cardiologist in the reading room, until the clinic acknowledges. The hub decides who
 * sees what and when (GET /ecg/critical/escalated, by its own clock). The banner asks again
 * - when the next pending report is due to escalate (`nextDueInSeconds` in the hub's answer),
 * - when a report changes in the local records (a new signed report, or the hub's acknowledgement
 *   stamped on it, arrives by replication on the live stream),
 * - and every `fallbackMs` besides (an answer lost offline, an older hub without the due time).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../core/records/index.ts';
import { hubJson, type HubConnection } from '../../../sync/client/hub-http.ts';
import { ecgPaths, escalatedResponseSchema, type EscalatedResponse } from '../../../sync/protocol/ecg-reading.ts';
import type { RecordRepository } from '../../../services/records/repository.ts';
import { useNames } from '../../records/directory.tsx';

export const escalationFallbackMs = 5 * 60_000;
/** Asked this long after the hub's due time, so the report is past its limit by the hub's clock. */
const DUE_MARGIN_MS = 1000;
/** Several report changes in a burst (a pull page) make one request. */
const CHANGE_SETTLE_MS = 300;

export const fetchEscalated = (hub: HubConnection): Promise<EscalatedResponse> =>
  hubJson(hub, ecgPaths.escalated(), escalatedResponseSchema, { signal: AbortSignal.timeout(15_000) });

export function CriticalEscalationBanner({
  hub,
  records,
  fallbackMs = escalationFallbackMs,
}: {
  hub: HubConnection | null | undefined;
  /** The local records whose report changes make the banner ask again (the clinic's, or the centre's). */
  records?: Pick<RecordRepository, 'onChange'> | undefined;
  fallbackMs?: number;
}) {
  const { t } = useTranslation();
  const names = useNames();
  const [escalated, setEscalated] = useState<EscalatedResponse | null>(null);

  useEffect(() => {
    if (!hub) return;
    let live = true;
    let due: ReturnType<typeof setTimeout> | undefined;
    let settle: ReturnType<typeof setTimeout> | undefined;
    // Offline, the last answer stays on screen: an escalation does not end because the link did.
    const load = () =>
      void fetchEscalated(hub).then(
        (answer) => {
          if (!live) return;
          setEscalated(answer);
          clearTimeout(due);
          const next = answer.nextDueInSeconds;
          if (next !== null && next !== undefined && next * 1000 < fallbackMs) due = setTimeout(load, next * 1000 + DUE_MARGIN_MS);
        },
        () => undefined,
      );
    load();
    const fallback = setInterval(load, fallbackMs);
    const offChange = records?.onChange('ecgReports', () => {
      clearTimeout(settle);
      settle = setTimeout(load, CHANGE_SETTLE_MS);
    });
    return () => {
      live = false;
      clearInterval(fallback);
      clearTimeout(due);
      clearTimeout(settle);
      offChange?.();
    };
  }, [hub, records, fallbackMs]);

  if (!escalated || escalated.findings.length === 0) return null;
  return (
    <section className="critical-escalation" role="alert" data-testid="critical-escalation" aria-labelledby="critical-escalation-title">
      <h3 id="critical-escalation-title">{t('remote.escalationTitle', { minutes: escalated.escalateAfterMinutes, count: escalated.findings.length })}</h3>
      <ul>
        {escalated.findings.map((f) => (
          <li key={f.reportId} data-report-id={f.reportId}>
            {t('remote.escalationItem', {
              patient: f.patientName || '—',
              clinic: names.institution(f.clinicId),
              minutes: f.minutesWaiting,
              statements: f.statements.join('；'),
              signer: names.person(f.signedBy),
              at: formatDateTime(f.signedAt),
            })}
          </li>
        ))}
      </ul>
    </section>
  );
}
