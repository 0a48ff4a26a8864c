/**
 * The device kinds, the serial baud rates and the device assignment (which device hangs on which
 * port), declared once. Pure (zod only): the agent validates and stores assignments with it, the
 * agent protocol and the IPC relay check the wire with it, the setup wizard offers its lists.
 */
import { z } from 'zod';

/** Every kind of device the workstation drives, in the order screens list them. */
export const deviceKinds = ['id-card', 'insurance-card', 'barcode', 'ecg'] as const;
export type DeviceKind = (typeof deviceKinds)[number];
export const deviceKindSchema = z.enum(deviceKinds);

/** The rates serial readers and scanners here are set to (docs/protocols.md §1, §3), and ECG links. */
export const serialBaudRates = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600] as const;

const assignmentFields = {
  kind: deviceKindSchema,
  path: z.string().min(1).max(512),
  /** Family-specific options (scanner suffix, ECG sample rate…). */
  options: z.record(z.string().max(64), z.union([z.string().max(256), z.number(), z.boolean()])).optional(),
};

/** An assignment the agent accepts and stores: a known kind on a port at a supported baud rate. */
export const deviceAssignmentSchema = z.object({ ...assignmentFields, baudRate: z.literal(serialBaudRates) });

/**
 * The same on the wire (agent protocol, IPC): any positive baud rate passes, so that an unsupported
 * one reaches the agent and is answered with its clear 'not-configured' error, not a protocol error.
 */
export const deviceAssignmentWireSchema = z.object({ ...assignmentFields, baudRate: z.number().int().positive() });
