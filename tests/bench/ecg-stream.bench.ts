/**
 * ECG acquisition figures: `npx tsx tests/bench/ecg-stream.bench.ts`
 * 1. decode throughput of the CW-ECG8 framer + codec (packets/s; 1000 Hz needs 1000 packets/s);
 * 2. synthesizer speed (what the simulator generates ahead);
 * 3. a paced 10 s capture at 500 Hz over a real socat pty pair: wall time, lost packets (must be 0);
 * 4. SCP-ECG file transfer of a 10 s record over the same pty.
 */
import { SerialTransport } from '../../devices/transport/serial.ts';
import { synthesizeEcg } from '../../core/ecg/synthesis/synthesize.ts';
import { decodeSamplePacket, encodeSamplePacket } from '../../devices/ecg/codec.ts';
import { ecgFamily } from '../../devices/ecg/family.ts';
import { Cwecg8Framer } from '../../devices/ecg/framer.ts';
import { captureStrip, makeEcgRig } from '../../devices/ecg/test-rig.ts';
import { systemDependencies } from '../support/system-deps.ts';
import { startPtyPair } from '../integration/devices/pty-pair.ts';
import { figure } from './support/figures.ts';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
let failed = false;

// 1. Decode throughput -------------------------------------------------------------------------
{
  const { recording } = synthesizeEcg({ rhythm: 'normal-sinus', durationSeconds: 60, sampleRateHz: 1000, seed: 1 });
  const channels = ['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'].map((l) => recording.leads.find((x) => x.lead === l)!.samples);
  const count = channels[0]!.length;
  const stream = new Uint8Array(count * 30);
  for (let k = 0; k < count; k++) {
    stream.set(encodeSamplePacket({ counter: k & 0xff, leadOff: [], channels: Int32Array.from(channels, (c) => c[k]! * 10) }), k * 30);
  }
  for (const chunkSize of [64, 4096]) {
    const rounds = 3;
    let packets = 0;
    const started = performance.now();
    for (let r = 0; r < rounds; r++) {
      const framer = new Cwecg8Framer();
      for (let at = 0; at < stream.length; at += chunkSize) {
        for (const frame of framer.push(stream.subarray(at, at + chunkSize))) {
          if (frame instanceof Uint8Array) {
            decodeSamplePacket(frame);
            packets++;
          }
        }
      }
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`framer + codec, ${chunkSize}-byte reads: ${fmt(packets / seconds)} packets/s (${fmt(packets)} packets, ${(seconds * 1000).toFixed(0)} ms)`);
    figure({ name: `ECG framer + codec, ${chunkSize}-byte reads`, value: packets / seconds, unit: 'packets/s' });
    if (packets !== rounds * count) failed = true;
  }
}

// 2. Synthesizer --------------------------------------------------------------------------------
{
  const started = performance.now();
  synthesizeEcg({ rhythm: 'atrial-fibrillation', durationSeconds: 10, sampleRateHz: 500, seed: 2, noise: { baselineWander: 200, mains50Hz: 30, muscle: 15 } });
  console.log(`synthesizeEcg: 10 s, 12 leads, 500 Hz, AF with noise: ${(performance.now() - started).toFixed(1)} ms`);
}

// 3–4. Over a real pty pair ----------------------------------------------------------------------
if (!systemDependencies.socat.available()) {
  console.log(`pty capture: skipped (${systemDependencies.socat.installHint})`);
} else {
  const pair = await startPtyPair();
  const host = new SerialTransport(pair.hostPath, ecgFamily.defaultSerial);
  const device = new SerialTransport(pair.devicePath, ecgFamily.defaultSerial);
  const rig = await makeEcgRig({ host, device, simulator: { speed: 1 } });
  try {
    let lastChunk = 0;
    let worstGapMs = 0;
    host.onData(() => {
      const now = performance.now();
      if (lastChunk && rig.driver.isStreaming) worstGapMs = Math.max(worstGapMs, now - lastChunk);
      lastChunk = now;
    });
    const started = performance.now();
    const recording = await captureStrip(rig.driver, 10);
    const elapsed = performance.now() - started;
    const samples = recording.leads[0]!.samples.length;
    console.log(
      `paced capture over pty, 500 Hz: ${samples} samples × ${recording.leads.length} leads in ${(elapsed / 1000).toFixed(2)} s; ` +
        `lost packets ${rig.driver.lostPackets}; corrupt frames ${rig.driver.corruptFrames}; longest gap between reads ${worstGapMs.toFixed(1)} ms`,
    );
    figure({ name: 'paced 10 s capture over a pty: lost packets', value: rig.driver.lostPackets, unit: 'packets', target: { op: '<=', value: 0 } });
    if (rig.driver.lostPackets !== 0 || samples !== 5000) failed = true;

    const transferStarted = performance.now();
    const { bytes } = await rig.driver.receiveRecord();
    const transferSeconds = (performance.now() - transferStarted) / 1000;
    console.log(`SCP-ECG transfer over pty: ${fmt(bytes.length)} bytes in ${(transferSeconds * 1000).toFixed(0)} ms (${fmt(bytes.length / transferSeconds / 1024)} KiB/s; at 460800 baud a cart needs ≈${(bytes.length / 46080).toFixed(1)} s)`);
  } finally {
    await rig.close();
    await pair.dispose();
  }
}
process.exit(failed ? 1 : 0);
