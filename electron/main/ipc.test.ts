import { describe, expect, it, vi } from 'vitest';
import { DeviceError } from '../../core/contract/device-error.ts';
import { handleIpc, registerIpcHandlers, type IpcHandlers } from './ipc.ts';

vi.mock('electron', () => ({}));

const appOrigin = 'file://';
const fromApp = { senderFrame: { url: 'file:///app/renderer/index.html' } } as never;
const fromElsewhere = { senderFrame: { url: 'https://evil.example/' } } as never;

function makeHandlers(overrides: Partial<IpcHandlers> = {}): IpcHandlers {
  return {
    'cw:app:info': async () => ({ name: 'Clinic Workstation' }),
    'cw:devices:list-ports': async () => [{ path: '/dev/ttyUSB0' }],
    'cw:devices:list-assignments': async () => [],
    'cw:devices:configure': vi.fn(async () => undefined),
    ...overrides,
  };
}

describe('validated IPC in main', () => {
  it('answers a valid request from the app with ok and the value', async () => {
    expect(await handleIpc('cw:devices:list-ports', fromApp, undefined, makeHandlers(), appOrigin)).toEqual({
      ok: true,
      value: [{ path: '/dev/ttyUSB0' }],
    });
  });

  it('refuses a request from a page that is not the app, without running the handler', async () => {
    const handlers = makeHandlers();
    const result = await handleIpc('cw:devices:configure', fromElsewhere, { kind: 'id-card', path: '/dev/ttyS0', baudRate: 115200 }, handlers, appOrigin);
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    expect(handlers['cw:devices:configure']).not.toHaveBeenCalled();
  });

  it('refuses unknown and unprefixed channels', async () => {
    expect(await handleIpc('cw:shell:exec', fromApp, 'rm -rf /', makeHandlers(), appOrigin)).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    expect(await handleIpc('app:info', fromApp, undefined, makeHandlers(), appOrigin)).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
  });

  it.each([
    ['a missing path', { kind: 'id-card', baudRate: 115200 }],
    ['an unknown device kind', { kind: 'printer', path: '/dev/ttyS0', baudRate: 9600 }],
    ['a baud rate that is not a number', { kind: 'id-card', path: '/dev/ttyS0', baudRate: '115200' }],
    ['an extra property', { kind: 'id-card', path: '/dev/ttyS0', baudRate: 115200, exec: 'calc.exe' }],
  ])('rejects a configure request with %s and changes nothing', async (_label, payload) => {
    const handlers = makeHandlers();
    const result = await handleIpc('cw:devices:configure', fromApp, payload, handlers, appOrigin);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request', messageZh: '请求内容无效' } });
    expect(handlers['cw:devices:configure']).not.toHaveBeenCalled();
  });

  it('passes a device error through with its code and Chinese message', async () => {
    const handlers = makeHandlers({
      'cw:devices:list-ports': async () => {
        throw new DeviceError('port-open-failed', 'EBUSY');
      },
    });
    expect(await handleIpc('cw:devices:list-ports', fromApp, undefined, handlers, appOrigin)).toEqual({
      ok: false,
      error: { code: 'port-open-failed', message: 'Could not open the serial port; another program may be using it', messageZh: '无法打开串口，可能被其他程序占用' },
    });
  });

  it('hides the details of an unexpected exception behind a generic message', async () => {
    const handlers = makeHandlers({
      'cw:app:info': async () => {
        throw new Error('ENOENT /home/nurse/secret');
      },
    });
    const result = await handleIpc('cw:app:info', fromApp, undefined, handlers, appOrigin);
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(result)).not.toContain('secret');
  });

  it('registers exactly the declared channels', () => {
    const handle = vi.fn();
    registerIpcHandlers({ handle } as never, makeHandlers(), appOrigin);
    expect(handle.mock.calls.map(([channel]) => channel).sort()).toEqual([
      'cw:app:info',
      'cw:devices:configure',
      'cw:devices:list-assignments',
      'cw:devices:list-ports',
    ]);
  });
});
