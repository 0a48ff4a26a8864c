/**
 * The sandboxed preload: exposes exactly one object, `window.workstation`, that satisfies
 * WorkstationApi (all of it, including the optional parts the device agent offers: autoDetect, the
 * ECG stream controls and, in demo mode, the simulator controls). It never exposes ipcRenderer itself; every call goes to a
 * prefixed channel derived from the agent's method table (`cw:agent:<method>`), waits at most its
 * channel's timeout, and turns an `{ ok: false }` result into an Error carrying the code and the
 * Chinese message. No zod here: main validates every payload.
 */
import { contextBridge, ipcRenderer } from 'electron';
import {
  agentChannel,
  appInfoChannel,
  deviceEventChannel,
  ipcTimeoutFor,
  mainChannels,
  openEcgFileChannel,
  type AgentParams,
  type IpcChannel,
  type IpcError,
  type IpcResult,
  type RelayedAgentMethod,
} from '../../core/contract/ipc.ts';
import type {
  AppInfo,
  DetectedDevice,
  DeviceAssignment,
  DeviceEvent,
  DeviceKind,
  DeviceSimulatorControls,
  EcgControls,
  EcgElectrode,
  FilesApi,
  OpenEcgFileEvent,
  PortInfo,
  PrinterInfo,
  PrintingApi,
  PrintOutcome,
  SettingsApi,
  WorkstationSettings,
  SimulatedEcgRhythm,
  SimulatorSample,
  WorkstationApi,
} from '../../core/contract/workstation-api.ts';

/** A sandboxed preload gets a small `process`; main passes --cw-demo in additionalArguments. */
declare const process: { argv: string[] };
export const demoArgument = '--cw-demo';

/**
 * What a failed call rejects with. Deliberately not an Error: contextBridge copies an Error into the
 * page as a new Error with the message only, dropping `code` and the Chinese message (Electron docs,
 * contextBridge, "Error ... custom properties on the Error object will be lost"). A plain object's
 * own properties are copied, so the renderer's errorMessage() finds messageZh / messageEn.
 */
export class WorkstationCallError {
  readonly name = 'WorkstationCallError';
  readonly code: string;
  readonly message: string;
  readonly messageEn: string;
  readonly messageZh: string;
  constructor(error: IpcError) {
    this.code = error.code;
    this.message = error.message;
    this.messageEn = error.message;
    this.messageZh = error.messageZh;
  }
}

export async function invoke<T>(channel: IpcChannel, request?: unknown): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new WorkstationCallError({ code: 'timeout', message: `No answer from the workstation (${channel})`, messageZh: '工作站无响应' })),
      ipcTimeoutFor(channel),
    );
  });
  try {
    const result = (await Promise.race([ipcRenderer.invoke(channel, request), timeout])) as IpcResult<T>;
    if (!result.ok) throw new WorkstationCallError(result.error);
    return result.value;
  } finally {
    clearTimeout(timer);
  }
}

/** One agent call, typed from the agent's method table. */
export function callAgent<T, M extends RelayedAgentMethod>(method: M, ...params: AgentParams<M> extends undefined ? [] : [AgentParams<M>]): Promise<T> {
  return invoke<T>(agentChannel(method), params[0]);
}

const simulatorControls: DeviceSimulatorControls = {
  listSamples: () => callAgent<SimulatorSample[], 'simulator.listSamples'>('simulator.listSamples'),
  placeCard: async (sampleId: string) => void (await callAgent('simulator.placeCard', { sampleId })),
  removeCard: async (kind: DeviceKind) => void (await callAgent('simulator.removeCard', { kind })),
  scanCode: async (text: string) => void (await callAgent('simulator.scanCode', { text })),
  setEcgRhythm: async (rhythm: SimulatedEcgRhythm) => void (await callAgent('simulator.setEcgRhythm', { rhythm })),
  setEcgLeadOff: async (electrodes: EcgElectrode[]) => void (await callAgent('simulator.setEcgLeadOff', { electrodes })),
};

const ecgControls: EcgControls = {
  start: async (options) => void (await callAgent('ecg.start', options?.sampleRateHz === undefined ? {} : { sampleRateHz: options.sampleRateHz })),
  stop: async () => void (await callAgent('ecg.stop')),
};

/** Held files that arrived after their listener unsubscribed (React StrictMode mounts twice): the next listener gets them. */
let unclaimedFiles: OpenEcgFileEvent[] = [];

const files: FilesApi = {
  onOpenEcgFile: (listener) => {
    let listening = true;
    const deliver = (events: OpenEcgFileEvent[]) => {
      if (listening) events.forEach(listener);
      else unclaimedFiles.push(...events);
    };
    const relay = (_event: unknown, opened: OpenEcgFileEvent) => listener(opened);
    ipcRenderer.on(openEcgFileChannel, relay);
    if (unclaimedFiles.length > 0) {
      const unclaimed = unclaimedFiles;
      unclaimedFiles = [];
      queueMicrotask(() => deliver(unclaimed));
    }
    // Listening first, then telling main: files the app was launched with were held for this moment.
    void invoke<OpenEcgFileEvent[]>(mainChannels.openEcgFileReady).then(deliver, () => undefined);
    return () => {
      listening = false;
      ipcRenderer.removeListener(openEcgFileChannel, relay);
    };
  },
};

const printing: PrintingApi = {
  listPrinters: () => invoke<PrinterInfo[]>(mainChannels.listPrinters),
  print: (options) => invoke<PrintOutcome>(mainChannels.print, options),
};

const settings: SettingsApi = {
  get: () => invoke<WorkstationSettings>(mainChannels.getSettings),
  update: (patch) => invoke<WorkstationSettings>(mainChannels.updateSettings, patch),
};

export function createWorkstationApi(demo: boolean) {
  const api = {
    app: {
      info: () => invoke<AppInfo>(appInfoChannel),
    },
    devices: {
      listPorts: () => callAgent<PortInfo[], 'listPorts'>('listPorts'),
      listAssignments: () => callAgent<DeviceAssignment[], 'listAssignments'>('listAssignments'),
      configure: async (assignment: DeviceAssignment) => void (await callAgent('configure', assignment)),
      autoDetect: () => callAgent<DetectedDevice[], 'autoDetect'>('autoDetect'),
      subscribe: (listener: (event: DeviceEvent) => void) => {
        const relay = (_event: unknown, deviceEvent: DeviceEvent) => listener(deviceEvent);
        ipcRenderer.on(deviceEventChannel, relay);
        return () => {
          ipcRenderer.removeListener(deviceEventChannel, relay);
        };
      },
      simulator: demo ? simulatorControls : undefined,
      ecg: ecgControls,
    },
    files,
    printing,
    settings,
    /**
     * The renderer's demo "place a card" panel (services/platform/simulator.ts) looks for this
     * top-level shape; it is the same agent calls as devices.simulator.
     */
    simulator: demo
      ? { listSampleCards: simulatorControls.listSamples, placeCard: simulatorControls.placeCard, removeCard: simulatorControls.removeCard }
      : undefined,
  } satisfies WorkstationApi & { readonly simulator?: object | undefined };
  return api;
}

export const workstationApi = createWorkstationApi(process.argv.includes(demoArgument));

contextBridge.exposeInMainWorld('workstation', workstationApi);
