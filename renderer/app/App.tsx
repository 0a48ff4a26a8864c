import { Layout, Menu } from 'antd';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useWorkstation } from './WorkstationContext.tsx';
import { HomeScreen } from './HomeScreen.tsx';
import { ConsultationScreen } from '../consultation/lazy-screens.tsx';
import { useOpenedEcgFiles } from '../ecg/open-file.ts';
import { QueueList } from '../consultation/lazy-screens.tsx';
import { SyncPanel, SyncStatusBar } from '../sync-status/SyncStatus.tsx';
import { useSignedInUser } from '../session/SessionProvider.tsx';
import { UserMenu } from '../session/UserMenu.tsx';
import { LanguageSwitch } from '../session/LanguageSwitch.tsx';
import { canOpen } from '../../services/session/roles.ts';
import { WorkstationSetupScreen } from '../setup/WorkstationSetupScreen.tsx';
import { CriticalFindingAlert, CriticalFindingBadge } from '../ecg/remote/CriticalFindingAlert.tsx';
import { CriticalEscalationBanner } from '../ecg/remote/CriticalEscalation.tsx';
import { useClinic } from '../records/ClinicContext.tsx';

// The ECG screen carries the DICOM/SCP codecs (dcmjs alone is ≈ 30 % of the bundle): loaded when
// first opened, so the registration desk starts faster.
const EcgScreen = lazy(() => import('../ecg/EcgScreen.tsx').then((m) => ({ default: m.EcgScreen })));
// The administrator's screens carry antd's tables, forms and dialogs: loaded when first opened.
const AdminScreen = lazy(() => import('../admin/AdminScreen.tsx').then((m) => ({ default: m.AdminScreen })));
// The registration desk carries antd's form, select and date picker (≈ 150 KiB gzip): not part of
// the cold start (sign-in, home), fetched as soon as the app is idle so it opens without a wait.
const loadRegistration = () => import('../registration/RegistrationScreen.tsx').then((m) => ({ default: m.RegistrationScreen }));
const RegistrationScreen = lazy(loadRegistration);

export const screens = ['home', 'registration', 'queue', 'consultation', 'ecg', 'sync', 'admin', 'setup'] as const;
export type Screen = (typeof screens)[number];

export function App() {
  const { t } = useTranslation();
  const { info, api } = useWorkstation();
  const { hub, repo } = useClinic();
  const [chosen, setScreen] = useState<Screen>('home');
  // ECG files opened from the OS (desktop app) show on the ECG screen, whichever screen was open.
  const openedEcg = useOpenedEcgFiles(api.files, () => setScreen('ecg'));
  // The signed-in user's role decides which screens are offered (session/roles.ts).
  const user = useSignedInUser();
  const visible = screens.filter((s) => canOpen(user.role, s));
  const screen: Screen = visible.includes(chosen) ? chosen : 'home';
  const offersRegistration = visible.includes('registration');
  useEffect(() => {
    if (!offersRegistration) return;
    const idle = setTimeout(() => void loadRegistration(), 0);
    return () => clearTimeout(idle);
  }, [offersRegistration]);

  return (
    <Layout className="app">
      <Layout.Header className="app-header">
        <div className="app-title">
          <h1>{t('app.title')}</h1>
          <span className="app-subtitle">{t('app.subtitle')}</span>
          {info.demo && <span className="badge badge-demo">{t('app.demoBadge')}</span>}
          <CriticalFindingBadge />
        </div>
        <div className="app-header-actions">
          <SyncStatusBar />
          <UserMenu />
          <LanguageSwitch />
        </div>
      </Layout.Header>
      {/* One row of menu items, never folded into "…": eight screens fit at 1366 px. */}
      <nav className="app-nav" aria-label="main">
        <Menu mode="horizontal" disabledOverflow selectedKeys={[screen]} onClick={({ key }) => setScreen(key as Screen)} items={visible.map((s) => ({ key: s, label: t(`nav.${s}`), 'aria-current': s === screen ? 'page' : undefined }))} />
      </nav>
      <CriticalFindingAlert />
      <Layout.Content className="app-main">
        {/* 危急值 left unacknowledged: the clinic's administrator (and a cardiologist who signed it) must see it. */}
        {(user.role === 'administrator' || user.role === 'cardiologist') && <CriticalEscalationBanner hub={hub} records={repo} />}
        {screen === 'home' ? (
          <HomeScreen onOpen={setScreen} visible={visible} />
        ) : screen === 'registration' ? (
          <Suspense fallback={<p role="status">{t('app.loading')}</p>}>
            <RegistrationScreen />
          </Suspense>
        ) : screen === 'queue' ? (
          <QueueList />
        ) : screen === 'consultation' ? (
          <ConsultationScreen />
        ) : screen === 'ecg' ? (
          <Suspense fallback={<p role="status">{t('app.loading')}</p>}>
            <EcgScreen openedFile={openedEcg.current} onCloseOpenedFile={openedEcg.dismiss} />
          </Suspense>
        ) : screen === 'sync' ? (
          <SyncPanel />
        ) : screen === 'setup' ? (
          <WorkstationSetupScreen />
        ) : screen === 'admin' ? (
          <Suspense fallback={<p role="status">{t('app.loading')}</p>}>
            <AdminScreen />
          </Suspense>
        ) : (
          <section aria-labelledby="screen-title">
            {/* Every screen has its own branch now; this stays for screens added later. */}
            <h2 id="screen-title">{t(`nav.${screen as string}`)}</h2>
            <p>{t('placeholder.comingSoon')}</p>
          </section>
        )}
      </Layout.Content>
    </Layout>
  );
}
