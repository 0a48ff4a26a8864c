/**
 * What the workstation shows from boot: not enrolled → the first-run wizard; enrolled → the
 * institution's local database is opened, then the login screen; signed in → the app, with records
 * written in the user's name and replication running under the user's token (stopped at sign-out).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncController } from '../../sync/client/replication.ts';
import { ClinicContext } from '../records/ClinicContext.tsx';
import { DirectoryProvider } from '../records/directory.tsx';
import { useSyncReport } from '../records/sync-report.ts';
import { clinicContextFor, openLocalClinicStore, startClinicSync, type LocalClinicStore } from '../records/open-clinic-records.ts';
import { SessionGate } from '../session/SessionGate.tsx';
import { SessionProvider, useSession, useSignedInUser } from '../session/SessionProvider.tsx';
import { LanguageSwitch } from '../session/LanguageSwitch.tsx';
import { createSessionService, type ActiveSession, type WorkstationEnrolment } from '../session/session-service.ts';
import { demoAccounts, workstationSettingsStore, type StoredWorkstationSettings, type WorkstationSettingsStore } from '../session/workstation-settings.ts';
import { SetupWizard } from '../setup/SetupWizard.tsx';
import { App } from './App.tsx';
import { errorMessage } from './messages.ts';
import { useWorkstation } from './WorkstationContext.tsx';

/** A shared clinic PC locks itself after ten idle minutes; the typed-in work stays behind the lock. */
const autoLockMs = 10 * 60 * 1000;

export function WorkstationRoot({ settingsStore }: { settingsStore?: WorkstationSettingsStore }) {
  const { t, i18n } = useTranslation();
  const { api, info } = useWorkstation();
  const store = useMemo(() => settingsStore ?? workstationSettingsStore(api, info), [settingsStore, api, info]);
  const [settings, setSettings] = useState<StoredWorkstationSettings | null>(null);
  const [problem, setProblem] = useState('');

  useEffect(() => {
    let cancelled = false;
    store.load().then(
      (loaded) => !cancelled && setSettings(loaded),
      (error: unknown) => !cancelled && setProblem(t('setup.saveFailed', { message: errorMessage(i18n.language, error) })),
    );
    return () => {
      cancelled = true;
    };
  }, [store, t, i18n.language]);

  if (problem) return <p role="alert">{problem}</p>;
  if (!settings) return <p className="app-loading">{t('app.loading')}</p>;
  if (!settings.enrolment) return <FirstRun store={store} initialHubUrl={settings.hubUrl || info.hubUrl} onDone={setSettings} />;
  return <EnrolledWorkstation hubUrl={settings.hubUrl || info.hubUrl} enrolment={settings.enrolment} />;
}

function FirstRun({ store, initialHubUrl, onDone }: { store: WorkstationSettingsStore; initialHubUrl: string; onDone(settings: StoredWorkstationSettings): void }) {
  const { t, i18n } = useTranslation();
  const [problem, setProblem] = useState('');
  return (
    <main className="first-run">
      <div className="login-header">
        <h1>{t('app.title')}</h1>
        <LanguageSwitch />
      </div>
      <p>{t('setup.intro')}</p>
      {store.kind === 'browser' && <p className="muted">{t('setup.browserStorageNote')}</p>}
      {problem && <p role="alert">{problem}</p>}
      <SetupWizard
        initialHubUrl={initialHubUrl}
        allowSkipEnrolment={false}
        onComplete={(result) => {
          const next = { hubUrl: result.hubUrl, enrolment: result.enrolment, printerName: result.printerName };
          store.save(next).then(
            () => onDone(next),
            (error: unknown) => setProblem(t('setup.saveFailed', { message: errorMessage(i18n.language, error) })),
          );
        }}
      />
    </main>
  );
}

function EnrolledWorkstation({ hubUrl, enrolment }: { hubUrl: string; enrolment: WorkstationEnrolment }) {
  const { t, i18n } = useTranslation();
  const { info } = useWorkstation();
  const [local, setLocal] = useState<LocalClinicStore | null>(null);
  const [problem, setProblem] = useState('');

  useEffect(() => {
    let cancelled = false;
    openLocalClinicStore(enrolment.institution).then(
      (opened) => !cancelled && setLocal(opened),
      // Without its local database the workstation cannot keep records: say so plainly.
      (error: unknown) => !cancelled && setProblem(t('common.storageFailed', { message: errorMessage(i18n.language, error) })),
    );
    return () => {
      cancelled = true;
    };
  }, [enrolment.institution, t, i18n.language]);

  const service = useMemo(
    () => (local ? createSessionService({ hubUrl, enrolment, offlineStore: local.db, storage: sessionStorage }) : null),
    [local, hubUrl, enrolment],
  );

  if (problem) return <p role="alert">{problem}</p>;
  if (!local || !service) return <p className="app-loading">{t('app.loading')}</p>;
  return (
    <SessionProvider service={service} autoLockMs={autoLockMs}>
      <SessionGate demoAccounts={info.demo ? demoAccounts : undefined}>
        <SignedInWorkstation local={local} hubUrl={hubUrl} />
      </SessionGate>
    </SessionProvider>
  );
}

interface RunningSync {
  session: ActiveSession;
  controller: Promise<SyncController | null>;
  stopTimer?: ReturnType<typeof setTimeout> | undefined;
}

function SignedInWorkstation({ local, hubUrl }: { local: LocalClinicStore; hubUrl: string }) {
  const { state } = useSession();
  const user = useSignedInUser();
  const session = state.status === 'signed-in' ? state.session : null;
  const [sync, setSync] = useState<SyncController | null>(null);
  const running = useRef<RunningSync | null>(null);

  // One replication per signed-in session. The stop is deferred a tick so React's development
  // double mount (StrictMode) reuses the running replication instead of starting a second one.
  useEffect(() => {
    if (!hubUrl || !session) return;
    let keeper = running.current;
    if (!keeper || keeper.session !== session) {
      const old = keeper;
      if (old) void old.controller.then((c) => c?.stop());
      keeper = running.current = { session, controller: startClinicSync(local, hubUrl, () => session.getToken()).catch(() => null) };
    }
    clearTimeout(keeper.stopTimer);
    let live = true;
    void keeper.controller.then((c) => live && setSync(c));
    const current = keeper;
    return () => {
      live = false;
      current.stopTimer = setTimeout(() => {
        if (running.current === current) running.current = null;
        void current.controller.then((c) => c?.stop());
      }, 0);
    };
  }, [local, hubUrl, session]);

  const clinic = useMemo(
    () =>
      clinicContextFor(
        local,
        { institutionId: user.institution.id, userId: user.userId },
        sync,
        hubUrl && session ? { hubUrl, getToken: () => session.getToken() } : null,
      ),
    [local, user.institution.id, user.userId, sync, hubUrl, session],
  );
  useSyncReport(clinic.sync, clinic.hub);
  return (
    <ClinicContext.Provider value={clinic}>
      <DirectoryProvider hub={clinic.hub}>
        <App />
      </DirectoryProvider>
    </ClinicContext.Provider>
  );
}
