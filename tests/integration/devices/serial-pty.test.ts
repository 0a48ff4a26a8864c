import { describe } from 'vitest';
import { requireSystemDependency } from '../../support/system-deps.ts';
import { SerialTransport } from '../../../devices/transport/serial.ts';
import { startPtyPair } from './pty-pair.ts';
import { transportContract } from './transport-contract.ts';

describe.runIf(requireSystemDependency('socat'))('serialport transport over a real socat pty pair', () => {
  transportContract(
    'serialport over a socat pty pair',
    async () => {
      const pair = await startPtyPair();
      const host = new SerialTransport(pair.hostPath, { baudRate: 115200 });
      const device = new SerialTransport(pair.devicePath, { baudRate: 115200 });
      return {
        host,
        device,
        unplug: () => pair.unplug(),
        missing: () => new SerialTransport(`${pair.hostPath}-gone`, { baudRate: 115200 }),
        second: () => new SerialTransport(pair.hostPath, { baudRate: 115200 }),
        async dispose() {
          await host.close();
          await device.close();
          await pair.dispose();
        },
      };
    },
    { paths: true, exclusive: true },
  );
});
