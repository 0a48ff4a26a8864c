/**
 * The sandboxed preload: exposes exactly one object, `window.workstation`, that satisfies
 * WorkstationApi. It never exposes ipcRenderer itself; every call goes to a prefixed channel, waits at
 * most ipcTimeoutMs, and turns an `{ ok: false }` result into an Error carrying the code and the
 * Chinese message.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { deviceEventChannel, ipcTimeoutMs, type IpcChannel, type IpcError, type IpcRequest, type IpcResult } from '../../core/contract/ipc.ts';
import type { AppInfo, DeviceAssignment, DeviceEvent, PortInfo, WorkstationApi } from '../../core/contract/workstation-api.ts';

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

export async function invoke<T>(channel: IpcChannel, request?: IpcRequest<IpcChannel>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new WorkstationCallError({ code: 'timeout', message: `No answer from the workstation (${channel})`, messageZh: '工作站无响应' })),
      ipcTimeoutMs,
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

export const workstationApi = {
  app: {
    info: () => invoke<AppInfo>('cw:app:info'),
  },
  devices: {
    listPorts: () => invoke<PortInfo[]>('cw:devices:list-ports'),
    listAssignments: () => invoke<DeviceAssignment[]>('cw:devices:list-assignments'),
    configure: (assignment: DeviceAssignment) => invoke<void>('cw:devices:configure', assignment),
    subscribe: (listener: (event: DeviceEvent) => void) => {
      const relay = (_event: unknown, deviceEvent: DeviceEvent) => listener(deviceEvent);
      ipcRenderer.on(deviceEventChannel, relay);
      return () => {
        ipcRenderer.removeListener(deviceEventChannel, relay);
      };
    },
  },
} satisfies WorkstationApi;

contextBridge.exposeInMainWorld('workstation', workstationApi);
