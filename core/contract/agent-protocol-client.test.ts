import { describe, expect, it } from 'vitest';
import type { DeviceEvent } from './workstation-api.ts';
import { AgentProtocolClient } from './agent-protocol-client.ts';

/** A client whose sockets are plain arrays of the frames sent on them. */
function setup(wantsEvents = true) {
  const events: DeviceEvent[] = [];
  let unreadable = 0;
  const client = new AgentProtocolClient({
    onAuthenticated: () => undefined,
    wantsEvents: () => wantsEvents,
    onEvent: (event) => events.push(event),
    onUnreadable: () => unreadable++,
    refused: (error) => Object.assign(new Error(error.message), { code: error.code, messageZh: error.messageZh }),
  });
  const socket = (token = 'token-1') => {
    const frames: Array<Record<string, unknown>> = [];
    client.opened((frame) => frames.push(JSON.parse(frame) as Record<string, unknown>), token);
    return frames;
  };
  const accept = () => client.received(JSON.stringify({ id: null, ok: true, value: 'authenticated' }));
  return { client, socket, accept, events, unreadable: () => unreadable };
}

const timeout = (sent: boolean) => new Error(sent ? 'no answer' : 'never sent');

describe('the agent protocol client', () => {
  it('authenticates each socket with its token, subscribes first, then sends the calls kept while none was accepted', async () => {
    const { client, socket, accept } = setup();
    const ports = client.call('listPorts', undefined, 1000, timeout);
    const frames = socket('token-1');
    expect(frames).toEqual([{ type: 'auth', token: 'token-1' }]);
    accept();
    expect(frames.slice(1).map((f) => f.method)).toEqual(['subscribe', 'listPorts']);
    const id = frames.find((f) => f.method === 'listPorts')!.id;
    client.received(JSON.stringify({ id, ok: true, value: [{ path: 'COM3' }] }));
    await expect(ports).resolves.toEqual([{ path: 'COM3' }]);
  });

  it('fails a call sent on a socket that closed, and sends an unsent one on the next socket', async () => {
    const { client, socket, accept } = setup(false);
    const first = socket();
    accept();
    const inFlight = client.call('autoDetect', undefined, 1000, timeout);
    client.closed(new Error('host down'));
    const queued = client.call('listAssignments', undefined, 1000, timeout);
    await expect(inFlight).rejects.toThrow('host down');
    expect(first.filter((f) => f.method === 'listAssignments')).toEqual([]);
    const second = socket('token-2');
    accept();
    const sent = second.find((f) => f.method === 'listAssignments');
    expect(sent).toBeDefined();
    client.received(JSON.stringify({ id: sent!.id, ok: false, error: { code: 'not-configured', messageZh: '尚未配置该设备', message: 'Not configured' } }));
    await expect(queued).rejects.toMatchObject({ code: 'not-configured', messageZh: '尚未配置该设备' });
  });

  it('tells the timeout whether the call ever went out', async () => {
    const { client, socket, accept } = setup(false);
    await expect(client.call('listPorts', undefined, 20, timeout)).rejects.toThrow('never sent');
    socket();
    accept();
    await expect(client.call('listPorts', undefined, 20, timeout)).rejects.toThrow('no answer');
  });

  it('hands pushed events on and drops what is not the protocol without failing a call', async () => {
    const { client, socket, accept, events, unreadable } = setup(false);
    const frames = socket();
    accept();
    const call = client.call('listPorts', undefined, 1000, timeout);
    client.received('not json');
    client.received(JSON.stringify({ id: 1, ok: 'yes' }));
    client.received(JSON.stringify({ type: 'event', event: { type: 'status', kind: 'ecg', status: 'reading' } }));
    expect(unreadable()).toBe(1);
    expect(events).toEqual([{ type: 'status', kind: 'ecg', status: 'reading' }]);
    client.received(JSON.stringify({ id: frames.at(-1)!.id, ok: true, value: [] }));
    await expect(call).resolves.toEqual([]);
  });
});
