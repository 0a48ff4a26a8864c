/**
 * The resident ID card reader family (GA 467 SAM) as the device agent, `device` CLI and `sim` CLI
 * see it.
 */
import type { DeviceFamily } from '../family/device-family.ts';
import type { Transport } from '../transport/transport.ts';
import { decodeReply, encodeCommand, statusError } from './codec.ts';
import { IdCardDriver, type IdCardDriverOptions } from './driver.ts';
import { Ga467Framer } from './framer.ts';
import { identitySamples } from './samples.ts';
import { IdCardSimulator, type IdCardSimulatorOptions } from './simulator.ts';

/**
 * Harmless probe: asks for the SAM status (11 FF), which changes nothing on the reader and needs no
 * card. True only for a well-formed GA 467 reply with a success status.
 */
export async function probeIdCardReader(transport: Transport, timeoutMs: number): Promise<boolean> {
  const framer = new Ga467Framer();
  let off: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    if (!transport.isOpen) await transport.open();
    const answered = new Promise<boolean>((resolve) => {
      off = transport.onData((chunk) => {
        for (const frame of framer.push(chunk)) {
          try {
            resolve(statusError(decodeReply(frame)) === undefined);
          } catch {
            resolve(false);
          }
        }
      });
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    await transport.write(encodeCommand('samStatus'));
    return await answered;
  } catch {
    return false;
  } finally {
    off?.();
    clearTimeout(timer);
  }
}

export const idCardFamily: DeviceFamily<IdCardDriverOptions, IdCardSimulatorOptions, IdCardDriver, IdCardSimulator> = {
  kind: 'id-card',
  // GA 467 readers: 115200 8N1 by default (settable to 57600/38400/19200/9600).
  defaultSerial: { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1 },
  createDriver: (transport, options) => new IdCardDriver(transport, options),
  probe: probeIdCardReader,
  createSimulator: (transport, options) => new IdCardSimulator(transport, options),
  demo: {
    // The demo panel's "unplug" fault pulls the in-memory cable.
    simulatorOptions: ({ unplug }) => ({ unplug }),
    samples: () => identitySamples.map((s) => ({ id: s.id, label: s.label })),
    placeSample: (simulator, sampleId) => {
      const sample = identitySamples.find((s) => s.id === sampleId);
      if (sample) simulator.placeCard(sample.document);
      return sample !== undefined;
    },
    removeCard: (simulator) => simulator.removeCard(),
  },
};
