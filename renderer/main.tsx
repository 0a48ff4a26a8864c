/** Renderer entry: load runtime config, pick the WorkstationApi, start i18n, render. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { initI18n } from './i18n/i18n.ts';
import { loadRuntimeConfig } from './platform/runtime-config.ts';
import { connectWorkstation } from './platform/workstation.ts';
import { App } from './app/App.tsx';
import { WorkstationContext } from './app/WorkstationContext.tsx';
import { ClinicContext } from './records/ClinicContext.tsx';
import { openClinicRecords } from './records/open-clinic-records.ts';
import './styles/app.css';

async function boot() {
  const [i18n, config] = await Promise.all([initI18n(), loadRuntimeConfig()]);
  const root = document.getElementById('root');
  if (!root) throw new Error('#root missing from index.html');
  const [api, clinic] = await Promise.all([connectWorkstation(config), openClinicRecords(config)]).catch((error: unknown) => {
    // Without its local database the workstation cannot keep records: say so plainly instead of a blank page.
    root.textContent = i18n.t('common.storageFailed', { message: error instanceof Error ? error.message : String(error) });
    throw error;
  });
  // The agent token is in sessionStorage now (agentToken); keep it out of the address bar and history.
  if (window.location.hash.includes('token=')) history.replaceState(null, '', window.location.pathname + window.location.search);
  const info = await api.app.info();
  createRoot(root).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <WorkstationContext.Provider value={{ api, info }}>
          <ClinicContext.Provider value={clinic}>
            <App />
          </ClinicContext.Provider>
        </WorkstationContext.Provider>
      </I18nextProvider>
    </StrictMode>,
  );
}

void boot();
