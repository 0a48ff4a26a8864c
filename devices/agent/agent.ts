/**
 * DeviceAgent: the devices half of WorkstationApi on the machine with the ports. It keeps the device
 * assignments, runs one driver per assigned device, forwards their events to subscribers, probes
 * ports on request (auto-detect), and in demo mode attaches simulators over in-memory pairs in place
 * of hardware, with controls to place a sample card or scan a code.
 */
import { DeviceError, isDeviceError } from '../../core/contract/device-error.ts';
import type {
  DetectedDevice,
  DeviceAssignment,
  DeviceEvent,
  DeviceKind,
  DeviceSimulatorControls,
  DevicesApi,
  EcgControls,
  EcgElectrode,
  EcgSampleRateHz,
  SimulatedEcgRhythm,
  PortInfo,
  SimulatorSample,
  Unsubscribe,
} from '../../core/contract/workstation-api.ts';
import { createMemoryPair } from '../transport/memory.ts';
import { Sequencer } from '../../core/async/sequencer.ts';
import { SerialTransport, listSerialPorts, type SerialBinding } from '../transport/serial.ts';
import type { Transport } from '../transport/transport.ts';
import { deviceAssignmentSchema } from '../../core/contract/device-assignment.ts';
import { AssignmentStore } from './assignment-store.ts';
import { isStreamingDriver, type DeviceDriver, type DeviceSimulator, type StreamingDriver } from '../family/device-family.ts';
import { deviceFamilies, deviceKinds, type AnyDeviceFamily } from './families.ts';

export interface DeviceAgentOptions {
  /** Where device-assignments.json lives. */
  configDir: string;
  /** Attach simulators instead of hardware. */
  demo?: boolean;
  /** 'mock' runs real ports through SerialPortMock (tests). */
  binding?: SerialBinding;
  /** Per-port, per-family probe timeout for auto-detect. */
  probeTimeoutMs?: number;
  /** Pause before retrying a device whose port would not open. */
  retryIntervalMs?: number;
  /** Which families demo mode simulates (default: all). */
  demoKinds?: readonly DeviceKind[];
  families?: Readonly<Record<DeviceKind, AnyDeviceFamily>>;
}

interface RunningDevice {
  assignment: DeviceAssignment;
  transport: Transport;
  driver: DeviceDriver;
  off: () => void;
  retry?: ReturnType<typeof setTimeout> | undefined;
  simulator?: DeviceSimulator | undefined;
}

const DEMO_PREFIX = 'demo:';

/**
 * Probes one port with each family's harmless command in turn (a port answers one program at a
 * time) and returns the first family that answered. Families that never answer (barcode) say no.
 */
export async function probePort(
  portPath: string,
  families: Readonly<Record<DeviceKind, AnyDeviceFamily>> = deviceFamilies,
  binding: SerialBinding = 'os',
  timeoutMs = 400,
): Promise<{ kind: DeviceKind; baudRate: number } | undefined> {
  for (const kind of deviceKinds) {
    const family = families[kind];
    const transport = new SerialTransport(portPath, family.defaultSerial, { binding });
    let answered: boolean;
    try {
      answered = await family.probe(transport, timeoutMs);
    } catch {
      answered = false;
    } finally {
      await transport.close().catch(() => undefined);
    }
    if (answered) return { kind, baudRate: family.defaultSerial.baudRate };
  }
  return undefined;
}

export class DeviceAgent implements DevicesApi {
  readonly #options: Required<Omit<DeviceAgentOptions, 'demoKinds'>> & { demoKinds: readonly DeviceKind[] };
  readonly #store: AssignmentStore;
  readonly #families: Readonly<Record<DeviceKind, AnyDeviceFamily>>;
  readonly #listeners = new Set<(event: DeviceEvent) => void>();
  readonly #running = new Map<DeviceKind, RunningDevice>();
  #assignments: DeviceAssignment[] = [];
  #closed = false;
  /** One change at a time: two racing saves must not leave the file and the running drivers apart. */
  readonly #configuring = new Sequencer();
  readonly simulator: DeviceSimulatorControls | undefined;
  readonly ecg: EcgControls = {
    start: (options = {}) => this.#ecgStart(options.sampleRateHz),
    stop: () => this.#ecgStop(),
  };
  /** Demo-mode overrides per kind: what the demo ECG front end plays, at which rate its driver runs. */
  #demoOptions: Partial<Record<DeviceKind, { driver: Record<string, unknown>; simulator: Record<string, unknown> }>> = {};

