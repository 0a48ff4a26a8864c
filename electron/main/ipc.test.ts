import { describe, expect, it, vi } from 'vitest';
import { agentRequestSchema } from '../../core/contract/agent-protocol.ts';
import { DeviceError } from '../../core/contract/device-error.ts';
import { handleIpc, registerIpcHandlers, type IpcBackend } from './ipc.ts';

vi.mock('electron', () => ({}));

const fromApp = { senderFrame: { url: 'file:///app/renderer/index.html' } } as never;
const fromElsewhere = { senderFrame: { url: 'https://evil.example/' } } as never;
const withoutFrame = { senderFrame: null } as never;

function makeBackend(relay: IpcBackend['relay'] = vi.fn(async () => null)): IpcBackend & { relay: ReturnType<typeof vi.fn> } {
  return {
    appOrigin: 'file://',
    appInfo: () => ({ name: 'Clinic Workstation', version: '0.1.0', shell: 'electron', demo: true, hubUrl: '' }),
    relay: vi.fn(relay),
    openEcgFileReady: vi.fn(() => []),
    listPrinters: vi.fn(async () => []),
    print: vi.fn(async () => ({ printed: true, printerName: null })),
    getSettings: vi.fn(() => ({ hubUrl: '', enrolment: null, printerName: null, autoUpdate: false })),
    updateSettings: vi.fn(() => ({ hubUrl: '', enrolment: null, printerName: null, autoUpdate: false })),
  };
}

const makeAssignment = (overrides: Record<string, unknown> = {}) => ({ kind: 'id-card', path: '/dev/ttyUSB0', baudRate: 115200, ...overrides });

