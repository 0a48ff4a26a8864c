/**
 * The barcode / QR scanner family (扫码枪). Scanners only transmit: they answer no command, so
 * `probe` cannot tell a scanner from an idle port and always returns false; a nurse assigns the
 * scanner's port by hand (DeviceAssignment with options `suffix` and `interByteTimeoutMs`).
 */
import type { DeviceFamily } from '../family/device-family.ts';
import { BarcodeScannerDriver, type BarcodeScannerDriverOptions } from './driver.ts';
import { BarcodeScannerSimulator, type BarcodeScannerSimulatorOptions } from './simulator.ts';

export const barcodeFamily: DeviceFamily<BarcodeScannerDriverOptions, BarcodeScannerSimulatorOptions, BarcodeScannerDriver, BarcodeScannerSimulator> = {
  kind: 'barcode',
  // docs/protocols.md §3: 9600 8N1 is the common factory default; the assignment's baud rate overrides it.
  defaultSerial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 },
  createDriver: (transport, options) => new BarcodeScannerDriver(transport, options),
  probe: async () => false,
  createSimulator: (transport, options) => new BarcodeScannerSimulator(transport, options),
  demo: {
    scanCode: (simulator, text) => simulator.scan(text),
  },
};