  constructor(options: DeviceAgentOptions) {
    this.#options = {
      demo: false,
      binding: 'os',
      probeTimeoutMs: 400,
      retryIntervalMs: 3000,
      families: deviceFamilies,
      demoKinds: deviceKinds,
      ...options,
    };
    this.#families = this.#options.families;
    this.#store = new AssignmentStore(options.configDir);
    this.simulator = this.#options.demo ? this.#simulatorControls() : undefined;
  }

  get demo(): boolean {
    return this.#options.demo;
  }

  /** Loads saved assignments and starts their drivers (in demo mode, simulators on free kinds). */
  async start(): Promise<void> {
    this.#assignments = await this.#store.load();
    for (const assignment of this.#assignments) await this.#run(assignment);
    if (this.#options.demo) {
      for (const kind of this.#options.demoKinds) {
        if (!this.#running.has(kind)) await this.#runDemo(kind);
      }
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#running.keys()].map((kind) => this.#stop(kind)));
    this.#listeners.clear();
  }

  async listPorts(): Promise<PortInfo[]> {
    const ports = await listSerialPorts(this.#options.binding);
    if (!this.#options.demo) return ports;
    const simulated = this.#options.demoKinds.map((kind) => ({ path: `${DEMO_PREFIX}${kind}`, manufacturer: 'Simulator (demo)' }));
    return [...simulated, ...ports];
  }

  async listAssignments(): Promise<DeviceAssignment[]> {
    const saved = new Map(this.#assignments.map((a) => [a.kind, a]));
    for (const [kind, running] of this.#running) if (!saved.has(kind)) saved.set(kind, running.assignment);
    return [...saved.values()].map((a) => structuredClone(a));
  }

  /** Validates, saves (atomically) and (re)starts the driver for that kind. Bad input changes nothing. */
  configure(assignment: DeviceAssignment): Promise<void> {
    return this.#configuring.run(() => this.#configureNow(assignment));
  }

  async #configureNow(assignment: DeviceAssignment): Promise<void> {
    const parsed = deviceAssignmentSchema.safeParse(assignment);
    if (!parsed.success) throw new DeviceError('not-configured', `invalid assignment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const next = parsed.data as DeviceAssignment;
    const others = this.#assignments.filter((a) => a.kind !== next.kind && a.path !== next.path);
    await this.#store.save([...others, next]);
    this.#assignments = [...others, next];
    for (const [kind, running] of this.#running) {
      if (kind !== next.kind && running.assignment.path === next.path) await this.#stop(kind);
    }
    await this.#stop(next.kind);
    await this.#run(next);
  }

  subscribe(listener: (event: DeviceEvent) => void): Unsubscribe {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /**
   * Probes every port not already in use with each family's harmless command, one at a time (a
   * port answers one program at a time). Families whose devices never answer (barcode) are skipped.
   */
  async autoDetect(): Promise<DetectedDevice[]> {
    const found: DetectedDevice[] = [];
    const inUse = new Map([...this.#running.values()].map((r) => [r.assignment.path, r.assignment]));
    for (const port of await listSerialPorts(this.#options.binding)) {
      const assigned = inUse.get(port.path);
      if (assigned) {
        found.push({ path: port.path, kind: assigned.kind, baudRate: assigned.baudRate, assigned: true });
        continue;
      }
      const detected = await probePort(port.path, this.#families, this.#options.binding, this.#options.probeTimeoutMs);
      if (detected) found.push({ path: port.path, kind: detected.kind, baudRate: detected.baudRate, assigned: false });
    }
    return found;
  }

  #emit(event: DeviceEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // One broken subscriber must not starve the others.
      }
    }
  }

  async #run(assignment: DeviceAssignment): Promise<void> {
    if (this.#closed) return;
    if (assignment.path.startsWith(DEMO_PREFIX)) {
      if (this.#options.demo) await this.#runDemo(assignment.kind);
      return;
    }
    const family = this.#families[assignment.kind];
    const transport = new SerialTransport(assignment.path, { ...family.defaultSerial, baudRate: assignment.baudRate }, { binding: this.#options.binding });
    const driver = family.createDriver(transport, assignment.options ?? {});
    const running: RunningDevice = { assignment, transport, driver, off: driver.onEvent((e) => this.#emit(e)) };
    this.#running.set(assignment.kind, running);
    await this.#startDriver(running);
  }

  async #startDriver(running: RunningDevice): Promise<void> {
    try {
      await running.driver.start();
    } catch (e) {
      const error = isDeviceError(e) ? e : new DeviceError('device-status', e instanceof Error ? e.message : String(e));
      this.#emit({ type: 'status', kind: running.assignment.kind, status: 'error', error: error.toJSON() });
      this.#emit({ type: 'error', kind: running.assignment.kind, error: error.toJSON() });
      await running.driver.stop().catch(() => undefined);
      await running.transport.close().catch(() => undefined);
      // The reader may be plugged in later: keep trying while this assignment stands.
      running.retry = setTimeout(() => {
        if (this.#running.get(running.assignment.kind) === running && !this.#closed) void this.#startDriver(running);
      }, this.#options.retryIntervalMs);
    }
  }

  async #runDemo(kind: DeviceKind): Promise<void> {
    const family = this.#families[kind];
    const pair = createMemoryPair({ hostPath: `${DEMO_PREFIX}${kind}`, devicePath: `${DEMO_PREFIX}${kind}:device` });
    const overrides = this.#demoOptions[kind];
    const simulatorOptions = { ...family.demo?.simulatorOptions?.({ unplug: () => pair.unplug() }), ...overrides?.simulator };
    const simulator = family.createSimulator(pair.device, simulatorOptions);
    const driver = family.createDriver(pair.host, overrides?.driver ?? {});
    const assignment: DeviceAssignment = { kind, path: `${DEMO_PREFIX}${kind}`, baudRate: family.defaultSerial.baudRate };
    const running: RunningDevice = { assignment, transport: pair.host, driver, simulator, off: driver.onEvent((e) => this.#emit(e)) };
    this.#running.set(kind, running);
    try {
      await simulator.start();
      await (family.demo?.startDriver ? family.demo.startDriver(driver) : driver.start());
    } catch (e) {
      const error = isDeviceError(e) ? e : new DeviceError('device-status', String(e));
      this.#emit({ type: 'error', kind, error: error.toJSON() });
    }
  }

  #ecgDriver(): { running: RunningDevice; driver: StreamingDriver } {
    const running = this.#running.get('ecg');
    if (!running || !isStreamingDriver(running.driver)) throw new DeviceError('not-configured', 'no ECG device is assigned');
    return { running, driver: running.driver };
  }

  #mergeDemoOptions(kind: DeviceKind, change: { driver?: Record<string, unknown>; simulator?: Record<string, unknown> }): void {
    const current = this.#demoOptions[kind] ?? { driver: {}, simulator: {} };
    this.#demoOptions = {
      ...this.#demoOptions,
      [kind]: { driver: { ...current.driver, ...change.driver }, simulator: { ...current.simulator, ...change.simulator } },
    };
  }

  async #ecgStart(sampleRateHz: EcgSampleRateHz | undefined): Promise<void> {
    const { running, driver } = this.#ecgDriver();
    if (sampleRateHz !== undefined && sampleRateHz !== driver.sampleRateHz) {
      // PROFILE.md §3: the rate is set only while not streaming, and the driver sets it on connect;
      // so a new rate restarts the device with it.
      if (running.simulator) {
        this.#mergeDemoOptions('ecg', { driver: { sampleRateHz } });
        await this.#stop('ecg');
        await this.#runDemo('ecg');
      } else {
        await this.configure({ ...running.assignment, options: { ...running.assignment.options, sampleRateHz } });
      }
    }
    // After a restart the running device (and its driver) are new ones.
    await this.#ecgDriver().driver.startStreaming();
    this.#emit({ type: 'status', kind: 'ecg', status: 'reading' });
  }

  async #ecgStop(): Promise<void> {
    const { driver } = this.#ecgDriver();
    await driver.stopStreaming();
    this.#emit({ type: 'status', kind: 'ecg', status: 'ready' });
  }

  /** Restarts the demo ECG front end with new simulator options, streaming again if it was. */
  async #changeDemoEcg(simulator: Record<string, unknown>): Promise<void> {
    const { running, driver } = this.#ecgDriver();
    if (!running.simulator) throw new DeviceError('not-configured', 'no ECG simulator is running');
    const wasStreaming = driver.isStreaming;
    this.#mergeDemoOptions('ecg', { simulator });
    await this.#stop('ecg');
    // A new driver reports only changes from an empty set: say now that the old electrodes are back.
    this.#emit({ type: 'ecg-lead-off', electrodes: [] });
    await this.#runDemo('ecg');
    if (wasStreaming) await this.#ecgStart(undefined);
  }

  async #stop(kind: DeviceKind): Promise<void> {
    const running = this.#running.get(kind);
    if (!running) return;
    this.#running.delete(kind);
    clearTimeout(running.retry);
    running.off();
    await running.driver.stop().catch(() => undefined);
    await running.simulator?.stop().catch(() => undefined);
    await running.transport.close().catch(() => undefined);
    this.#emit({ type: 'status', kind, status: 'disconnected' });
  }

  /** The running demo simulator of `kind` and its family, for the family's demo hooks. */
  #demoSimulator(kind: DeviceKind): { family: AnyDeviceFamily; simulator: DeviceSimulator } {
    const simulator = this.#running.get(kind)?.simulator;
    if (!simulator) throw new DeviceError('not-configured', `no ${kind} simulator is running`);
    return { family: this.#families[kind], simulator };
  }

  #simulatorControls(): DeviceSimulatorControls {
    const kinds = () => Object.keys(this.#families) as DeviceKind[];
    return {
      listSamples: async (): Promise<SimulatorSample[]> =>
        kinds().flatMap((kind) => (this.#families[kind].demo?.samples?.() ?? []).map((sample: Omit<SimulatorSample, 'kind'>) => ({ kind, ...sample }))),
      placeCard: async (sampleId: string) => {
        for (const kind of kinds()) {
          const demo = this.#families[kind].demo;
          if (!demo?.placeSample || !demo.samples?.().some((s: Omit<SimulatorSample, 'kind'>) => s.id === sampleId)) continue;
          demo.placeSample(this.#demoSimulator(kind).simulator, sampleId);
          return;
        }
        throw new DeviceError('not-configured', `no sample "${sampleId}"`);
      },
      removeCard: async (kind: DeviceKind) => {
        const removeCard = this.#families[kind]?.demo?.removeCard;
        if (!removeCard) throw new DeviceError('not-configured', `${kind} has no card to remove`);
        removeCard(this.#demoSimulator(kind).simulator);
      },
      scanCode: async (text: string) => {
        const { family, simulator } = this.#demoSimulator('barcode');
        if (!family.demo?.scanCode) throw new DeviceError('not-configured', 'no barcode simulator is running');
        await family.demo.scanCode(simulator, text);
      },
      setEcgRhythm: (rhythm: SimulatedEcgRhythm) => this.#changeDemoEcg({ rhythm }),
      setEcgLeadOff: (electrodes: EcgElectrode[]) =>
        this.#changeDemoEcg({ faults: electrodes.length > 0 ? ['lead-off'] : [], leadOffElectrodes: [...electrodes] }),
    };
  }
}
