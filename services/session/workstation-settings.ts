/**
 * Where this workstation keeps what the first-run wizard set up: hub address, enrolment (workstation
 * id + credential, institution) and printer.
 *
 * - Desktop app: main keeps them in the user data folder, the credential encrypted with the OS
 *   keychain where one exists (WorkstationApi.settings, core/contract).
 * - Browser mode: localStorage. Browser mode is for demonstrations and development: a page's
 *   storage is readable by anyone at the keyboard with developer tools, so a real clinic PC runs the
 *   desktop app.
 * - Demo mode: the demo workstation of 城关镇卫生院 is enrolled already (public credentials, seeded by
 *   sync/hub/demo-seed.ts; repeated here because the renderer may not import hub code), and the hub
 *   address is always the one the demo launcher started.
 */
import { z } from 'zod';
import type { AppInfo, WorkstationApi } from '../../core/contract/workstation-api.ts';
import type { WorkstationEnrolment } from './session-service.ts';

export interface StoredWorkstationSettings {
  hubUrl: string;
  enrolment: WorkstationEnrolment | null;
  /** null: the system's default printer / print dialog. */
  printerName: string | null;
}

export interface WorkstationSettingsStore {
  /** 'desktop': kept by the Electron main process; 'browser': localStorage (demo and development only). */
  readonly kind: 'desktop' | 'browser' | 'demo';
  load(): Promise<StoredWorkstationSettings>;
  save(settings: StoredWorkstationSettings): Promise<void>;
}

export const demoEnrolment: WorkstationEnrolment = {
  workstationId: 'ws-demo-chengguan',
  workstationName: '城关镇卫生院 挂号台',
  institution: { id: 'chengguan', name: '城关镇卫生院', kind: 'township_clinic' },
  workstationCredential: 'demo-workstation-credential-chengguan',
};

/** The demo ECG centre's reading-room workstation (心电中心 阅片室, demo-seed.ts), for the reading room in demo mode. */
export const demoCenterEnrolment: WorkstationEnrolment = {
  workstationId: 'ws-demo-ecg-center',
  workstationName: '心电中心 阅片室',
  institution: { id: 'ecg-center', name: '县远程心电诊断中心', kind: 'ecg_center' },
  workstationCredential: 'demo-workstation-credential-ecg-center',
};

/** The demo hub's accounts (sync/hub/README.md), shown on the demo login screen. */
export const demoAccounts = { usernames: ['nurse', 'doctor', 'cardiologist', 'admin'], password: 'demo1234' } as const;

const enrolmentSchema = z.object({
  workstationId: z.string().min(1).max(100),
  workstationName: z.string().max(200).optional(),
  institution: z.object({ id: z.string().min(1).max(100), name: z.string().max(200), kind: z.string().max(50) }),
  workstationCredential: z.string().min(16).max(200),
});
const storedSchema = z.object({ hubUrl: z.string().max(2048), enrolment: enrolmentSchema.nullable(), printerName: z.string().min(1).max(256).nullable() });

const browserKey = 'clinic-workstation.settings';
/**
 * The reading room (served by the hub at /reading-room/) keeps its enrolment under its own key, so a
 * clinic's browser-mode settings on the same origin and the reading room's never overwrite each other.
 */
export const readingRoomSettingsKey = 'clinic-workstation.reading-room.settings';
const empty: StoredWorkstationSettings = { hubUrl: '', enrolment: null, printerName: null };

export function browserSettingsStore(storage: Pick<Storage, 'getItem' | 'setItem'> = localStorage, key: string = browserKey): WorkstationSettingsStore {
  return {
    kind: 'browser',
    async load() {
      try {
        const parsed = storedSchema.safeParse(JSON.parse(storage.getItem(key) ?? 'null'));
        return parsed.success ? parsed.data : empty;
      } catch {
        return empty;
      }
    },
    async save(settings) {
      storage.setItem(key, JSON.stringify(storedSchema.parse(settings)));
    },
  };
}

export function desktopSettingsStore(settings: NonNullable<WorkstationApi['settings']>): WorkstationSettingsStore {
  return {
    kind: 'desktop',
    async load() {
      const current = await settings.get();
      return { hubUrl: current.hubUrl, enrolment: current.enrolment, printerName: current.printerName };
    },
    async save(next) {
      await settings.update({ hubUrl: next.hubUrl, enrolment: next.enrolment, printerName: next.printerName });
    },
  };
}

/** Demo mode: enrolled as the demo workstation, on the hub the launcher started; a printer choice is kept. */
export function demoSettingsStore(info: AppInfo, inner: WorkstationSettingsStore): WorkstationSettingsStore {
  return {
    kind: 'demo',
    async load() {
      const stored = await inner.load();
      return { hubUrl: info.hubUrl, enrolment: demoEnrolment, printerName: stored.printerName };
    },
    save: (settings) => inner.save({ ...settings, hubUrl: info.hubUrl, enrolment: demoEnrolment }),
  };
}

export function workstationSettingsStore(api: WorkstationApi, info: AppInfo): WorkstationSettingsStore {
  const store = api.settings ? desktopSettingsStore(api.settings) : browserSettingsStore();
  return info.demo ? demoSettingsStore(info, store) : store;
}
