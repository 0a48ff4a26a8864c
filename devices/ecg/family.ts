/**
 * The ECG acquisition family (心电采集设备) for the device agent and the CLIs. Probe: the device-info
 * query, which a CW-ECG8 front end answers whether or not it is streaming and which changes nothing.
 */
import { DeviceError } from '../../core/contract/device-error.ts';
import type { DeviceFamily } from '../family/device-family.ts';
import type { Transport } from '../transport/transport.ts';
import { MessageType, decodeDeviceMessage, encodeHostMessage } from './codec.ts';
import { EcgDriver, type EcgDriverOptions } from './driver.ts';
import { Cwecg8Framer } from './framer.ts';
import { cwEcg8Profile } from './profile.ts';
import { EcgSimulator, type EcgSimulatorOptions } from './simulator.ts';

/** Sends one device-info query; true when a well-formed info reply with our sequence number comes back. */
export async function probeEcgDevice(transport: Transport, timeoutMs: number): Promise<boolean> {
  const framer = new Cwecg8Framer();
  const seq = 0xec01;
  let offData: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    if (!transport.isOpen) await transport.open();
    const answered = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      offData = transport.onData((chunk) => {
        for (const frame of framer.push(chunk)) {
          if (frame instanceof DeviceError || frame[1] !== MessageType.info) continue;
          try {
            const message = decodeDeviceMessage(frame);
            if (message.seq === seq && 'reply' in message && message.reply.type === 'info') resolve(true);
          } catch {
            // another device's bytes, or noise: keep listening until the timeout
          }
        }
      });
    });
    await transport.write(encodeHostMessage({ seq, command: { type: 'get-info' } }));
    return await answered;
  } catch {
    return false;
  } finally {
    if (timer) clearTimeout(timer);
    offData?.();
  }
}

export const ecgFamily: DeviceFamily<EcgDriverOptions, EcgSimulatorOptions, EcgDriver, EcgSimulator> = {
  kind: 'ecg',
  defaultSerial: cwEcg8Profile.defaultSerial,
  createDriver: (transport, options) => new EcgDriver(transport, options),
  probe: probeEcgDevice,
  createSimulator: (transport, options) => new EcgSimulator(transport, options),
  demo: {
    // The demo front end waits, connected, until someone presses "connect" (ecg.start): 500
    // packets a second for nobody would cost every demo machine a core for nothing.
    startDriver: async (driver) => {
      await driver.connect();
    },
  },
};
