import { symlinkSync, unlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
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

  // serialport can miss the hang-up on Linux; a device node that disappears (udev removing
  // /dev/serial/by-id/… when the adapter is pulled) must still close the port as unplugged. The
  // pty itself stays alive here, so only the node's disappearance can tell.
  it("reports 'unplugged' when the port's device node disappears, even with the line still up", async () => {
    const pair = await startPtyPair();
    const byId = `${pair.hostPath}-by-id`;
    symlinkSync(pair.hostPath, byId);
    const host = new SerialTransport(byId, { baudRate: 115200 });
    try {
      await host.open();
      const closed = new Promise((resolve) => host.onClose(resolve));
      unlinkSync(byId);
      expect(await closed).toMatchObject({ code: 'unplugged' });
      expect(host.isOpen).toBe(false);
    } finally {
      await host.close();
      await pair.dispose();
    }
  });
});
