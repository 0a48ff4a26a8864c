/**
 * One contract suite for every Transport (transport.ts): MemoryTransport, the serialport transport
 * over SerialPortMock, and the serialport transport over a real socat pty pair.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceError } from '../../../core/contract/device-error.ts';
import type { Transport } from '../../../devices/transport/transport.ts';

export interface TransportRig {
  host: Transport;
  device: Transport;
  unplug(): Promise<void> | void;
  /** A transport on a path that does not exist (implementations with paths). */
  missing?: () => Transport;
  /** A second transport on the host's path (implementations that lock their port). */
  second?: () => Transport;
  dispose(): Promise<void>;
}

const received = (transport: Transport, bytes: number, timeoutMs = 5000) =>
  new Promise<Uint8Array>((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    const timer = setTimeout(() => reject(new Error(`received ${total} of ${bytes} bytes`)), timeoutMs);
    const off = transport.onData((chunk) => {
      chunks.push(Uint8Array.from(chunk));
      total += chunk.length;
      if (total >= bytes) {
        clearTimeout(timer);
        off();
        resolve(Uint8Array.from(chunks.flatMap((c) => [...c])));
      }
    });
  });

const nextClose = (transport: Transport) =>
  new Promise<DeviceError | undefined>((resolve) => {
    const off = transport.onClose((error) => {
      off();
      resolve(error);
    });
  });

/**
 * `paths`: the transport opens OS paths (so a path can be missing); `exclusive`: a second open of
 * the same port fails while it is held. An in-memory pair has neither, so those cases are not
 * defined for it (rather than skipped).
 */
export function transportContract(
  name: string,
  makeRig: () => Promise<TransportRig>,
  capabilities: { paths: boolean; exclusive: boolean },
): void {
  describe(`Transport contract: ${name}`, () => {
    let rig: TransportRig | undefined;
    afterEach(async () => {
      await rig?.dispose();
      rig = undefined;
    });

    it('carries bytes both ways intact and in order', async () => {
      rig = await makeRig();
      await rig.host.open();
      await rig.device.open();
      const payload = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 7) & 0xff);
      const atDevice = received(rig.device, payload.length);
      await rig.host.write(payload);
      expect(Buffer.from(await atDevice).equals(payload)).toBe(true);
      const answer = Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x00, 0x04, 0x00, 0x00, 0x80, 0x84);
      const atHost = received(rig.host, answer.length);
      await rig.device.write(answer);
      expect(await atHost).toEqual(answer);
    });

    it('tells close listeners nothing went wrong when we close it ourselves', async () => {
      rig = await makeRig();
      await rig.host.open();
      const closed = nextClose(rig.host);
      await rig.host.close();
      expect(await closed).toBeUndefined();
      expect(rig.host.isOpen).toBe(false);
    });

    it("reports 'unplugged' when the device goes away under an open port", async () => {
      rig = await makeRig();
      await rig.host.open();
      await rig.device.open();
      const closed = nextClose(rig.host);
      await rig.unplug();
      expect(await closed).toMatchObject({ code: 'unplugged' });
      expect(rig.host.isOpen).toBe(false);
    });

    it("refuses a write on a closed port with 'port-closed'", async () => {
      rig = await makeRig();
      await expect(rig.host.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'port-closed' });
    });

    if (capabilities.paths) {
      it("refuses to open a path that does not exist with 'port-not-found'", async () => {
        rig = await makeRig();
        await expect(rig.missing!().open()).rejects.toMatchObject({ code: 'port-not-found' });
      });
    }

    if (capabilities.exclusive) {
      it("refuses to open a port another program holds with 'port-open-failed'", async () => {
        rig = await makeRig();
        await rig.host.open();
        await expect(rig.second!().open()).rejects.toMatchObject({ code: 'port-open-failed' });
      });
    }
  });
}
