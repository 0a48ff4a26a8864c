/**
 * What the workstation shows from boot: not enrolled → the first-run wizard; enrolled → the
 * institution's boot database (offline grants, keyring) is opened, then the login screen; signed in →
 * the records open with the key the password released, then the app, with records written in the
 * user's name and replication running under the user's token. Lock and sign-out stop replication and
 * close the records (docs/security-local-data.md).
 */
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncController } from '../../sync/client/replication.ts';
import { ClinicContext, clinicContextFor } from '../records/ClinicContext.tsx';
import { openBootStore, type BootStore, type LocalClinicStore } from '../../services/records/open-clinic-records.ts';
import { protectedRecords, withProtectedRecords, type ProtectedRecords } from '../../services/records/protected-records.ts';
import { DirectoryProvider } from '../records/directory.tsx';
import { startSyncReports } from '../../services/records/sync-report.ts';
import { SessionGate } from '../session/SessionGate.tsx';
import { SessionProvider, useSession, useSignedInUser } from '../session/SessionProvider.tsx';
import { LanguageSwitch } from '../session/LanguageSwitch.tsx';
import { createSessionService, type WorkstationEnrolment } from '../../services/session/session-service.ts';
import { demoAccounts, workstationSettingsStore, type StoredWorkstationSettings, type WorkstationSettingsStore } from '../../services/session/workstation-settings.ts';
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
  const [boot, setBoot] = useState<BootStore | null>(null);
  const [problem, setProblem] = useState('');

  useEffect(() => {
    let cancelled = false;
    openBootStore(enrolment.institution).then(
      (opened) => !cancelled && setBoot(opened),
      // Without its local database the workstation cannot keep records: say so plainly.
      (error: unknown) => !cancelled && setProblem(t('common.storageFailed', { message: errorMessage(i18n.language, error) })),
    );
    return () => {
      cancelled = true;
    };
  }, [enrolment.institution, t, i18n.language]);

  // The records open only with the key the user's password releases, and close at lock and sign-out.
  const records = useMemo(
    () => (boot ? protectedRecords({ boot: boot.boot, institutionId: enrolment.institution.id, writer: boot.writer, catalog: boot.catalog }) : null),
    [boot, enrolment.institution.id],
  );
  const service = useMemo(
    () => (boot && records ? withProtectedRecords(createSessionService({ hubUrl, enrolment, offlineStore: boot.boot, storage: sessionStorage }), records) : null),
    [boot, records, hubUrl, enrolment],
  );

  if (problem) return <p role="alert">{problem}</p>;
  if (!boot || !records || !service) return <p className="app-loading">{t('app.loading')}</p>;
  return (
    <SessionProvider service={service} autoLockMs={autoLockMs}>
      <CloseRecordsWhenAway records={records} />
      <SessionGate demoAccounts={info.demo ? demoAccounts : undefined}>
        <SignedInWorkstation records={records} hubUrl={hubUrl} />
      </SessionGate>
    </SessionProvider>
  );
}

/** Whatever ends a session (sign-out, the hub expiring it, the lock) closes the records. */
function CloseRecordsWhenAway({ records }: { records: ProtectedRecords }) {
  const { state } = useSession();
  const away = state.status !== 'signed-in' || state.locked;
  useEffect(() => {
    if (away) void records.close();
  }, [away, records]);
  return null;
}

function SignedInWorkstation({ records, hubUrl }: { records: ProtectedRecords; hubUrl: string }) {
  const { t } = useTranslation();
  const local = useSyncExternalStore(records.subscribe, () => records.current);
  if (!local) return <p className="app-loading">{t('app.loading')}</p>;
  return <OpenWorkstation local={local} records={records} hubUrl={hubUrl} />;
}

function OpenWorkstation({ local, records, hubUrl }: { local: LocalClinicStore; records: ProtectedRecords; hubUrl: string }) {
  const { state } = useSession();
  const user = useSignedInUser();
  const session = state.status === 'signed-in' ? state.session : null;
  const [sync, setSync] = useState<SyncController | null>(null);

  // One replication per open records database, under the signed-in user's token; closing the
  // records (lock, sign-out) stops it before the database closes.
  useEffect(() => {
    if (!hubUrl || !session) return;
    let live = true;
    void records.startSync(hubUrl, () => session.getToken()).then((c) => live && setSync(c));
    return () => {
      live = false;
    };
  }, [records, local, hubUrl, session]);

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
  // The hub cannot see this workstation's outbox: tell it while someone is signed in.
  useEffect(() => (clinic.sync && clinic.hub ? startSyncReports(clinic.sync, clinic.hub) : undefined), [clinic.sync, clinic.hub]);
  return (
    <ClinicContext.Provider value={clinic}>
      <DirectoryProvider hub={clinic.hub}>
        <App />
      </DirectoryProvider>
    </ClinicContext.Provider>
  );
}
