import { SerialPortMock } from 'serialport';
import { afterAll, describe, expect, it } from 'vitest';
import { idCardReaderScenarios, fastDriverOptions } from '../../tests/fixtures/id-card/driver-scenarios.ts';
import { createMemoryPair } from '../transport/memory.ts';
import { SerialTransport } from '../transport/serial.ts';
import { MockDeviceTransport, createMockPort } from '../transport/serial-mock-device.ts';
import { IdCardDriver } from './driver.ts';
import { idCardFamily } from './family.ts';
import { IdCardSimulator } from './simulator.ts';

const memoryRig = (chunkSize?: number) => async () => {
  const pair = createMemoryPair(chunkSize ? { chunkSize } : {});
  return {
    host: pair.host,
    device: pair.device,
    unplug: () => pair.unplug(),
    replug: () => pair.device.open(),
    dispose: async () => {
      await pair.host.close();
      await pair.device.close();
    },
  };
};

idCardReaderScenarios('a memory pair', memoryRig());
idCardReaderScenarios('a memory pair delivering 1024-byte chunks', memoryRig(1024));

let mockPorts = 0;
idCardReaderScenarios('serialport with SerialPortMock', async () => {
  const path = `/dev/mock-id-card-${++mockPorts}`;
  createMockPort(path);
  const host = new SerialTransport(path, idCardFamily.defaultSerial, { binding: 'mock' });
  const device = new MockDeviceTransport(path);
  return {
    host,
    device,
    unplug: () => device.unplug(),
    replug: () => device.open(),
    dispose: async () => {
      await host.close();
    },
  };
});
afterAll(() => SerialPortMock.binding.reset());

describe('ID card family', () => {
  it('probes a reader with the harmless SAM status command and says yes', async () => {
    const pair = createMemoryPair();
    await new IdCardSimulator(pair.device).start();
    expect(await idCardFamily.probe(pair.host, 300)).toBe(true);
  });

  it('says no when nothing answers the probe, or something answers that is not a SAM', async () => {
    const silent = createMemoryPair();
    await silent.device.open();
    expect(await idCardFamily.probe(silent.host, 100)).toBe(false);
    const chatty = createMemoryPair();
    await chatty.device.open();
    chatty.device.onData(() => void chatty.device.write(new TextEncoder().encode('6901234567892\r\n')));
    expect(await idCardFamily.probe(chatty.host, 100)).toBe(false);
  });

  it('waits for a card for the CLI and gives up with no-card when none comes', async () => {
    const pair = createMemoryPair();
    await new IdCardSimulator(pair.device).start();
    const driver = new IdCardDriver(pair.host, fastDriverOptions);
    await driver.connect();
    await expect(driver.waitForCard(100)).rejects.toMatchObject({ code: 'no-card' });
  });
});
