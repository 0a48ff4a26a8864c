import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SerialPortMock } from 'serialport';
import { transportContract } from '../../tests/integration/devices/transport-contract.ts';
import { createMemoryPair } from './memory.ts';
import { SerialTransport, listSerialPorts } from './serial.ts';
import { MockDeviceTransport, createMockPort } from './serial-mock-device.ts';

let mockPorts = 0;
const mockSettings = { baudRate: 115200 };

transportContract('MemoryTransport', async () => {
  const pair = createMemoryPair();
  return {
    host: pair.host,
    device: pair.device,
    unplug: () => pair.unplug(),
    dispose: async () => {
      await pair.host.close();
      await pair.device.close();
    },
  };
}, { paths: false, exclusive: false });

transportContract('serialport over SerialPortMock', async () => {
  const path = `/dev/mock-contract-${++mockPorts}`;
  createMockPort(path);
  const host = new SerialTransport(path, mockSettings, { binding: 'mock' });
  const device = new MockDeviceTransport(path);
  return {
    host,
    device,
    unplug: () => device.unplug(),
    missing: () => new SerialTransport('/dev/mock-nowhere', mockSettings, { binding: 'mock' }),
    second: () => new SerialTransport(path, mockSettings, { binding: 'mock' }),
    dispose: async () => {
      await host.close();
    },
  };
}, { paths: true, exclusive: true });

describe('serialport transport', () => {
  afterEach(() => SerialPortMock.binding.reset());

  it('lists ports with their USB vendor and product ids', async () => {
    createMockPort('/dev/ttyUSB-list', { vendorId: '10C4', productId: 'EA60', manufacturer: 'Silicon Labs' });
    expect(await listSerialPorts('mock')).toContainEqual({
      path: '/dev/ttyUSB-list',
      manufacturer: 'Silicon Labs',
      serialNumber: expect.any(String),
      vendorId: '10c4',
      productId: 'ea60',
    });
  });

  it.runIf(process.platform === 'linux')('lists the kernel\'s serial ports where udevadm is missing (containers, slim images)', async () => {
    const kernelPorts = readdirSync('/sys/class/tty')
      .filter((name) => existsSync(`/sys/class/tty/${name}/device`))
      .map((name) => `/dev/${name}`);
    const savedPath = process.env.PATH;
    process.env.PATH = mkdtempSync(path.join(tmpdir(), 'cw-no-udevadm-')); // nothing to spawn here
    try {
      const ports = await listSerialPorts('os');
      expect(ports.map((p) => p.path).sort()).toEqual(kernelPorts.sort());
    } finally {
      process.env.PATH = savedPath;
    }
  });

  it("turns a failed write into 'write-failed' with the port named", async () => {
    createMockPort('/dev/mock-write-fails');
    const host = new SerialTransport('/dev/mock-write-fails', mockSettings, { binding: 'mock' });
    await host.open();
    const binding = host.binding as { write: (b: Buffer) => Promise<void> };
    binding.write = async () => {
      throw new Error('EIO: i/o error');
    };
    await expect(host.write(Uint8Array.of(1, 2, 3))).rejects.toMatchObject({ code: 'write-failed' });
  });

  it("says 'port-not-found' for a device path that does not exist on this machine", async () => {
    await expect(new SerialTransport('/dev/ttyUSB-not-here', mockSettings).open()).rejects.toMatchObject({ code: 'port-not-found' });
  });

  it('opens with the given data bits, parity and stop bits', async () => {
    createMockPort('/dev/mock-7e2');
    const host = new SerialTransport('/dev/mock-7e2', { baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 2 }, { binding: 'mock' });
    await host.open();
    expect((host.binding as { openOptions: object }).openOptions).toMatchObject({ baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 2 });
    await host.close();
  });
});
