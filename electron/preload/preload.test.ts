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

const { createWorkstationApi, workstationApi, WorkstationCallError } = await import('./preload.ts');
const demoApi = createWorkstationApi(true);

beforeEach(() => {
  electron.invoke.mockReset();
  electron.on.mockReset();
  electron.removeListener.mockReset();
});

const answer = (value: unknown) => electron.invoke.mockResolvedValue({ ok: true, value });

describe('preload', () => {
  it('exposes one object, window.workstation, and never ipcRenderer itself', () => {
    expect([...electron.exposed.keys()]).toEqual(['workstation']);
    const exposed = electron.exposed.get('workstation') as Record<string, unknown>;
    expect(Object.keys(exposed).sort()).toEqual(['app', 'devices', 'files', 'printing', 'settings', 'simulator']);
    expect(JSON.stringify(Object.keys(exposed.devices as object))).not.toContain('ipc');
  });

  it('offers the simulator controls only in demo mode', () => {
    expect(workstationApi.devices.simulator).toBeUndefined();
    expect(workstationApi.simulator).toBeUndefined();
    expect(demoApi.devices.simulator).toBeDefined();
  });

  it('calls main on the agent channel of each device method and returns the value', async () => {
    answer([{ path: 'COM3', vendorId: '1a86' }]);
    await expect(workstationApi.devices.listPorts()).resolves.toEqual([{ path: 'COM3', vendorId: '1a86' }]);
    expect(electron.invoke).toHaveBeenLastCalledWith('cw:agent:listPorts', undefined);

    answer(null);
    const assignment = { kind: 'id-card' as const, path: 'COM3', baudRate: 115200 };
    await expect(workstationApi.devices.configure(assignment)).resolves.toBeUndefined();
    expect(electron.invoke).toHaveBeenLastCalledWith('cw:agent:configure', assignment);

    answer([{ path: 'COM3', kind: 'id-card', baudRate: 115200, assigned: false }]);
    await expect(workstationApi.devices.autoDetect()).resolves.toHaveLength(1);
    expect(electron.invoke).toHaveBeenLastCalledWith('cw:agent:autoDetect', undefined);

    answer({ shell: 'electron' });
    await workstationApi.app.info();
    expect(electron.invoke).toHaveBeenLastCalledWith('cw:app:info', undefined);
  });

  it('sends the simulator controls to their agent methods with their params', async () => {
    answer(null);
    await demoApi.devices.simulator?.placeCard('id-card-1');
    expect(electron.invoke).toHaveBeenLastCalledWith('cw:agent:simulator.placeCard', { sampleId: 'id-card-1' });
    await demoApi.devices.simulator?.removeCard('insurance-card');
    expect(electron.invoke).toHaveBeenLastCalledWith('cw:agent:simulator.removeCard', { kind: 'insurance-card' });
    await demoApi.devices.simulator?.scanCode?.('6901234567892');
    expect(electron.invoke).toHaveBeenLastCalledWith('cw:agent:simulator.scanCode', { text: '6901234567892' });
    await demoApi.devices.simulator?.setEcgRhythm?.('sinus-bradycardia');
    expect(electron.invoke).toHaveBeenLastCalledWith('cw:agent:simulator.setEcgRhythm', { rhythm: 'sinus-bradycardia' });
    await demoApi.devices.simulator?.setEcgLeadOff?.(['V1']);
    expect(electron.invoke).toHaveBeenLastCalledWith('cw:agent:simulator.setEcgLeadOff', { electrodes: ['V1'] });
    answer([{ kind: 'id-card', id: 'id-card-1', label: { zh: '样例', en: 'sample' } }]);
    await expect(demoApi.simulator?.listSampleCards()).resolves.toHaveLength(1);
    expect(electron.invoke).toHaveBeenLastCalledWith('cw:agent:simulator.listSamples', undefined);
  });

  it('starts and stops the live ECG stream on its agent methods', async () => {
    answer(null);
    await workstationApi.devices.ecg.start({ sampleRateHz: 500 });
    expect(electron.invoke).toHaveBeenLastCalledWith('cw:agent:ecg.start', { sampleRateHz: 500 });
    await workstationApi.devices.ecg.start();
    expect(electron.invoke).toHaveBeenLastCalledWith('cw:agent:ecg.start', {});
    await workstationApi.devices.ecg.stop();
    expect(electron.invoke).toHaveBeenLastCalledWith('cw:agent:ecg.stop', undefined);
  });

  it('turns a failed result into an error with the Chinese message', async () => {
    electron.invoke.mockResolvedValue({ ok: false, error: { code: 'port-open-failed', message: 'busy', messageZh: '无法打开串口' } });
    const error = await workstationApi.devices.listPorts().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkstationCallError);
    expect(error).toMatchObject({ code: 'port-open-failed', messageZh: '无法打开串口' });
  });

  it('keeps the code and the Chinese message when the rejection is copied into the page', async () => {
    electron.invoke.mockResolvedValue({ ok: false, error: { code: 'printer-missing', message: 'The chosen printer is not available', messageZh: '所选打印机不可用' } });
    const error = await workstationApi.printing.print().catch((e: unknown) => e);
    // contextBridge copies a rejection like a structured clone: an Error would arrive with its message only.
    expect(structuredClone(error)).toEqual({ name: 'WorkstationCallError', code: 'printer-missing', message: 'The chosen printer is not available', messageEn: 'The chosen printer is not available', messageZh: '所选打印机不可用' });
  });

  it('gives up with a timeout error when main never answers', async () => {
    vi.useFakeTimers();
    try {
      electron.invoke.mockReturnValue(new Promise(() => undefined));
      const pending = workstationApi.app.info().catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(10_001);
      expect(await pending).toMatchObject({ code: 'timeout', messageZh: '工作站无响应' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('gives auto-detect, which probes every port, longer than an ordinary call', async () => {
    vi.useFakeTimers();
    try {
      electron.invoke.mockReturnValue(new Promise(() => undefined));
      let settled = false;
      const pending = workstationApi.devices.autoDetect().catch((e: unknown) => ((settled = true), e));
      await vi.advanceTimersByTimeAsync(10_001);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(50_000);
      expect(await pending).toMatchObject({ code: 'timeout' });
    } finally {
      vi.useRealTimers();
    }
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

  it('asks main for the files the app was launched with once it listens, then relays later ones', async () => {
    const launched = { ok: true, file: { fileName: 'rest.dcm', format: 'dicom', byteLength: 4, base64: 'AAAAAA==' } };
    answer([launched]);
    const seen: unknown[] = [];
    const unsubscribe = workstationApi.files.onOpenEcgFile((event) => seen.push(event));
    const [channel, relay] = electron.on.mock.calls[0] as [string, (e: unknown, d: unknown) => void];
    expect(channel).toBe('cw:files:open-ecg');
    expect(electron.invoke).toHaveBeenCalledWith('cw:files:open-ecg-ready', undefined);
    await vi.waitFor(() => expect(seen).toEqual([launched]));
    const refused = { ok: false, fileName: 'scan.pdf', error: { code: 'wrong-extension', message: 'Only…', messageZh: '只能…' } };
    relay({}, refused);
    expect(seen).toEqual([launched, refused]);
    unsubscribe();
    expect(electron.removeListener).toHaveBeenCalledWith('cw:files:open-ecg', relay);
  });

  it('gives the launch file to the next listener when the first one left before main answered (StrictMode remount)', async () => {
    const launched = { ok: true, file: { fileName: 'rest.scp', format: 'scp-ecg', byteLength: 4, base64: 'AAAAAA==' } };
    let answerHeld: (value: unknown) => void = () => undefined;
    electron.invoke.mockReturnValueOnce(new Promise((resolve) => (answerHeld = resolve)));
    const first: unknown[] = [];
    const unsubscribeFirst = workstationApi.files.onOpenEcgFile((event) => first.push(event));
    unsubscribeFirst();
    answerHeld({ ok: true, value: [launched] });
    await new Promise((resolve) => setTimeout(resolve, 0));
    answer([]);
    const second: unknown[] = [];
    workstationApi.files.onOpenEcgFile((event) => second.push(event));
    await vi.waitFor(() => expect(second).toEqual([launched]));
    expect(first).toEqual([]);
  });

  it('lists printers, prints and reads and saves settings on main’s own channels', async () => {
    answer([]);
    await workstationApi.printing.listPrinters();
    expect(electron.invoke).toHaveBeenLastCalledWith('cw:printing:list', undefined);
    answer({ printed: true, printerName: 'Ticket-80mm' });
    await expect(workstationApi.printing.print({ layout: 'ticket' })).resolves.toEqual({ printed: true, printerName: 'Ticket-80mm' });
    expect(electron.invoke).toHaveBeenLastCalledWith('cw:printing:print', { layout: 'ticket' });
    answer({ hubUrl: '', enrolment: null, printerName: null, autoUpdate: false });
    await workstationApi.settings.get();
    expect(electron.invoke).toHaveBeenLastCalledWith('cw:settings:get', undefined);
    await workstationApi.settings.update({ printerName: 'Ticket-80mm' });
    expect(electron.invoke).toHaveBeenLastCalledWith('cw:settings:update', { printerName: 'Ticket-80mm' });
  });

  it('waits on the print dialog longer than on an ordinary call', async () => {
    vi.useFakeTimers();
    try {
      electron.invoke.mockReturnValue(new Promise(() => undefined));
      let settled = false;
      const pending = workstationApi.printing.print().catch((e: unknown) => ((settled = true), e));
      await vi.advanceTimersByTimeAsync(60_000);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(10 * 60_000);
      expect(await pending).toMatchObject({ code: 'timeout' });
    } finally {
      vi.useRealTimers();
    }
  });
});
