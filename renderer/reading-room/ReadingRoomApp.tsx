/**
 * The renderer in the ECG center's role (served by the hub at /reading-room/): sign in as a
 * cardiologist through the workstation's session service (services/session and renderer/session: login screen, tokens
 * instead of the password, lock and sign-out), then the reading room. No device agent, no clinic
 * screens.
 *
 * Which workstation the page signs in as: in demo mode the demo centre's reading-room workstation
 * (demoCenterEnrolment). Outside demo mode the one this browser enrolled on this hub
 * (center-enrolment.ts); until then, an enrolment form for the administrator's one-time code.
 */
import { Alert, Button, Form, Input, Layout, Menu, Tag } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../app/messages.ts';
import { LanguageSwitch } from '../session/LanguageSwitch.tsx';
import { CredentialForm } from '../session/CredentialForm.tsx';
import { SessionGate } from '../session/SessionGate.tsx';
import { SessionProvider, useSession } from '../session/SessionProvider.tsx';
import { createSessionService, type ActiveSession, type WorkstationEnrolment } from '../../services/session/session-service.ts';
import { UserMenu } from '../session/UserMenu.tsx';
import { demoAccounts, demoCenterEnrolment } from '../../services/session/workstation-settings.ts';
import type { FetchLike } from '../../services/setup/setup-model.ts';
import { enrolReadingRoom, loadCenterEnrolment } from '../../services/reading-room/center-enrolment.ts';
import { openCenterSession, type CenterSession } from '../../services/reading-room/center-session.ts';
import { ReadingRoom } from './ReadingRoom.tsx';
import { CriticalEscalationBanner } from '../ecg/remote/CriticalEscalation.tsx';
import { DirectoryProvider } from '../records/directory.tsx';
import { TurnaroundDashboard } from './dashboard/index.ts';
import { createBeeper, type Beeper } from '../platform/beeper.ts';
import '../ecg/ecg.css';
import './reading-room.css';

/** Only cardiologists pass the gate, so the demo hint names only theirs. */
const centerDemoAccounts = { usernames: ['cardiologist'], password: demoAccounts.password } as const;

export interface ReadingRoomAppProps {
  hubUrl: string;
  demo: boolean;
  /** Tests only: the enrolment call (default: fetch). */
  fetchImpl?: FetchLike;
}

export function ReadingRoomApp({ hubUrl, demo, fetchImpl }: ReadingRoomAppProps) {
  const { t } = useTranslation();
  const enrolment = useCenterEnrolment(hubUrl, demo);
  const [enrolledNow, setEnrolledNow] = useState<WorkstationEnrolment | null>(null);
  const current = enrolledNow ?? (enrolment === 'loading' ? null : enrolment);
  const service = useMemo(() => (current ? createSessionService({ hubUrl, enrolment: current, storage: sessionStorage }) : null), [hubUrl, current]);
  // One beeper for the page. Browsers let it sound only once the page has had a user gesture;
  // signing in is one, and beep() resumes the audio each time.
  const [beeper] = useState<Beeper>(createBeeper);

  if (!service && enrolment === 'loading') return <p className="app-loading">{t('app.loading')}</p>;
  if (!service) return <EnrolmentForm hubUrl={hubUrl} fetchImpl={fetchImpl} onEnrolled={setEnrolledNow} />;
  return (
    <SessionProvider service={service}>
      <SessionGate roles={['cardiologist']} title={t('readingRoom.loginTitle')} demoAccounts={demo ? centerDemoAccounts : undefined}>
        <SignedInReadingRoom hubUrl={hubUrl} demo={demo} beeper={beeper} />
      </SessionGate>
    </SessionProvider>
  );
}

/** Demo: the demo centre's workstation at once; otherwise what this browser enrolled on hubUrl. */
function useCenterEnrolment(hubUrl: string, demo: boolean): WorkstationEnrolment | null | 'loading' {
  const [stored, setStored] = useState<WorkstationEnrolment | null | 'loading'>('loading');
  useEffect(() => {
    if (demo) return;
    let live = true;
    loadCenterEnrolment(hubUrl).then(
      (found) => live && setStored(found),
      () => live && setStored(null),
    );
    return () => {
      live = false;
    };
  }, [hubUrl, demo]);
  return demo ? demoCenterEnrolment : stored;
}

/** Not enrolled yet: the administrator's one-time code enrols this PC on the page's own hub. */
function EnrolmentForm({ hubUrl, fetchImpl, onEnrolled }: { hubUrl: string; fetchImpl?: FetchLike | undefined; onEnrolled(enrolment: WorkstationEnrolment): void }) {
  const { t, i18n } = useTranslation();
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const enrol = async (code: string) => {
    setProblem('');
    setBusy(true);
    try {
      onEnrolled(await enrolReadingRoom(hubUrl, code, { fetchImpl }));
    } catch (error) {
      setProblem(errorMessage(i18n.language, error));
      setBusy(false);
    }
  };
  return (
    <CredentialForm<{ code?: string }> name="enrol" titleId="enrol-title" title={t('readingRoom.appTitle')} onSubmit={({ code = '' }) => void enrol(code)}>
      <p className="login-text">{t('readingRoom.notEnrolled')}</p>
      <p className="login-text login-note">{t('readingRoom.storageNote')}</p>
      <Form.Item name="code" label={t('setup.enrol.label')} extra={t('setup.enrol.hint')}>
        <Input placeholder="ABCD-EFGH-JKLM" autoComplete="off" autoFocus aria-invalid={problem !== ''} />
      </Form.Item>
      {problem && <Alert className="login-alert" type="error" showIcon title={problem} />}
      <Form.Item>
        <Button type="primary" htmlType="submit" block disabled={busy}>
          {t('setup.enrol.submit')}
        </Button>
      </Form.Item>
    </CredentialForm>
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
    <Layout className="app reading-room-app">
      <header className="app-header">
        <div className="app-title">
          <h1>{t('readingRoom.appTitle')}</h1>
          {demo && <Tag color="gold">{t('app.demoBadge')}</Tag>}
        </div>
        <UserMenu />
        <LanguageSwitch />
      </header>
      <main className="app-main">
        {problem ? (
          <Alert type="error" showIcon title={t('common.storageFailed', { message: errorMessage(i18n.language, problem) })} />
        ) : !center ? (
          <p className="app-loading">{t('app.loading')}</p>
        ) : (
          <DirectoryProvider hub={center.hub}>
            <nav aria-label={t('readingRoom.appTitle')}>
              <Menu
                mode="horizontal"
                className="reading-room-nav"
                selectedKeys={[view]}
                onClick={({ key }) => setView(key as typeof view)}
                items={(['worklist', 'turnaround'] as const).map((v) => ({ key: v, label: t(`readingRoom.tabs.${v}`) }))}
              />
            </nav>
            <CriticalEscalationBanner hub={center.hub} records={center.repo} />
            {/* The worklist stays mounted behind the dashboard, so its alarm still sounds. */}
            <div hidden={view !== 'worklist'}>
              <ReadingRoom session={center} beeper={beeper} />
            </div>
            {view === 'turnaround' && <TurnaroundDashboard hub={center.hub} />}
          </DirectoryProvider>
        )}
      </main>
    </Layout>
  );
}
