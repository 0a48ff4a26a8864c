import { describe } from 'vitest';
import { ecgFamily } from '../../../devices/ecg/family.ts';
import { SerialTransport } from '../../../devices/transport/serial.ts';
import { requireSystemDependency } from '../../support/system-deps.ts';
import { startPtyPair } from '../devices/pty-pair.ts';
import { ecgSerialScenarios } from './ecg-scenarios.ts';

describe.runIf(requireSystemDependency('socat'))('ECG front end over a real socat pty pair', () => {
  ecgSerialScenarios('a socat pty pair', async () => {
    const pair = await startPtyPair();
    const host = new SerialTransport(pair.hostPath, ecgFamily.defaultSerial);
    const device = new SerialTransport(pair.devicePath, ecgFamily.defaultSerial);
    return {
      host,
      device,
      unplug: () => pair.unplug(),
      async dispose() {
        await host.close();
        await device.close();
        await pair.dispose();
      },
    };
  }, { unplugCodes: ['unplugged', 'timeout'] });
});
