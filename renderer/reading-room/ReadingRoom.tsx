/**
 * 阅片室 — the county ECG center's worklist and reading: studies sent to the center, urgent first
 * then longest waiting, updating live (replication's stream pulls each change); a new urgent study
 * beeps and shows a banner; opening a study claims it at the hub (a colleague's claim is refused
 * with their name), shows the tracing and the report form, and signing sends the report back.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { readDicomEcg } from '../../core/ecg/formats/index.ts';
import type { EcgRecording } from '../../core/ecg/recording.ts';
import { measureEcg, type EcgMeasurements } from '../../core/ecg/signal/index.ts';
import { formatDateTime, type EcgStudy, type Patient } from '../../core/records/index.ts';
import { CLAIM_TTL_MINUTES, type Claim } from '../../sync/protocol/ecg-reading.ts';
import { errorMessage } from '../app/messages.ts';
import { reportStudyOpened } from './dashboard/index.ts';
import { claimStudy, fetchDicom, institutionNames, openClaims, releaseStudy, signReport } from '../../services/reading-room/center-api.ts';
import type { CenterSession } from '../../services/reading-room/center-session.ts';
import { buildSignedReport, type ReportFormState } from './report-draft.ts';
import { ReportForm } from './ReportForm.tsx';
import { StudyViewer } from './StudyViewer.tsx';
import type { Beeper } from '../platform/beeper.ts';
import { newUrgentArrivals, waitingMinutes, worklistOrder } from './worklist.ts';

/** Renew well inside the hub's claim lifetime. */
const CLAIM_RENEW_MS = (CLAIM_TTL_MINUTES * 60_000) / 6;

interface Row {
  study: EcgStudy;
  patient: Patient | undefined;
}

interface OpenStudy extends Row {
  recording: EcgRecording;
  measurements: EcgMeasurements;
}

