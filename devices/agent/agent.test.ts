import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../../core/contract/workstation-api.ts';
import { IdCardSimulator } from '../id-card/simulator.ts';
import { MockDeviceTransport, createMockPort } from '../transport/serial-mock-device.ts';
import { DeviceAgent } from './agent.ts';
import { ASSIGNMENTS_FILE } from './assignment-store.ts';

const configDir = () => mkdtempSync(path.join(tmpdir(), 'cw-agent-'));
let ports = 0;
const agents: DeviceAgent[] = [];
const makeAgent = (options: ConstructorParameters<typeof DeviceAgent>[0]) => {
  const agent = new DeviceAgent({ binding: 'mock', probeTimeoutMs: 150, retryIntervalMs: 100, ...options });
  agents.push(agent);
  return agent;
};

function nextEvent<T extends DeviceEvent['type']>(agent: DeviceAgent, type: T, timeoutMs = 5000) {
  return new Promise<Extract<DeviceEvent, { type: T }>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} event`)), timeoutMs);
    const off = agent.subscribe((event) => {
      if (event.type !== type) return;
      clearTimeout(timer);
      off();
      resolve(event as Extract<DeviceEvent, { type: T }>);
    });
  });
}

/** A mock serial port with a GA 467 reader simulator on its device end. */
async function mockReaderPort(options: { vendorId?: string; productId?: string } = {}) {
  const portPath = `/dev/ttyUSB-agent-${++ports}`;
  createMockPort(portPath, options);
  const simulator = new IdCardSimulator(new MockDeviceTransport(portPath));
  await simulator.start();
  return { portPath, simulator };
}

afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.close()));
  SerialPortMock.binding.reset();
});

describe('device agent', () => {
  it('saves an assignment to the config folder and finds it again after a restart', async () => {
    const dir = configDir();
    const { portPath } = await mockReaderPort();
    const agent = makeAgent({ configDir: dir });
    await agent.start();
    await agent.configure({ kind: 'id-card', path: portPath, baudRate: 115200 });
    const saved = JSON.parse(readFileSync(path.join(dir, ASSIGNMENTS_FILE), 'utf8'));
    expect(saved).toEqual({ version: 1, assignments: [{ kind: 'id-card', path: portPath, baudRate: 115200 }] });
    expect(readdirSync(dir)).toEqual([ASSIGNMENTS_FILE]); // no temp file left behind
    await agent.close();
    const again = makeAgent({ configDir: dir });
    await again.start();
    expect(await again.listAssignments()).toEqual([{ kind: 'id-card', path: portPath, baudRate: 115200 }]);
  });

  it('refuses a malformed assignment with a clear error and changes nothing on disk', async () => {
    const dir = configDir();
    const agent = makeAgent({ configDir: dir });
    await agent.start();
    await agent.configure({ kind: 'barcode', path: '/dev/ttyUSB-scanner', baudRate: 9600, options: { suffix: 'crlf' } });
    const before = readFileSync(path.join(dir, ASSIGNMENTS_FILE), 'utf8');
    // @ts-expect-error a kind that does not exist, as a bad IPC payload would carry
    await expect(agent.configure({ kind: 'printer', path: '/dev/x', baudRate: 9600 })).rejects.toMatchObject({ code: 'not-configured' });
    await expect(agent.configure({ kind: 'id-card', path: '/dev/x', baudRate: 12345 })).rejects.toMatchObject({ code: 'not-configured' });
    expect(readFileSync(path.join(dir, ASSIGNMENTS_FILE), 'utf8')).toBe(before);
  });

  it('keeps a corrupt assignments file aside and starts with none', async () => {
    const dir = configDir();
    writeFileSync(path.join(dir, ASSIGNMENTS_FILE), '{"version":1,"assignments":[{"kind":');
    const agent = makeAgent({ configDir: dir });
    await agent.start();
    expect(await agent.listAssignments()).toEqual([]);
    expect(readdirSync(dir).some((f) => f.startsWith(`${ASSIGNMENTS_FILE}.corrupt-`))).toBe(true);
  });

  it('runs the ID card driver on the configured port and passes its documents to subscribers', async () => {
    const { portPath, simulator } = await mockReaderPort();
    const agent = makeAgent({ configDir: configDir() });
    await agent.start();
    await agent.configure({ kind: 'id-card', path: portPath, baudRate: 115200 });
    const read = nextEvent(agent, 'identity-document');
    simulator.placeSample('resident-uyghur-female');
    expect((await read).document).toMatchObject({ cardType: 'resident', nationCode: '05' });
  });

  it("reports a configured port that does not exist as 'port-not-found' instead of failing", async () => {
    const agent = makeAgent({ configDir: configDir() });
    await agent.start();
    const error = nextEvent(agent, 'error');
    await agent.configure({ kind: 'id-card', path: '/dev/ttyUSB-unplugged', baudRate: 115200 });
    expect(await error).toMatchObject({ kind: 'id-card', error: { code: 'port-not-found' } });
  });

  it('auto-detects which port has an ID card reader, with USB ids in the port list', async () => {
    const { portPath } = await mockReaderPort({ vendorId: '0400', productId: 'C35A' });
    createMockPort('/dev/ttyUSB-nothing');
    const agent = makeAgent({ configDir: configDir() });
    await agent.start();
    expect(await agent.listPorts()).toContainEqual(expect.objectContaining({ path: portPath, vendorId: '0400', productId: 'c35a' }));
    expect(await agent.autoDetect()).toEqual([{ path: portPath, kind: 'id-card', baudRate: 115200, assigned: false }]);
  });

  it('in demo mode, places a sample card on the simulated reader and the document arrives', async () => {
    const agent = makeAgent({ configDir: configDir(), demo: true });
    await agent.start();
    const samples = await agent.simulator!.listSamples();
    expect(samples.filter((s) => s.kind === 'id-card').length).toBeGreaterThanOrEqual(8);
    const read = nextEvent(agent, 'identity-document');
    await agent.simulator!.placeCard('foreign-permanent-2023');
    expect((await read).document.cardType).toBe('foreign-permanent-2023');
    expect(await agent.listAssignments()).toContainEqual({ kind: 'id-card', path: 'demo:id-card', baudRate: 115200 });
    await expect(agent.simulator!.placeCard('no-such-sample')).rejects.toMatchObject({ code: 'not-configured' });
  });
});

describe('device agent under concurrent changes', () => {
  it('applies racing configure calls one after another, ending with every assignment saved', async () => {
    const dir = configDir();
    const agent = makeAgent({ configDir: dir });
    await agent.start();
    await Promise.all([
      agent.configure({ kind: 'barcode', path: '/dev/ttyUSB-a', baudRate: 9600 }),
      agent.configure({ kind: 'ecg', path: '/dev/ttyUSB-b', baudRate: 115200 }),
      agent.configure({ kind: 'insurance-card', path: '/dev/ttyUSB-c', baudRate: 115200 }),
    ]);
    const saved = JSON.parse(readFileSync(path.join(dir, ASSIGNMENTS_FILE), 'utf8'));
    expect(saved.assignments.map((a: { kind: string }) => a.kind).sort()).toEqual(['barcode', 'ecg', 'insurance-card']);
    expect((await agent.listAssignments()).length).toBe(3);
  });
});

describe('device agent ECG controls (demo mode)', () => {
  const demoEcgAgent = async () => {
    const agent = makeAgent({ configDir: configDir(), demo: true, demoKinds: ['ecg'] });
    await agent.start();
    return agent;
  };

  it('streams nothing until the ECG is started, then 12-lead samples at the chosen rate', async () => {
    const agent = await demoEcgAgent();
    const seen: DeviceEvent[] = [];
    agent.subscribe((e) => seen.push(e));
    await new Promise((r) => setTimeout(r, 200));
    expect(seen.filter((e) => e.type === 'ecg-samples')).toHaveLength(0);

    const samples = nextEvent(agent, 'ecg-samples');
    await agent.ecg.start({ sampleRateHz: 250 });
    const block = await samples;
    expect(block.sampleRateHz).toBe(250);
    expect(Object.keys(block.leads).sort()).toEqual(['I', 'II', 'III', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6', 'aVF', 'aVL', 'aVR'].sort());
    expect(seen).toContainEqual({ type: 'status', kind: 'ecg', status: 'reading' });
  });

  it('stops the live stream on ecg.stop', async () => {
    const agent = await demoEcgAgent();
    await agent.ecg.start();
    await nextEvent(agent, 'ecg-samples');
    await agent.ecg.stop();
    await new Promise((r) => setTimeout(r, 100)); // blocks already on the wire may still arrive
    let after = 0;
    agent.subscribe((e) => void (e.type === 'ecg-samples' && after++));
    await new Promise((r) => setTimeout(r, 300));
    expect(after).toBe(0);
  });

  it('reports an electrode the demo detaches, and its return, while the stream keeps running', async () => {
    const agent = await demoEcgAgent();
    await agent.ecg.start();
    const leadOff: string[][] = [];
    agent.subscribe((e) => void (e.type === 'ecg-lead-off' && leadOff.push(e.electrodes)));
    await agent.simulator!.setEcgLeadOff!(['V3']);
    await expect.poll(() => leadOff.at(-1), { timeout: 3000 }).toEqual(['V3']);
    await agent.simulator!.setEcgLeadOff!([]);
    await expect.poll(() => leadOff.at(-1), { timeout: 3000 }).toEqual([]);
    await nextEvent(agent, 'ecg-samples');
  });

  it('refuses ECG start with a clear error when no ECG device is running', async () => {
    const agent = makeAgent({ configDir: configDir(), demo: true, demoKinds: ['barcode'] });
    await agent.start();
    await expect(agent.ecg.start()).rejects.toMatchObject({ code: 'not-configured' });
  });
});
