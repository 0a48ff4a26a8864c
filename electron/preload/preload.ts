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
  PortInfo,
  SimulatedEcgRhythm,
  SimulatorSample,
  WorkstationApi,
} from '../../core/contract/workstation-api.ts';

/** A sandboxed preload gets a small `process`; main passes --cw-demo in additionalArguments. */
declare const process: { argv: string[] };
export const demoArgument = '--cw-demo';

export class WorkstationCallError extends Error {
  readonly code: string;
  readonly messageZh: string;
  constructor(error: IpcError) {
    super(error.message);
    this.name = 'WorkstationCallError';
    this.code = error.code;
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
    /**
     * The renderer's demo "place a card" panel (renderer/platform/simulator.ts) looks for this
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
