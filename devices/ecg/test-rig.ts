/**
 * Test builders for the ECG family: a driver and a simulator joined by an in-memory pair, the
 * expected 12-lead signal the simulator streams, and a strip recorded from the driver's live stream
 * the way the app records it. Used by driver.test.ts and tests/ (not by the app).
 */
import { DeviceError } from '../../core/contract/device-error.ts';
import type { DeviceEvent } from '../../core/contract/workstation-api.ts';
import { EcgCapture } from '../../core/ecg/capture.ts';
import type { EcgRecording } from '../../core/ecg/recording.ts';
import { synthesizeEcg } from '../../core/ecg/synthesis/synthesize.ts';
import { createMemoryPair, type MemoryPair } from '../transport/memory.ts';
import type { Transport } from '../transport/transport.ts';
import { EcgDriver, type EcgDriverOptions } from './driver.ts';
import { EcgSimulator, type EcgSimulatorOptions } from './simulator.ts';

export interface EcgRig {
  driver: EcgDriver;
  simulator: EcgSimulator;
  events: DeviceEvent[];
  pair: MemoryPair | undefined;
  close(): Promise<void>;
}

export async function makeEcgRig(
  options: { simulator?: Partial<EcgSimulatorOptions>; driver?: Partial<EcgDriverOptions>; chunkSize?: number; host?: Transport; device?: Transport } = {},
): Promise<EcgRig> {
  const pair = options.host && options.device ? undefined : createMemoryPair({ chunkSize: options.chunkSize ?? 37 });
  const host = options.host ?? pair!.host;
  const device = options.device ?? pair!.device;
  const simulator = new EcgSimulator(device, { speed: Number.POSITIVE_INFINITY, unplug: pair?.unplug, ...options.simulator });
  await simulator.start();
  const driver = new EcgDriver(host, { commandTimeoutMs: 500, ...options.driver });
  const events: DeviceEvent[] = [];
  driver.onEvent((event) => events.push(event));
  return {
    driver,
    simulator,
    events,
    pair,
    async close() {
      await simulator.stop();
      driver.dispose();
      await host.close();
      await device.close();
    },
  };
}

/** What the simulator streams from its first packet on: the synthesizer's output, all 12 leads. */
export function expectedStream(options: { rhythm?: EcgSimulatorOptions['rhythm']; seed?: number; sampleRateHz: number; seconds: number }): EcgRecording {
  const { recording } = synthesizeEcg({
    rhythm: options.rhythm ?? 'normal-sinus',
    seed: options.seed ?? 1,
    sampleRateHz: options.sampleRateHz,
    durationSeconds: 30, // the simulator's loop length: the noise-free signal is the same per seed
  });
  const n = Math.round(options.seconds * options.sampleRateHz);
  return { ...recording, leads: recording.leads.map((l) => ({ lead: l.lead, samples: l.samples.slice(0, n) })) };
}

/**
 * Records `seconds` of the driver's live stream with the app's own capture (core/ecg/capture.ts, fed
 * the ecg-* events as the ECG screen feeds it), starting the stream if it is not running and
 * stopping it again if so. Rejects with the capture's error (packets lost, an electrode off), or a
 * DeviceError when the device fails meanwhile (unplugged; 'timeout' when the stream goes silent).
 */
export async function captureStrip(driver: EcgDriver, seconds: number): Promise<EcgRecording> {
  const capture = new EcgCapture(seconds);
  const wasStreaming = driver.isStreaming;
  let unsubscribe: () => void = () => undefined;
  const strip = new Promise<EcgRecording>((resolve, reject) => {
    unsubscribe = driver.onEvent((event) => {
      const failure = event.type === 'status' && event.status === 'error' ? event.error : event.type === 'error' && event.error.code === 'timeout' ? event.error : undefined;
      if (failure) return reject(new DeviceError(failure.code, failure.detail));
      const progress = capture.push(event);
      if (progress.state === 'done') resolve(progress.recording);
      else if (progress.state === 'failed') reject(progress.error);
    });
  });
  strip.catch(() => undefined); // awaited below; a failure while the stream starts is not unhandled
  try {
    await driver.startStreaming();
    return await strip;
  } finally {
    unsubscribe();
    if (!wasStreaming && driver.isStreaming) await driver.stopStreaming().catch(() => undefined);
  }
}

/** One lead of the live stream by sample index, put back together from the ecg-samples blocks (holes where packets were lost). */
export function streamedLead(events: readonly DeviceEvent[], lead: string): Map<number, number> {
  const samples = new Map<number, number>();
  for (const event of events) if (event.type === 'ecg-samples') event.leads[lead]?.forEach((v, k) => samples.set(event.firstSampleIndex + k, v));
  return samples;
}
