/**
 * 危急值 escalation (issue 14 item 2): critical reports the clinic has not acknowledged within the
 * hub's limit (default 10 minutes), shown to the clinic's administrator on the workstation and to
 * the signing cardiologist in the reading room, until the clinic acknowledges. The hub decides who
 * sees what and when (GET /ecg/critical/escalated, by its own clock); this asks once a minute.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../core/records/index.ts';
import { hubJson, type HubConnection } from '../../../sync/client/hub-http.ts';
import { ecgPaths, escalatedResponseSchema, type EscalatedResponse } from '../../../sync/protocol/ecg-reading.ts';
import { useNames } from '../../records/directory.tsx';

export const escalationPollMs = 60_000;

export const fetchEscalated = (hub: HubConnection): Promise<EscalatedResponse> =>
  hubJson(hub, ecgPaths.escalated(), escalatedResponseSchema, { signal: AbortSignal.timeout(15_000) });

export function CriticalEscalationBanner({ hub, pollMs = escalationPollMs }: { hub: HubConnection | null | undefined; pollMs?: number }) {
  const { t } = useTranslation();
  const names = useNames();
  const [escalated, setEscalated] = useState<EscalatedResponse | null>(null);

  useEffect(() => {
    if (!hub) return;
    let live = true;
    // Offline, the last answer stays on screen: an escalation does not end because the link did.
    const load = () => void fetchEscalated(hub).then((r) => live && setEscalated(r), () => undefined);
    load();
    const timer = setInterval(load, pollMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [hub, pollMs]);

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
