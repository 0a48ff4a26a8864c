import { describe } from 'vitest';
import { idCardFamily } from '../../../devices/id-card/family.ts';
import { SerialTransport } from '../../../devices/transport/serial.ts';
import { idCardReaderScenarios } from '../../fixtures/id-card/driver-scenarios.ts';
import { requireSystemDependency } from '../../support/system-deps.ts';
import { startPtyPair } from './pty-pair.ts';

describe.runIf(requireSystemDependency('socat'))('ID card reader over a real pty pair', () => {
  idCardReaderScenarios('a socat pty pair', async () => {
    const pair = await startPtyPair();
    const host = new SerialTransport(pair.hostPath, idCardFamily.defaultSerial);
    const device = new SerialTransport(pair.devicePath, idCardFamily.defaultSerial);
    return {
      host,
      device,
      unplug: () => pair.unplug(),
      async replug() {
        await pair.replug();
        await device.open();
      },
      async dispose() {
        await host.close();
        await device.close();
        await pair.dispose();
      },
    };
  });
});