export function ReadingRoom({ session, beeper }: { session: CenterSession; beeper: Beeper }) {
  const { t, i18n } = useTranslation();
  const { repo, hub } = session;
  const [rows, setRows] = useState<Row[]>([]);
  const [claims, setClaims] = useState<Claim[]>([]);
  const [alert, setAlert] = useState<Row[]>([]);
  const [beeps, setBeeps] = useState(0);
  const [notice, setNotice] = useState<{ kind: 'error' | 'done'; text: string } | null>(null);
  const [open, setOpen] = useState<OpenStudy | null>(null);
  const [busy, setBusy] = useState(false);
  const [now, setNow] = useState(() => new Date());
  const seen = useRef<Set<string> | null>(null);
  const [clinics, setClinics] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    institutionNames(hub).then(setClinics, () => undefined);
  }, [hub]);

  const reload = useCallback(async () => {
    const all = await Promise.all(
      (['received', 'being-read'] as const).map((state) => repo.findBy('ecgStudies', 'readingState', state)),
    );
    const ordered = worklistOrder(all.flat());
    const withPatients = await Promise.all(ordered.map(async (study) => ({ study, patient: await repo.get('patients', study.patientId) })));
    const arrivals = newUrgentArrivals(seen.current, ordered);
    seen.current = new Set([...(seen.current ?? []), ...ordered.map((s) => s.id)]);
    setRows(withPatients);
    if (arrivals.length > 0) {
      beeper.beep();
      setBeeps(beeper.count);
      setAlert(withPatients.filter((r) => arrivals.some((a) => a.id === r.study.id)));
    }
    openClaims(hub).then(setClaims, () => undefined);
  }, [repo, hub, beeper]);

  useEffect(() => {
    void reload();
    const offs = [repo.onChange('ecgStudies', () => void reload()), repo.onChange('patients', () => void reload())];
    const tick = setInterval(() => {
      setNow(new Date());
      openClaims(hub).then(setClaims, () => undefined); // a colleague's claim changes no record
    }, 30_000);
    return () => {
      offs.forEach((off) => off());
      clearInterval(tick);
    };
  }, [repo, hub, reload]);

  // While a study is open its claim is renewed, so it never lapses under a cardiologist still reading.
  const openId = open?.study.id;
  useEffect(() => {
    if (!openId) return;
    const renew = setInterval(() => void claimStudy(hub, openId).catch(() => undefined), CLAIM_RENEW_MS);
    return () => clearInterval(renew);
  }, [hub, openId]);

  const openStudy = async (row: Row) => {
    setNotice(null);
    setBusy(true);
    try {
      await claimStudy(hub, row.study.id);
      // Turnaround 'opened' (the claim already counts; this covers a hub that records it separately).
      void reportStudyOpened(hub, row.study.id).catch(() => undefined);
      const bytes = await fetchDicom(hub, row.study.dicomSha256);
      const recording = readDicomEcg(bytes);
      setOpen({ ...row, recording, measurements: measureEcg(recording) });
      setAlert((a) => a.filter((r) => r.study.id !== row.study.id));
    } catch (error) {
      setNotice({ kind: 'error', text: errorMessage(i18n.language, error) });
    } finally {
      setBusy(false);
      void reload();
    }
  };

  const sign = async (form: ReportFormState) => {
    if (!open) return;
    setNotice(null);
    setBusy(true);
    try {
      const report = buildSignedReport(open.study, form, { userId: session.userId, institutionId: session.institutionId }, i18n.language);
      await signReport(hub, report);
      setNotice({ kind: 'done', text: t('readingRoom.signed', { name: open.patient?.name ?? '' }) });
      setOpen(null);
    } catch (error) {
      setNotice({ kind: 'error', text: errorMessage(i18n.language, error) });
    } finally {
      setBusy(false);
    }
  };

  const release = async () => {
    if (!open) return;
    await releaseStudy(hub, open.study.id).catch(() => undefined);
    setOpen(null);
    void reload();
  };

  const claimOf = (studyId: string) => claims.find((c) => c.studyId === studyId);

  return (
    <section className="reading-room" aria-labelledby="screen-title" data-beeps={beeps}>
      <h2 id="screen-title">{t('readingRoom.title')}</h2>
      {alert.length > 0 && (
        <div className="urgent-banner" role="alert" data-testid="urgent-alert">
          <strong>{t('readingRoom.newUrgent')}</strong> {alert.map((r) => r.patient?.name ?? '').join('、')}
          <button type="button" onClick={() => setAlert([])}>
            {t('readingRoom.dismiss')}
          </button>
        </div>
      )}
      {notice && (
        <p className={`notice ${notice.kind === 'error' ? 'error' : ''}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="reading-notice" data-kind={notice.kind}>
          {notice.text}
        </p>
      )}
      {open ? (
        <div className="reading-open">
          <h3>
            {t('readingRoom.reading', { name: open.patient?.name ?? '' })} · {t(`ecg.priorities.${open.study.priority}`)}
          </h3>
          {open.study.clinicalNote && (
            <p>
              {t('ecg.clinicalNote')}：{open.study.clinicalNote}
            </p>
          )}
          <StudyViewer recording={open.recording} measurements={open.measurements} />
          <ReportForm busy={busy} onSign={(f) => void sign(f)} onRelease={() => void release()} />
        </div>
      ) : (
        <table className="worklist" data-testid="worklist">
          <thead>
            <tr>
              <th>{t('ecg.priority')}</th>
              <th>{t('ecg.patientName')}</th>
              <th>{t('readingRoom.clinic')}</th>
              <th>{t('ecg.capturedAt')}</th>
              <th>{t('readingRoom.waiting')}</th>
              <th>{t('remote.state')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={7} className="muted">
                  {t('readingRoom.empty')}
                </td>
              </tr>
            )}
            {rows.map((row) => {
              const claim = claimOf(row.study.id);
              return (
                <tr key={row.study.id} data-study-id={row.study.id} data-priority={row.study.priority} className={row.study.priority === 'urgent' ? 'urgent' : ''}>
                  <td>{t(`ecg.priorities.${row.study.priority}`)}</td>
                  <td>{row.patient?.name ?? ''}</td>
                  <td>{clinics.get(row.study.institutionId) ?? row.study.institutionId}</td>
                  <td>{formatDateTime(row.study.capturedAt)}</td>
                  <td>{t('readingRoom.minutes', { count: waitingMinutes(row.study, now) })}</td>
                  <td>{claim ? t('readingRoom.readBy', { name: claim.displayName }) : t(`remote.states.${row.study.readingState}`)}</td>
                  <td>
                    <button type="button" disabled={busy} onClick={() => void openStudy(row)}>
                      {t('readingRoom.open')}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
