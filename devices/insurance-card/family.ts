/**
 * The social security card reader family (社会保障卡读卡器) for the device agent and the CLIs.
 * Probe: one card-status command (0x33) of the serial profile; a reader answers whether or not a
 * card is in it, and the command does not touch the card.
 */
import type { DeviceFamily } from '../family/device-family.ts';
import type { Transport } from '../transport/transport.ts';
import { InsuranceCardDriver, type InsuranceCardDriverOptions } from './driver.ts';
import { createSerialReaderFraming } from './serial-framing.ts';
import { sampleCardholders } from './cardholders.ts';
import { InsuranceCardSimulator, type InsuranceCardSimulatorOptions } from './simulator.ts';

const sampleId = (index: number) => `insurance-card-${index + 1}`;

export async function probeInsuranceCardReader(transport: Transport, timeoutMs: number): Promise<boolean> {
  const framing = createSerialReaderFraming(transport, { stepTimeoutMs: timeoutMs });
  try {
    if (!transport.isOpen) await transport.open();
    await framing.isCardPresent();
    return true;
  } catch {
    return false;
  } finally {
    framing.dispose();
  }
}

export const insuranceCardFamily: DeviceFamily<InsuranceCardDriverOptions, InsuranceCardSimulatorOptions, InsuranceCardDriver, InsuranceCardSimulator> = {
  kind: 'insurance-card',
  // The documented profile's default; readers of this shape commonly ship at 115200 8N1.
  defaultSerial: { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1 },
  createDriver: (transport, options) => new InsuranceCardDriver(transport, options),
  probe: probeInsuranceCardReader,
  createSimulator: (transport, options) => new InsuranceCardSimulator(transport, options),
  demo: {
    samples: () =>
      sampleCardholders.map((_, index) => ({
        id: sampleId(index),
        // Invented cardholders, but still no names in labels: the label says what the sample is.
        label: { zh: `社会保障卡样例 ${index + 1}`, en: `Social security card sample ${index + 1}` },
      })),
    placeSample: (simulator, id) => {
      const index = sampleCardholders.findIndex((_, i) => sampleId(i) === id);
      if (index >= 0) simulator.insertCard(sampleCardholders[index]);
      return index >= 0;
    },
    removeCard: (simulator) => simulator.removeCard(),
  },
};
