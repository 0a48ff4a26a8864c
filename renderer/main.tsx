/** Renderer entry: load runtime config, pick the WorkstationApi, start i18n, render. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { initI18n } from './i18n/i18n.ts';
import { loadRuntimeConfig } from './platform/runtime-config.ts';
import { connectWorkstation } from './platform/workstation.ts';
import { App } from './app/App.tsx';
import { WorkstationContext } from './app/WorkstationContext.tsx';
import './styles/app.css';

async function boot() {
  const [i18n, config] = await Promise.all([initI18n(), loadRuntimeConfig()]);
  const api = await connectWorkstation(config);
  const info = await api.app.info();
  const root = document.getElementById('root');
  if (!root) throw new Error('#root missing from index.html');
  createRoot(root).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <WorkstationContext.Provider value={{ api, info }}>
          <App />
        </WorkstationContext.Provider>
      </I18nextProvider>
    </StrictMode>,
  );
}

void boot();
