import { describe } from 'vitest';
import { ecgFamily } from '../../../devices/ecg/family.ts';
import { MockDeviceTransport, createMockPort } from '../../../devices/transport/serial-mock-device.ts';
import { SerialTransport } from '../../../devices/transport/serial.ts';
import { ecgSerialScenarios } from './ecg-scenarios.ts';

let next = 0;

describe('ECG front end over SerialPortMock (the serialport stream code, mock binding)', () => {
  ecgSerialScenarios('SerialPortMock', async () => {
    const path = `/dev/ttyECGMOCK${next++}`;
    createMockPort(path);
    const host = new SerialTransport(path, ecgFamily.defaultSerial, { binding: 'mock' });
    const device = new MockDeviceTransport(path);
    return {
      host,
      device,
      unplug: () => device.unplug(),
      async dispose() {
        await host.close();
        await device.close();
      },
    };
  });
});
