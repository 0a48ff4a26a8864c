/**
 * Renders a screen the way main.tsx does, with an in-memory record store and a scriptable device
 * agent: `devices.emit(event)` plays a card read. For component tests in jsdom.
 */
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import type { DeviceEvent, PrintingApi, WorkstationApi } from '../../core/contract/workstation-api.ts';
import { starterItemCatalog } from '../../core/catalog/index.ts';
import { initI18n, type Language } from '../i18n/i18n.ts';
import { WorkstationContext } from '../app/WorkstationContext.tsx';
import { AntdTestRoot } from './AntdTestRoot.tsx';
import { DirectoryProvider } from '../records/directory.tsx';
import type { Directory } from '../../sync/protocol/admin.ts';
import type { HubConnection } from '../../sync/client/hub-http.ts';
import { browserAppInfo } from '../../services/platform/workstation.ts';
import type { SimulatorControls } from '../../services/platform/simulator.ts';
import { ClinicContext, type ClinicContextValue } from '../records/ClinicContext.tsx';
import { clinicRecords } from '../../services/records/clinic-records.ts';
import { createMemoryRepository, type MemoryRepository } from '../../services/records/testing/memory-repository.ts';
import { createMemoryBlobStore } from '../ecg/testing/memory-blob-store.ts';
import type { ClinicSession, SyncStatusSource } from '../../services/records/repository.ts';

export const testSession: ClinicSession = { institutionId: 'th-clinic-01', userId: 'dr-wang' };

export interface ScriptedDevices {
  emit(event: DeviceEvent): void;
}

export interface RenderOptions {
  language?: Language;
  demo?: boolean;
  repo?: MemoryRepository;
  sync?: SyncStatusSource | null;
  simulator?: SimulatorControls;
  /** The desktop app's printing (main prints on the chosen printer); absent: browser printing. */
  printing?: PrintingApi;
  /** The names the screens show instead of ids (the hub's directory). */
  directory?: Directory;
  hub?: HubConnection | null;
  /** The PC's blob store; an empty in-memory one unless a test looks at what was stored. */
  blobs?: ClinicContextValue['blobs'];
}

export async function renderWorkstation(ui: ReactNode, options: RenderOptions = {}) {
  const i18n = await initI18n(options.language ?? 'zh-CN');
  const info = browserAppInfo({ hubUrl: '', demo: options.demo ?? false });
  const listeners = new Set<(e: DeviceEvent) => void>();
  const api: WorkstationApi & { simulator?: SimulatorControls } = {
    app: { info: async () => info },
    devices: {
      listPorts: async () => [],
      listAssignments: async () => [],
      configure: async () => undefined,
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    ...(options.simulator ? { simulator: options.simulator } : {}),
    ...(options.printing ? { printing: options.printing } : {}),
  };
  const repo = options.repo ?? createMemoryRepository();
  const clinic: ClinicContextValue = { repo, records: clinicRecords(repo, testSession), session: testSession, catalog: starterItemCatalog(), sync: options.sync ?? null, blobs: options.blobs ?? createMemoryBlobStore(), ...(options.hub !== undefined ? { hub: options.hub } : {}) };
  const tree = (node: ReactNode) => (
    <I18nextProvider i18n={i18n}>
      <AntdTestRoot>
        <WorkstationContext.Provider value={{ api, info }}>
          <ClinicContext.Provider value={clinic}>
            <DirectoryProvider initial={options.directory}>{node}</DirectoryProvider>
          </ClinicContext.Provider>
        </WorkstationContext.Provider>
      </AntdTestRoot>
    </I18nextProvider>
  );
  const result = render(tree(ui));
  const devices: ScriptedDevices = { emit: (event) => listeners.forEach((l) => l(event)) };
  return { ...result, i18n, repo, devices, clinic, rerenderFresh: () => result.rerender(tree(ui)) };
}
