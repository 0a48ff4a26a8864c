/**
 * The renderer in the ECG center's role (served by the hub at /reading-room/): sign in as a
 * cardiologist, then the reading room. No device agent, no clinic screens.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { supportedLanguages, type Language } from '../i18n/i18n.ts';
import { errorMessage } from '../app/messages.ts';
import { openCenterSession, type CenterSession } from './center-session.ts';
import { ReadingRoom } from './ReadingRoom.tsx';
import { TurnaroundDashboard } from './dashboard/index.ts';
import { createBeeper, type Beeper } from './urgent-alert.ts';
import '../ecg/ecg.css';
import './reading-room.css';

export function ReadingRoomApp({ hubUrl, demo }: { hubUrl: string; demo: boolean }) {
  const { t, i18n } = useTranslation();
  const [session, setSession] = useState<CenterSession | null>(null);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [view, setView] = useState<'worklist' | 'turnaround'>('worklist');
  const beeper = useRef<Beeper | null>(null);

  useEffect(() => () => void session?.close(), [session]);

  const login = async () => {
    setError(null);
    setBusy(true);
    // Created inside the click: browsers allow sound only after a user gesture.
    beeper.current ??= createBeeper();
    try {
      setSession(await openCenterSession(hubUrl, username, password, { demo }));
    } catch (e) {
      setError(errorMessage(i18n.language, e));
    } finally {
      setBusy(false);
      setPassword('');
    }
  };

  return (
    <div className="app reading-room-app">
      <header className="app-header">
        <div className="app-title">
          <h1>{t('readingRoom.appTitle')}</h1>
          {demo && <span className="badge badge-demo">{t('app.demoBadge')}</span>}
        </div>
        {session && <span data-testid="signed-in-as">{t('readingRoom.signedInAs', { name: session.displayName })}</span>}
        <label className="language-switch">
          {t('app.language')}
          <select aria-label={t('app.language')} value={i18n.language} onChange={(e) => void i18n.changeLanguage(e.target.value as Language)}>
            {supportedLanguages.map((lng) => (
              <option key={lng} value={lng}>
                {lng === 'zh-CN' ? '中文' : 'English'}
              </option>
            ))}
          </select>
        </label>
      </header>
      <main className="app-main">
        {session && beeper.current ? (
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
              <ReadingRoom session={session} beeper={beeper.current} />
            </div>
            {view === 'turnaround' && <TurnaroundDashboard hub={session.hub} />}
          </>
        ) : (
          <form
            className="panel reading-login"
            aria-labelledby="login-title"
            onSubmit={(e) => {
              e.preventDefault();
              void login();
            }}
          >
            <h2 id="login-title">{t('readingRoom.loginTitle')}</h2>
            <label>
              {t('readingRoom.username')}
              <input autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required maxLength={64} />
            </label>
            <label>
              {t('readingRoom.password')}
              <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required maxLength={200} />
            </label>
            <button type="submit" className="primary" disabled={busy}>
              {t('readingRoom.login')}
            </button>
            {demo && <p className="muted">{t('readingRoom.demoAccount')}</p>}
            {error && (
              <p className="notice error" role="alert">
                {error}
              </p>
            )}
          </form>
        )}
      </main>
    </div>
  );
}
