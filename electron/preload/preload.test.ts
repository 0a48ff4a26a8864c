import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoke: vi.fn(),
  on: vi.fn(),
  removeListener: vi.fn(),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => electron.exposed.set(key, value) },
  ipcRenderer: { invoke: electron.invoke, on: electron.on, removeListener: electron.removeListener },
}));

const { workstationApi, WorkstationCallError } = await import('./preload.ts');

beforeEach(() => {
  electron.invoke.mockReset();
  electron.on.mockReset();
  electron.removeListener.mockReset();
});

describe('preload', () => {
  it('exposes one object, window.workstation, and never ipcRenderer itself', () => {
    expect([...electron.exposed.keys()]).toEqual(['workstation']);
    const exposed = electron.exposed.get('workstation') as Record<string, unknown>;
    expect(Object.keys(exposed).sort()).toEqual(['app', 'devices']);
    expect(JSON.stringify(Object.keys(exposed.devices as object))).not.toContain('ipc');
  });

  it('calls main on the prefixed channel and returns the value', async () => {
    electron.invoke.mockResolvedValue({ ok: true, value: [{ path: 'COM3', vendorId: '1a86' }] });
    await expect(workstationApi.devices.listPorts()).resolves.toEqual([{ path: 'COM3', vendorId: '1a86' }]);
    expect(electron.invoke).toHaveBeenCalledWith('cw:devices:list-ports', undefined);
  });

  it('turns a failed result into an error with the Chinese message', async () => {
    electron.invoke.mockResolvedValue({ ok: false, error: { code: 'port-open-failed', message: 'busy', messageZh: '无法打开串口' } });
    const error = await workstationApi.devices.listPorts().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkstationCallError);
    expect(error).toMatchObject({ code: 'port-open-failed', messageZh: '无法打开串口' });
  });

  it('gives up with a timeout error when main never answers', async () => {
    vi.useFakeTimers();
    electron.invoke.mockReturnValue(new Promise(() => undefined));
    const pending = workstationApi.app.info().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10_001);
    expect(await pending).toMatchObject({ code: 'timeout', messageZh: '工作站无响应' });
    vi.useRealTimers();
  });

  it('relays device events and stops relaying after unsubscribe', () => {
    const seen: unknown[] = [];
    const unsubscribe = workstationApi.devices.subscribe((event) => seen.push(event));
    const [channel, relay] = electron.on.mock.calls[0] as [string, (e: unknown, d: unknown) => void];
    expect(channel).toBe('cw:devices:event');
    relay({}, { type: 'status', kind: 'id-card', status: 'ready' });
    expect(seen).toEqual([{ type: 'status', kind: 'id-card', status: 'ready' }]);
    unsubscribe();
    expect(electron.removeListener).toHaveBeenCalledWith('cw:devices:event', relay);
  });
});
