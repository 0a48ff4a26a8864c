import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { supportedLanguages, type Language } from '../i18n/i18n.ts';
import { useWorkstation } from './WorkstationContext.tsx';
import { HomeScreen } from './HomeScreen.tsx';
import { RegistrationScreen } from '../registration/RegistrationScreen.tsx';
import { ConsultationScreen } from '../consultation/ConsultationScreen.tsx';
import { EcgScreen } from '../ecg/EcgScreen.tsx';
import { SyncPanel, SyncStatusBar } from '../sync-status/SyncStatus.tsx';

export const screens = ['home', 'registration', 'consultation', 'ecg', 'sync', 'admin'] as const;
export type Screen = (typeof screens)[number];

export function App() {
  const { t, i18n } = useTranslation();
  const { info } = useWorkstation();
  const [screen, setScreen] = useState<Screen>('home');

  return (
    <div className="app">
      <header className="app-header">
        <div className="app-title">
          <h1>{t('app.title')}</h1>
          <span className="app-subtitle">{t('app.subtitle')}</span>
          {info.demo && <span className="badge badge-demo">{t('app.demoBadge')}</span>}
        </div>
        <SyncStatusBar />
        <label className="language-switch">
          {t('app.language')}
          <select
            aria-label={t('app.language')}
            value={i18n.language}
            onChange={(e) => void i18n.changeLanguage(e.target.value as Language)}
          >
            {supportedLanguages.map((lng) => (
              <option key={lng} value={lng}>
                {lng === 'zh-CN' ? '中文' : 'English'}
              </option>
            ))}
          </select>
        </label>
      </header>
      <nav className="app-nav" aria-label="main">
        {screens.map((s) => (
          <button key={s} className={s === screen ? 'active' : ''} aria-current={s === screen} onClick={() => setScreen(s)}>
            {t(`nav.${s}`)}
          </button>
        ))}
      </nav>
      <main className="app-main">
        {screen === 'home' ? (
          <HomeScreen onOpen={setScreen} />
        ) : screen === 'registration' ? (
          <RegistrationScreen />
        ) : screen === 'consultation' ? (
          <ConsultationScreen />
        ) : screen === 'ecg' ? (
          <EcgScreen />
        ) : screen === 'sync' ? (
          <SyncPanel />
        ) : (
          <section aria-labelledby="screen-title">
            <h2 id="screen-title">{t(`nav.${screen}`)}</h2>
            <p>{t('placeholder.comingSoon')}</p>
          </section>
        )}
      </main>
    </div>
  );
}
