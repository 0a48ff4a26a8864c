/**
 * The renderer in the ECG center's role (served by the hub at /reading-room/): sign in as a
 * cardiologist through the workstation's session service (renderer/session: login screen, tokens
 * instead of the password, lock and sign-out), then the reading room. No device agent, no clinic
 * screens.
 *
 * Which workstation the page signs in as: in demo mode the demo centre's reading-room workstation
 * (demoCenterEnrolment). A page served by the hub has no enrolment store of its own yet (the
 * first-run wizard needs the desktop app's WorkstationApi), so outside demo mode it says plainly
 * that this reading room is not enrolled.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../app/messages.ts';
import { LanguageSwitch } from '../session/LanguageSwitch.tsx';
import { SessionGate } from '../session/SessionGate.tsx';
import { SessionProvider, useSession } from '../session/SessionProvider.tsx';
import { createSessionService, type ActiveSession, type WorkstationEnrolment } from '../session/session-service.ts';
import { UserMenu } from '../session/UserMenu.tsx';
import { demoAccounts, demoCenterEnrolment } from '../session/workstation-settings.ts';
import { openCenterSession, type CenterSession } from './center-session.ts';
import { ReadingRoom } from './ReadingRoom.tsx';
import { TurnaroundDashboard } from './dashboard/index.ts';
import { createBeeper, type Beeper } from './urgent-alert.ts';
import '../ecg/ecg.css';
import './reading-room.css';

/** Only cardiologists pass the gate, so the demo hint names only theirs. */
const centerDemoAccounts = { usernames: ['cardiologist'], password: demoAccounts.password } as const;

export function ReadingRoomApp({ hubUrl, demo }: { hubUrl: string; demo: boolean }) {
  const { t } = useTranslation();
  const enrolment: WorkstationEnrolment | null = demo ? demoCenterEnrolment : null;
  const service = useMemo(() => (enrolment ? createSessionService({ hubUrl, enrolment, storage: sessionStorage }) : null), [hubUrl, enrolment]);
  // One beeper for the page. Browsers let it sound only once the page has had a user gesture;
  // signing in is one, and beep() resumes the audio each time.
  const [beeper] = useState<Beeper>(createBeeper);

  if (!service) return <NotEnrolled />;
  return (
    <SessionProvider service={service}>
      <SessionGate roles={['cardiologist']} title={t('readingRoom.loginTitle')} demoAccounts={demo ? centerDemoAccounts : undefined}>
        <SignedInReadingRoom hubUrl={hubUrl} demo={demo} beeper={beeper} />
      </SessionGate>
    </SessionProvider>
  );
}

function NotEnrolled() {
  const { t } = useTranslation();
  return (
    <main className="login-screen">
      <section className="panel login-form" aria-labelledby="not-enrolled-title">
        <div className="login-header">
          <h1 id="not-enrolled-title">{t('readingRoom.appTitle')}</h1>
          <LanguageSwitch />
        </div>
        <p role="alert">{t('readingRoom.notEnrolled')}</p>
      </section>
    </main>
  );
}

interface OpenedCenter {
  session: ActiveSession;
  opened: Promise<CenterSession>;
  closeTimer?: ReturnType<typeof setTimeout> | undefined;
}

/**
 * The centre's records for the signed-in session; closed at sign-out. The close is deferred a tick
 * so React's development double mount (StrictMode) reuses the open database instead of opening it
 * twice.
 */
function useCenterSession(hubUrl: string, session: ActiveSession | null): { center: CenterSession | null; problem: unknown } {
  const [result, setResult] = useState<{ center: CenterSession | null; problem: unknown }>({ center: null, problem: null });
  const current = useRef<OpenedCenter | null>(null);

  useEffect(() => {
    if (!session) return;
    let keeper = current.current;
    if (!keeper || keeper.session !== session) {
      if (keeper) void keeper.opened.then((c) => c.close()).catch(() => undefined);
      keeper = current.current = { session, opened: openCenterSession(hubUrl, session.user, () => session.getToken()) };
    }
    clearTimeout(keeper.closeTimer);
    let live = true;
    keeper.opened.then(
      (center) => live && setResult({ center, problem: null }),
      (problem: unknown) => live && setResult({ center: null, problem }),
    );
    const mine = keeper;
    return () => {
      live = false;
      mine.closeTimer = setTimeout(() => {
        if (current.current === mine) current.current = null;
        void mine.opened.then((c) => c.close()).catch(() => undefined);
      }, 0);
    };
  }, [hubUrl, session]);

  return result;
}

function SignedInReadingRoom({ hubUrl, demo, beeper }: { hubUrl: string; demo: boolean; beeper: Beeper }) {
  const { t, i18n } = useTranslation();
  const { state } = useSession();
  const { center, problem } = useCenterSession(hubUrl, state.status === 'signed-in' ? state.session : null);
  const [view, setView] = useState<'worklist' | 'turnaround'>('worklist');

  return (
    <div className="app reading-room-app">
      <header className="app-header">
        <div className="app-title">
          <h1>{t('readingRoom.appTitle')}</h1>
          {demo && <span className="badge badge-demo">{t('app.demoBadge')}</span>}
        </div>
        <UserMenu />
        <LanguageSwitch />
      </header>
      <main className="app-main">
        {problem ? (
          <p className="notice error" role="alert">
            {t('common.storageFailed', { message: errorMessage(i18n.language, problem) })}
          </p>
        ) : !center ? (
          <p className="app-loading">{t('app.loading')}</p>
        ) : (
          <>
            <nav className="app-nav" aria-label="reading room">
              {(['worklist', 'turnaround'] as const).map((v) => (
                <button key={v} type="button" className={v === view ? 'active' : ''} aria-current={v === view} onClick={() => setView(v)}>
                  {t(`readingRoom.tabs.${v}`)}
                </button>
              ))}
            </nav>
            {/* The worklist stays mounted behind the dashboard, so its alarm still sounds. */}
            <div hidden={view !== 'worklist'}>
              <ReadingRoom session={center} beeper={beeper} />
            </div>
            {view === 'turnaround' && <TurnaroundDashboard hub={center.hub} />}
          </>
        )}
      </main>
    </div>
  );
}
