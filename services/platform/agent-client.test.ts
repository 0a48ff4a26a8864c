import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeviceEvent } from '../../core/contract/workstation-api.ts';
import { AgentClientError, createAgentClient, type SocketLike } from './agent-client.ts';
import { browserAppInfo } from './workstation.ts';

/** The agent's side of one connection, played by the test. */
class FakeSocket implements SocketLike {
  readyState = 0;
  sent: unknown[] = [];
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code = 1000) {
    this.drop(code);
  }
  // --- agent side ---
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  reply(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  accept() {
    this.open();
    this.reply({ id: null, ok: true, value: 'authenticated' });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  requests() {
    return this.sent.filter((m): m is { id: number; method: string; params?: unknown } => typeof m === 'object' && m !== null && 'method' in m);
  }
  lastRequest(method: string) {
    return this.requests().filter((r) => r.method === method).at(-1)!;
  }
}

function setup(options: { callTimeoutMs?: number } = {}) {
  const sockets: FakeSocket[] = [];
  const client = createAgentClient({
    url: 'ws://127.0.0.1:5999',
    token: 'session-token',
    info: browserAppInfo({ hubUrl: 'http://127.0.0.1:4000', demo: true }),
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    callTimeoutMs: options.callTimeoutMs ?? 1000,
    reconnect: { initialMs: 100, maxMs: 400 },
  });
  return { client, sockets, current: () => sockets.at(-1)! };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('device agent client', () => {
  it('authenticates with the token as its first message, never in the URL', () => {
    const { current } = setup();
    current().open();
    expect(current().url).toBe('ws://127.0.0.1:5999');
    expect(current().sent[0]).toEqual({ type: 'auth', token: 'session-token' });
  });

  it('holds calls until authenticated, then matches each reply to its request by id', async () => {
    const { client, current } = setup();
    const ports = client.devices.listPorts();
    const assignments = client.devices.listAssignments();
    current().open();
    expect(current().requests()).toEqual([]);
    current().reply({ id: null, ok: true, value: 'authenticated' });
    const [a, b] = current().requests();
    current().reply({ id: b!.id, ok: true, value: [{ kind: 'id-card', path: '/dev/ttyUSB0', baudRate: 115200 }] });
    current().reply({ id: a!.id, ok: true, value: [{ path: '/dev/ttyUSB0' }] });
    expect(await ports).toEqual([{ path: '/dev/ttyUSB0' }]);
    expect(await assignments).toEqual([{ kind: 'id-card', path: '/dev/ttyUSB0', baudRate: 115200 }]);
  });

  it("rejects with the agent's own error code and both messages", async () => {
    const { client, current } = setup();
    current().accept();
    const configure = client.devices.configure({ kind: 'id-card', path: '/dev/ttyS9', baudRate: 115200 });
    current().reply({ id: current().lastRequest('configure').id, ok: false, error: { code: 'port-not-found', messageZh: '找不到串口，请检查设备连接或端口设置', message: 'Serial port not found: check the cable and the port setting' } });
    await expect(configure).rejects.toMatchObject({ code: 'port-not-found', messageZh: '找不到串口，请检查设备连接或端口设置', messageEn: 'Serial port not found: check the cable and the port setting' });
  });

  it('keeps the catalogue key an agent refusal arrives with, so the UI can say it again in its own language', async () => {
    const { client, current } = setup();
    current().accept();
    const configure = client.devices.configure({ kind: 'id-card', path: '/dev/ttyS9', baudRate: 115200 });
    const error = { code: 'busy', key: 'device.busy', message: 'The device is busy: wait a moment', messageZh: '设备正忙，请稍候', detail: 'reading' };
    current().reply({ id: current().lastRequest('configure').id, ok: false, error });
    await expect(configure).rejects.toMatchObject({ code: 'busy', key: 'device.busy', messageZh: '设备正忙，请稍候', message: 'The device is busy: wait a moment (reading)' });
    // A key this page does not know (a newer agent) keeps the words that came with it.
    const again = client.devices.configure({ kind: 'id-card', path: '/dev/ttyS9', baudRate: 115200 });
    current().reply({ id: current().lastRequest('configure').id, ok: false, error: { code: 'new-code', key: 'device.new-code', message: 'Something new', messageZh: '新的问题' } });
    await expect(again).rejects.toMatchObject({ code: 'new-code', key: 'agentClient.agent-refused', messageZh: '新的问题', messageEn: 'Something new' });
  });

  it('times out a call the agent never answers, with a bilingual error', async () => {
    vi.useFakeTimers();
    const { client, current } = setup({ callTimeoutMs: 500 });
    current().accept();
    const ports = client.devices.listPorts();
    const outcome = expect(ports).rejects.toMatchObject({ code: 'agent-timeout', messageZh: '设备服务无响应，请稍后再试' });
    await vi.advanceTimersByTimeAsync(500);
    await outcome;
  });

  it('says the agent is unreachable when a call times out before any connection', async () => {
    vi.useFakeTimers();
    const { client } = setup({ callTimeoutMs: 300 });
    const ports = client.devices.listPorts();
    const outcome = expect(ports).rejects.toBeInstanceOf(AgentClientError);
    await vi.advanceTimersByTimeAsync(300);
    await outcome;
    await expect(ports).rejects.toMatchObject({ code: 'agent-unreachable' });
  });

  it('delivers pushed device events to subscribers and stops after unsubscribe', () => {
    const { client, current } = setup();
    current().accept();
    const events: DeviceEvent[] = [];
    const off = client.devices.subscribe((e) => events.push(e));
    expect(current().lastRequest('subscribe')).toBeTruthy();
    const event = { type: 'status', kind: 'id-card', status: 'ready' };
    current().reply({ type: 'event', event });
    off();
    current().reply({ type: 'event', event });
    expect(events).toEqual([event]);
    expect(current().lastRequest('unsubscribe')).toBeTruthy();
  });

  it('ignores malformed messages from the socket without failing pending calls', async () => {
    const { client, current } = setup();
    current().accept();
    const ports = client.devices.listPorts();
    current().onmessage?.({ data: 'not json' });
    current().reply({ something: 'else' });
    current().reply({ id: current().lastRequest('listPorts').id, ok: true, value: [] });
    expect(await ports).toEqual([]);
  });

  it('reconnects with doubling back-off after the agent restarts and restores the subscription', async () => {
    vi.useFakeTimers();
    const { client, sockets, current } = setup();
    current().accept();
    const events: DeviceEvent[] = [];
    client.devices.subscribe((e) => events.push(e));
    const inFlight = client.devices.listPorts();
    const lost = expect(inFlight).rejects.toMatchObject({ code: 'agent-disconnected' });
    current().drop();
    await lost;
    expect(client.connection).toBe('disconnected');
    await vi.advanceTimersByTimeAsync(100);
    expect(sockets).toHaveLength(2);
    current().drop(); // agent still down
    await vi.advanceTimersByTimeAsync(199);
    expect(sockets).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(3);
    current().accept();
    expect(client.connection).toBe('connected');
    expect(current().lastRequest('subscribe')).toBeTruthy();
    current().reply({ type: 'event', event: { type: 'status', kind: 'ecg', status: 'ready' } });
    expect(events).toHaveLength(1);
    client.close();
  });

  it('stops retrying when the agent refuses the token, and says so', async () => {
    vi.useFakeTimers();
    const { client, sockets, current } = setup();
    current().open();
    current().reply({ id: null, ok: false, error: { code: 'unauthorized', messageZh: '设备服务令牌无效', message: 'Invalid device agent token' } });
    current().drop(4401);
    await vi.advanceTimersByTimeAsync(5000);
    expect(sockets).toHaveLength(1);
    expect(client.connection).toBe('unauthorized');
  });

  it('places a simulated card through the simulator controls in demo mode', async () => {
    const { client, current } = setup();
    current().accept();
    const samples = client.simulator!.listSampleCards();
    current().reply({ id: current().lastRequest('simulator.listSamples').id, ok: true, value: [{ kind: 'id-card', id: 'resident-han-male', label: { zh: '居民身份证 · 汉族男性', en: 'Resident card, Han man' } }] });
    expect((await samples)[0]!.id).toBe('resident-han-male');
    const placed = client.simulator!.placeCard('resident-han-male');
    expect(current().lastRequest('simulator.placeCard').params).toEqual({ sampleId: 'resident-han-male' });
    current().reply({ id: current().lastRequest('simulator.placeCard').id, ok: true, value: null });
    await placed;
  });

  it('starts the ECG stream at the chosen rate and relays the agent refusing it with its own error', async () => {
    const { client, current } = setup();
    current().accept();
    const started = client.devices.ecg.start({ sampleRateHz: 250 });
    expect(current().lastRequest('ecg.start').params).toEqual({ sampleRateHz: 250 });
    current().reply({ id: current().lastRequest('ecg.start').id, ok: true, value: null });
    await started;
    const stopped = client.devices.ecg.stop();
    current().reply({ id: current().lastRequest('ecg.stop').id, ok: false, error: { code: 'not-configured', messageZh: '设备未配置', message: 'Device not configured' } });
    await expect(stopped).rejects.toMatchObject({ code: 'not-configured', messageZh: '设备未配置' });
  });

  it('asks the demo ECG simulator for another rhythm and for detached electrodes', async () => {
    const { client, current } = setup();
    current().accept();
    const rhythm = client.simulator.setEcgRhythm('sinus-tachycardia');
    expect(current().lastRequest('simulator.setEcgRhythm').params).toEqual({ rhythm: 'sinus-tachycardia' });
    current().reply({ id: current().lastRequest('simulator.setEcgRhythm').id, ok: true, value: null });
    await rhythm;
    const leadOff = client.simulator.setEcgLeadOff(['LA', 'V3']);
    expect(current().lastRequest('simulator.setEcgLeadOff').params).toEqual({ electrodes: ['LA', 'V3'] });
    current().reply({ id: current().lastRequest('simulator.setEcgLeadOff').id, ok: true, value: null });
    await leadOff;
  });
});
