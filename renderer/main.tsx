/**
 * Renderer entry: load runtime config, pick the WorkstationApi, start i18n, render. WorkstationRoot
 * takes it from there: first-run setup, the local database, sign-in, then the app.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { initI18n } from './i18n/i18n.ts';
import { loadRuntimeConfig } from '../services/platform/runtime-config.ts';
import { connectWorkstation } from '../services/platform/workstation.ts';
import { WorkstationContext } from './app/WorkstationContext.tsx';
import { WorkstationRoot } from './app/WorkstationRoot.tsx';
import { AntdRoot } from './app/AntdRoot.tsx';
import './styles/app.css';

async function boot() {
  const [i18n, config] = await Promise.all([initI18n(), loadRuntimeConfig()]);
  const root = document.getElementById('root');
  if (!root) throw new Error('#root missing from index.html');
  if (config.role === 'center') return bootReadingRoom(root, i18n, config.hubUrl || window.location.origin, config.demo);
  const api = await connectWorkstation(config);
  // The agent token is in sessionStorage now (agentToken); keep it out of the address bar and history.
  if (window.location.hash.includes('token=')) history.replaceState(null, '', window.location.pathname + window.location.search);
  const info = await api.app.info();
  createRoot(root).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <AntdRoot>
          <WorkstationContext.Provider value={{ api, info }}>
            <WorkstationRoot />
          </WorkstationContext.Provider>
        </AntdRoot>
      </I18nextProvider>
    </StrictMode>,
  );
}

/** The ECG center's reading room: no device agent, its own sign-in and local database. */
async function bootReadingRoom(root: HTMLElement, i18n: Awaited<ReturnType<typeof initI18n>>, hubUrl: string, demo: boolean) {
  const { ReadingRoomApp } = await import('./reading-room/ReadingRoomApp.tsx');
  createRoot(root).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <AntdRoot>
          <ReadingRoomApp hubUrl={hubUrl} demo={demo} />
        </AntdRoot>
      </I18nextProvider>
    </StrictMode>,
  );
}

void boot();