describe('validated IPC in main', () => {
  it('relays a valid device call to the device host and answers ok with its value', async () => {
    const backend = makeBackend(async () => [{ path: '/dev/ttyUSB0' }]);
    expect(await handleIpc('cw:agent:listPorts', fromApp, undefined, backend)).toEqual({ ok: true, value: [{ path: '/dev/ttyUSB0' }] });
    expect(backend.relay).toHaveBeenCalledWith('listPorts', undefined);
  });

  it('relays a configure call with the validated assignment', async () => {
    const backend = makeBackend();
    expect(await handleIpc('cw:agent:configure', fromApp, makeAssignment(), backend)).toEqual({ ok: true, value: null });
    expect(backend.relay).toHaveBeenCalledWith('configure', makeAssignment());
  });

  it('answers app info itself, as the Electron shell, without bothering the device host', async () => {
    const backend = makeBackend();
    expect(await handleIpc('cw:app:info', fromApp, undefined, backend)).toMatchObject({ ok: true, value: { shell: 'electron' } });
    expect(backend.relay).not.toHaveBeenCalled();
  });

  it('refuses a request from a page that is not the app, without relaying it', async () => {
    const backend = makeBackend();
    for (const event of [fromElsewhere, withoutFrame]) {
      expect(await handleIpc('cw:agent:configure', event, makeAssignment(), backend)).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    }
    expect(backend.relay).not.toHaveBeenCalled();
  });

  it('refuses unknown, unprefixed and main-owned channels', async () => {
    const backend = makeBackend();
    for (const channel of ['cw:shell:exec', 'app:info', 'listPorts', 'cw:agent:subscribe', 'cw:agent:app.info', 'cw:agent:', 'cw:agent:__proto__']) {
      expect(await handleIpc(channel, fromApp, undefined, backend)).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    }
    expect(backend.relay).not.toHaveBeenCalled();
  });

  it.each([
    ['a missing path', makeAssignment({ path: undefined })],
    ['an unknown device kind', makeAssignment({ kind: 'printer' })],
    ['a baud rate that is not a number', makeAssignment({ baudRate: '115200' })],
    ['no payload at all', undefined],
  ])('rejects a configure request with %s and changes nothing', async (_label, payload) => {
    const backend = makeBackend();
    const result = await handleIpc('cw:agent:configure', fromApp, payload, backend);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request', messageZh: '请求内容无效' } });
    expect(backend.relay).not.toHaveBeenCalled();
  });

  it('drops properties the agent table does not declare before they reach the device host', async () => {
    const backend = makeBackend();
    await handleIpc('cw:agent:configure', fromApp, makeAssignment({ exec: 'calc.exe' }), backend);
    expect(backend.relay).toHaveBeenCalledWith('configure', makeAssignment());
  });

  it('rejects a payload on a method that takes none', async () => {
    const backend = makeBackend();
    expect(await handleIpc('cw:agent:listPorts', fromApp, { path: '/etc/passwd' }, backend)).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(backend.relay).not.toHaveBeenCalled();
  });

  it('passes a device error through with its code and Chinese message', async () => {
    const backend = makeBackend(async () => {
      throw new DeviceError('port-open-failed', 'EBUSY');
    });
    expect(await handleIpc('cw:agent:listPorts', fromApp, undefined, backend)).toEqual({
      ok: false,
      // The one serialised error shape (core/errors): code, catalogue key, words, the technical detail apart.
      error: {
        code: 'port-open-failed',
        key: 'device.port-open-failed',
        message: 'Could not open the serial port; another program may be using it',
        messageZh: '无法打开串口，可能被其他程序占用',
        detail: 'EBUSY',
      },
    });
  });

  it('hides the details of an unexpected exception behind a generic message', async () => {
    const backend = makeBackend(async () => {
      throw new Error('ENOENT /home/nurse/secret');
    });
    const result = await handleIpc('cw:agent:listAssignments', fromApp, undefined, backend);
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(result)).not.toContain('secret');
  });

  it('registers main’s own channels plus one channel per agent method, derived from the agent table', () => {
    const handle = vi.fn();
    registerIpcHandlers({ handle }, makeBackend());
    const channels = handle.mock.calls.map(([channel]) => channel as string);
    const agentMethods = agentRequestSchema.options.map((o) => o.shape.method.value as string).filter((m) => !['app.info', 'subscribe', 'unsubscribe'].includes(m));
    const own = ['cw:app:info', 'cw:files:open-ecg-ready', 'cw:printing:list', 'cw:printing:print', 'cw:settings:get', 'cw:settings:update'];
    expect(channels.sort()).toEqual([...own, ...agentMethods.map((m) => `cw:agent:${m}`)].sort());
    expect(channels).toEqual(expect.arrayContaining(['cw:agent:autoDetect', 'cw:agent:simulator.placeCard', 'cw:agent:configure']));
  });

  it('relays a registered channel end to end through the handler electron calls', async () => {
    const handle = vi.fn();
    const backend = makeBackend(async () => undefined);
    registerIpcHandlers({ handle }, backend);
    const [, handler] = handle.mock.calls.find(([channel]) => channel === 'cw:agent:simulator.placeCard') as [string, (e: unknown, p: unknown) => Promise<unknown>];
    expect(await handler(fromApp, { sampleId: 'id-card-1' })).toEqual({ ok: true, value: null });
    expect(backend.relay).toHaveBeenCalledWith('simulator.placeCard', { sampleId: 'id-card-1' });
  });
});

describe('IPC relay of agent methods added later', () => {
  it('relays the ECG methods with their schemas, without any edit in main', async () => {
    const backend = makeBackend();
    expect(await handleIpc('cw:agent:ecg.start', fromApp, { sampleRateHz: 500 }, backend)).toEqual({ ok: true, value: null });
    expect(backend.relay).toHaveBeenCalledWith('ecg.start', { sampleRateHz: 500 });
    expect(await handleIpc('cw:agent:ecg.start', fromApp, { sampleRateHz: 333 }, backend)).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await handleIpc('cw:agent:simulator.setEcgLeadOff', fromApp, { electrodes: ['V7'] }, backend)).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(backend.relay).toHaveBeenCalledTimes(1);
  });
});

describe('main’s own channels: opened ECG files, printing, settings', () => {
  const sender = { id: 7 };
  const fromAppWindow = { senderFrame: { url: 'file:///app/renderer/index.html' }, sender } as never;
  const fromForeignPage = { senderFrame: { url: 'https://evil.example/' }, sender } as never;
  const enrolment = { workstationId: 'ws-1', institution: { id: 'chengguan', name: '城关镇卫生院', kind: 'township' }, workstationCredential: 'c'.repeat(32) };

  it('hands the files held since launch to the window that says it listens', async () => {
    const backend = makeBackend();
    const held = [{ ok: true, file: { fileName: 'a.dcm', format: 'dicom', byteLength: 4, base64: 'AAAAAA==' } }];
    backend.openEcgFileReady = vi.fn(() => held) as never;
    expect(await handleIpc('cw:files:open-ecg-ready', fromAppWindow, undefined, backend)).toEqual({ ok: true, value: held });
    expect(backend.openEcgFileReady).toHaveBeenCalledWith(sender);
  });

  it('prints on the window that asked, with the validated options', async () => {
    const backend = makeBackend();
    expect(await handleIpc('cw:printing:print', fromAppWindow, { layout: 'ticket' }, backend)).toEqual({ ok: true, value: { printed: true, printerName: null } });
    expect(backend.print).toHaveBeenCalledWith(sender, { layout: 'ticket' });
    await handleIpc('cw:printing:print', fromAppWindow, undefined, backend);
    expect(backend.print).toHaveBeenLastCalledWith(sender, undefined);
  });

  it.each([
    ['an unknown layout', { layout: 'poster' }],
    ['a fractional number of copies', { copies: 1.5 }],
    ['a hundred copies', { copies: 100 }],
    ['a printer smuggled into the options', { deviceName: 'Some Printer', silent: true }],
    ['a string', 'ticket'],
  ])('refuses a print request with %s', async (_label, payload) => {
    const backend = makeBackend();
    expect(await handleIpc('cw:printing:print', fromAppWindow, payload, backend)).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(backend.print).not.toHaveBeenCalled();
  });

  it('saves a valid settings update and answers the settings now in force', async () => {
    const backend = makeBackend();
    const patch = { hubUrl: 'https://hub.county.example', enrolment, printerName: '\\\\SERVER\\Ticket-80mm' };
    expect(await handleIpc('cw:settings:update', fromAppWindow, patch, backend)).toMatchObject({ ok: true });
    expect(backend.updateSettings).toHaveBeenCalledWith(patch);
  });

  it.each([
    ['a javascript: hub URL', { hubUrl: 'javascript:alert(1)' }],
    ['a hub URL with a password in it', { hubUrl: 'https://admin:secret@hub.county.example' }],
    ['a short credential', { enrolment: { ...enrolment, workstationCredential: 'short' } }],
    ['an unknown field', { exec: 'calc.exe' }],
    ['auto-update as a string', { autoUpdate: 'yes' }],
    ['an empty printer name', { printerName: '' }],
    ['no payload at all', undefined],
  ])('refuses a settings update with %s and saves nothing', async (_label, payload) => {
    const backend = makeBackend();
    const result = await handleIpc('cw:settings:update', fromAppWindow, payload, backend);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request', messageZh: '请求内容无效' } });
    expect(backend.updateSettings).not.toHaveBeenCalled();
  });

  it('refuses every one of them from a page that is not the app', async () => {
    const backend = makeBackend();
    for (const channel of ['cw:files:open-ecg-ready', 'cw:printing:list', 'cw:printing:print', 'cw:settings:get', 'cw:settings:update']) {
      expect(await handleIpc(channel, fromForeignPage, channel === 'cw:settings:update' ? { autoUpdate: true } : undefined, backend)).toMatchObject({
        ok: false,
        error: { code: 'forbidden-sender' },
      });
    }
    for (const handler of [backend.openEcgFileReady, backend.listPrinters, backend.print, backend.getSettings, backend.updateSettings]) expect(handler).not.toHaveBeenCalled();
  });

  it('rejects a payload on the channels that take none', async () => {
    const backend = makeBackend();
    for (const channel of ['cw:files:open-ecg-ready', 'cw:printing:list', 'cw:settings:get']) {
      expect(await handleIpc(channel, fromAppWindow, { path: '/etc/passwd' }, backend)).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    }
  });

  it('passes a print error through with its code and Chinese message', async () => {
    const backend = makeBackend();
    backend.print = vi.fn(async () => {
      throw Object.assign(new Error('The chosen printer is not available'), { code: 'printer-missing', messageZh: '所选打印机不可用', messageEn: 'The chosen printer is not available' });
    });
    expect(await handleIpc('cw:printing:print', fromAppWindow, undefined, backend)).toEqual({
      ok: false,
      error: { code: 'printer-missing', message: 'The chosen printer is not available', messageZh: '所选打印机不可用' },
    });
  });
});
