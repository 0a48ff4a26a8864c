import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import type { DeviceEvent } from '../../core/contract/workstation-api.ts';
import type { EcgRecording } from '../../core/ecg/recording.ts';
import { synthesizeEcg } from '../../core/ecg/synthesis/synthesize.ts';
import { crc16 } from './codec.ts';
import { probeEcgDevice } from './family.ts';
import { EcgDriver } from './driver.ts';
import { EcgSimulator } from './simulator.ts';
import { captureStrip, expectedStream, makeEcgRig, streamedLead, type EcgRig } from './test-rig.ts';
import { createMemoryPair } from '../transport/memory.ts';

let rig: EcgRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const leadsOf = (r: EcgRecording) => Object.fromEntries(r.leads.map((l) => [l.lead, Array.from(l.samples)]));
const ofType = <T extends DeviceEvent['type']>(events: DeviceEvent[], type: T) =>
  events.filter((e): e is Extract<DeviceEvent, { type: T }> => e.type === type);
const errorCodes = (events: DeviceEvent[]) => ofType(events, 'error').map((e) => e.error.code);
/** Streams until the live view has shown `count` samples. */
const streamSamples = async (r: EcgRig, count: number) => {
  await r.driver.start();
  await vi.waitFor(() => expect(Math.max(0, ...ofType(r.events, 'ecg-samples').map((b) => b.firstSampleIndex + b.leads.II!.length))).toBeGreaterThanOrEqual(count), { timeout: 10_000 });
  await r.driver.stop();
};

/** Reads SCP-ECG section 6 (encoding 0) of a record: the samples per lead, for checking a transfer. */
function scpRhythmSamples(bytes: Uint8Array): number[][] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const section0 = 6;
  for (let p = section0 + 16; p < section0 + 16 + 120; p += 10) {
    if (view.getUint16(p, true) !== 6) continue;
    const start = view.getUint32(p + 6, true) - 1 + 16;
    const sectionLength = view.getUint32(p + 2, true);
    const leads = (sectionLength - 16 - 6) / 2; // upper bound; the counts follow
    const counts: number[] = [];
    let at = start + 6;
    for (let l = 0; l < 12 && l < leads; l++, at += 2) counts.push(view.getUint16(at, true));
    return counts.map((count) => {
      const samples = Array.from({ length: count / 2 }, (_, k) => view.getInt16(at + 2 * k, true));
      at += count;
      return samples;
    });
  }
  throw new Error('no section 6');
}

describe('ECG driver ↔ simulator: streaming', () => {
  it('streams all 12 leads from which the app captures 2 s, sample for sample what the front end measured', async () => {
    rig = await makeEcgRig({ chunkSize: 37 });
    const recording = await captureStrip(rig.driver, 2);
    expect(recording.sampleRateHz).toBe(500);
    expect(recording.resolutionUv).toBe(1);
    expect(recording.leads.map((l) => l.lead)).toEqual(['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    expect(leadsOf(recording)).toEqual(leadsOf(expectedStream({ sampleRateHz: 500, seconds: 2 })));
    expect(rig.driver.deviceInfo).toMatchObject({ manufacturer: 'Clinic Workstation', serialNumber: 'SIM00000001' });
  });

  it.each([250, 1000])('switches the front end to %i Hz before recording', async (rate) => {
    rig = await makeEcgRig({ driver: { sampleRateHz: rate }, chunkSize: 64 });
    const recording = await captureStrip(rig.driver, 1);
    expect(rig.driver.deviceInfo?.sampleRateHz).toBe(rate);
    expect(leadsOf(recording)).toEqual(leadsOf(expectedStream({ sampleRateHz: rate, seconds: 1 })));
  });

  it('streams live blocks of 12 leads with contiguous sample indices while started', async () => {
    rig = await makeEcgRig({ driver: { blockSamples: 25 } });
    await rig.driver.start();
    while (ofType(rig.events, 'ecg-samples').length < 20) await new Promise((r) => setTimeout(r, 5));
    await rig.driver.stop();
    const blocks = ofType(rig.events, 'ecg-samples').slice(0, 20);
    blocks.forEach((b, i) => expect(b.firstSampleIndex).toBe(i * 25));
    expect(Object.keys(blocks[0]!.leads)).toHaveLength(12);
    const expected = expectedStream({ sampleRateHz: 500, seconds: 1 });
    expect(blocks.flatMap((b) => b.leads.V2!)).toEqual(Array.from(expected.leads.find((l) => l.lead === 'V2')!.samples.slice(0, 500)));
    expect(rig.events.some((e) => e.type === 'status' && e.status === 'reading')).toBe(true);
  });

  it('records a strip while the live view runs, and the live view keeps running', async () => {
    rig = await makeEcgRig({ driver: { blockSamples: 50 } });
    await rig.driver.start();
    while (ofType(rig.events, 'ecg-samples').length < 4) await new Promise((r) => setTimeout(r, 2));
    const recording = await captureStrip(rig.driver, 1);
    expect(rig.driver.isStreaming).toBe(true);
    // The strip is the live stream from some sample on: find it in the source and compare.
    const source = expectedStream({ sampleRateHz: 500, seconds: 20 });
    const first = Array.from(source.leads[1]!.samples).findIndex((_, k) =>
      recording.leads[1]!.samples.every((v, j) => v === source.leads[1]!.samples[k + j]),
    );
    expect(first).toBeGreaterThanOrEqual(200);
    expect(leadsOf(recording)).toEqual(
      Object.fromEntries(source.leads.map((l) => [l.lead, Array.from(l.samples.slice(first, first + 500))])),
    );
    await rig.driver.stop();
  });

  it('turns random bytes on the line into error events, never an exception', async () => {
    rig = await makeEcgRig();
    await rig.driver.connect();
    const host = rig.pair!.host;
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 100 }), { maxLength: 10 }), fc.boolean(), (chunks, withStart) => {
        for (const chunk of chunks) host.deliver(withStart && chunk.length > 0 ? Uint8Array.of(0xa1, ...chunk, 0xc0) : chunk);
      }),
      { numRuns: 300 },
    );
    expect(errorCodes(rig.events).every((c) => c === 'bad-checksum' || c === 'bad-frame')).toBe(true);
    expect(rig.driver.deviceInfo?.channelCount).toBe(8); // and it still talks to the device
    expect((await captureStrip(rig.driver, 0.2)).leads).toHaveLength(12);
  });

  it('takes over a front end still streaming from an earlier session and changes its rate', async () => {
    rig = await makeEcgRig();
    await rig.driver.start(); // the earlier session, at 500 Hz, never stopped
    rig.driver.dispose();
    const restarted = new EcgDriver(rig.pair!.host, { sampleRateHz: 1000, commandTimeoutMs: 5_000 });
    const recording = await captureStrip(restarted, 0.5);
    expect(recording.sampleRateHz).toBe(1000);
    expect(leadsOf(recording)).toEqual(leadsOf(expectedStream({ sampleRateHz: 1000, seconds: 0.5 })));
    restarted.dispose();
  });

  it('reads through line garbage before every frame without losing a sample', async () => {
    rig = await makeEcgRig({ simulator: { faults: ['garbage-before-preamble'] }, chunkSize: 13 });
    const recording = await captureStrip(rig.driver, 1);
    expect(leadsOf(recording)).toEqual(leadsOf(expectedStream({ sampleRateHz: 500, seconds: 1 })));
    expect(rig.driver.lostPackets).toBe(0);
  });

  it('reports dropped packets where they were due, and the app refuses the strip', async () => {
    rig = await makeEcgRig({ simulator: { faults: ['dropped-packets'], faultEvery: 100 } });
    await expect(captureStrip(rig.driver, 1)).rejects.toMatchObject({ code: 'packets-lost', messageZh: '采集中数据丢失，请重新采集' });
    expect(ofType(rig.events, 'ecg-packets-lost')[0]).toEqual({ type: 'ecg-packets-lost', count: 1, atSampleIndex: 99 });
  });

  it('keeps the timeline across lost packets: each is reported where it was due, every sample that arrived is at its own index', async () => {
    rig = await makeEcgRig({ simulator: { faults: ['dropped-packets'], faultEvery: 100 } });
    await streamSamples(rig, 500);
    const lost = ofType(rig.events, 'ecg-packets-lost');
    expect(lost.slice(0, 4)).toEqual([99, 199, 299, 399].map((at) => ({ type: 'ecg-packets-lost', count: 1, atSampleIndex: at })));
    const got = streamedLead(rig.events, 'I');
    const want = expectedStream({ sampleRateHz: 500, seconds: 1 }).leads[0]!.samples;
    for (let k = 0; k < 500; k++) expect(got.get(k)).toBe((k + 1) % 100 === 0 ? undefined : want[k]);
  });

  it('reports a corrupted packet as a checksum error and a lost packet, then carries on', async () => {
    rig = await makeEcgRig({ simulator: { faults: ['bad-checksum'], faultEvery: 50 } });
    await streamSamples(rig, 500);
    expect(streamedLead(rig.events, 'I').size).toBeGreaterThanOrEqual(490);
    expect(errorCodes(rig.events).filter((c) => c === 'bad-checksum').length).toBeGreaterThanOrEqual(9);
    expect(ofType(rig.events, 'ecg-packets-lost')[0]).toEqual({ type: 'ecg-packets-lost', count: 1, atSampleIndex: 49 });
  });

  it('resynchronises after a truncated packet and loses only that packet', async () => {
    rig = await makeEcgRig({ simulator: { faults: ['truncated'], faultEvery: 50 }, chunkSize: 29 });
    await streamSamples(rig, 500);
    const want = expectedStream({ sampleRateHz: 500, seconds: 1 }).leads[6]!.samples;
    const got = streamedLead(rig.events, 'V1');
    for (let k = 0; k < 500; k++) if ((k + 1) % 50 !== 0) expect(got.get(k)).toBe(want[k]);
    expect(rig.driver.lostPackets).toBeGreaterThanOrEqual(10);
  });

  it('tells which electrode is off, and the app refuses the strip', async () => {
    rig = await makeEcgRig({ simulator: { faults: ['lead-off'], leadOffElectrodes: ['LA', 'V3'] } });
    await expect(captureStrip(rig.driver, 0.5)).rejects.toMatchObject({ code: 'lead-off' });
    expect(ofType(rig.events, 'ecg-lead-off')[0]).toEqual({ type: 'ecg-lead-off', electrodes: ['LA', 'V3'] });
  });

  it('fails the capture with "unplugged" when the cable comes out mid-packet', async () => {
    rig = await makeEcgRig({ simulator: { faults: ['unplugged-mid-frame'], unplugAfter: 200 } });
    await expect(captureStrip(rig.driver, 2)).rejects.toMatchObject({ code: 'unplugged' });
    expect(rig.events.some((e) => e.type === 'status' && e.status === 'error' && e.error?.code === 'unplugged')).toBe(true);
  });

  it('streams again by itself once a pulled cable is plugged back in, until stopped', async () => {
    rig = await makeEcgRig({ driver: { reconnectIntervalMs: 20, reconnectMaxMs: 40 } });
    await rig.driver.start();
    while (ofType(rig.events, 'ecg-samples').length < 2) await new Promise((r) => setTimeout(r, 5));
    rig.pair!.unplug();
    await vi.waitFor(() => expect(rig!.events.some((e) => e.type === 'status' && e.status === 'error' && e.error?.code === 'unplugged')).toBe(true), { timeout: 5000 });
    const before = rig.events.length;
    await rig.simulator.start(); // the cart's end of the cable is back
    await vi.waitFor(() => {
      const after = rig!.events.slice(before);
      expect(after.some((e) => e.type === 'status' && e.status === 'reading')).toBe(true);
      expect(ofType(after, 'ecg-samples').length).toBeGreaterThan(2);
    }, { timeout: 10_000 });
    expect(rig.driver.isStreaming).toBe(true);
    await rig.driver.stop();
    expect(rig.driver.isStreaming).toBe(false);
  });

  it('times out with a typed error when the device never answers', async () => {
    rig = await makeEcgRig({ simulator: { faults: ['silent'] }, driver: { commandTimeoutMs: 150 } });
    await expect(rig.driver.start()).rejects.toMatchObject({ code: 'timeout' });
    expect(rig.events.at(-1)).toMatchObject({ type: 'status', status: 'error' });
  });

  it('takes its sample rate from a device assignment and refuses one the front end cannot do', async () => {
    const pair = createMemoryPair();
    const fromForm = new EcgDriver(pair.host, { sampleRateHz: '1000' as unknown as number });
    expect(fromForm.options.sampleRateHz).toBe(1000);
    expect(() => new EcgDriver(pair.host, { sampleRateHz: 360 })).toThrow(expect.objectContaining({ code: 'not-configured' }));
    expect(() => new EcgDriver(pair.host, { resolutionUv: -1 })).toThrow(expect.objectContaining({ code: 'not-configured' }));
  });

  it('probes a CW-ECG8 device with the info query and ignores a silent port', async () => {
    const live = createMemoryPair({ chunkSize: 5 });
    const sim = new EcgSimulator(live.device);
    await sim.start();
    expect(await probeEcgDevice(live.host, 300)).toBe(true);
    await sim.stop();
    const silent = createMemoryPair();
    await silent.device.open();
    expect(await probeEcgDevice(silent.host, 100)).toBe(false);
  });
});

describe('ECG driver ↔ simulator: SCP-ECG file transfer', () => {
  const storedRecord = () => synthesizeEcg({ rhythm: 'st-elevation-anterior', durationSeconds: 2, sampleRateHz: 500, seed: 5 }).recording;
  const checkWhole = (bytes: Uint8Array, record: EcgRecording) => {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(view.getUint32(2, true)).toBe(bytes.length);
    expect(view.getUint16(0, true)).toBe(crc16(bytes, 2)); // the record's own CRC over byte 2 to the end
    expect(scpRhythmSamples(bytes)).toEqual(record.leads.map((l) => Array.from(l.samples)));
  };

  it('receives a whole SCP-ECG record the cart holds, block by block', async () => {
    const record = storedRecord();
    rig = await makeEcgRig({ simulator: { storedRecord: record }, chunkSize: 100 });
    const received = await rig.driver.receiveRecord();
    expect(received.format).toBe('scp-ecg');
    checkWhole(received.bytes, record);
    expect(leadsOf(received.recording)).toEqual(leadsOf(record)); // decoded by core/ecg/formats readScpEcg
    expect(received.recording.sampleRateHz).toBe(500);
  });

  it('gets corrupted blocks sent again and still delivers the exact file', async () => {
    const record = storedRecord();
    rig = await makeEcgRig({ simulator: { storedRecord: record, faults: ['bad-checksum'] } });
    const received = await rig.driver.receiveRecord();
    checkWhole(received.bytes, record);
    expect(errorCodes(rig.events)).toContain('bad-checksum');
  });

  it('gets truncated blocks sent again after the sender times out', async () => {
    const record = storedRecord();
    rig = await makeEcgRig({ simulator: { storedRecord: record, faults: ['truncated'], retransmitTimeoutMs: 60 } });
    const received = await rig.driver.receiveRecord();
    checkWhole(received.bytes, record);
  });

  it('reads a transfer with garbage before every frame', async () => {
    const record = storedRecord();
    rig = await makeEcgRig({ simulator: { storedRecord: record, faults: ['garbage-before-preamble'] }, chunkSize: 7 });
    checkWhole((await rig.driver.receiveRecord()).bytes, record);
  });

  it('delivers nothing and says so when the cart cancels mid-transfer', async () => {
    rig = await makeEcgRig({ simulator: { storedRecord: storedRecord(), cancelTransferAtBlock: 5 } });
    await expect(rig.driver.receiveRecord()).rejects.toMatchObject({
      code: 'ecg-transfer-aborted',
      messageZh: '心电文件传输中断，未保存任何数据，请重新发送',
    });
    expect(ofType(rig.events, 'ecg-record-received')).toHaveLength(0);
  });

  it('delivers nothing when the cable comes out mid-block', async () => {
    rig = await makeEcgRig({ simulator: { storedRecord: storedRecord(), faults: ['unplugged-mid-frame'], unplugAfter: 3 } });
    await expect(rig.driver.receiveRecord()).rejects.toMatchObject({ code: 'unplugged' });
  });

  it('aborts with a clear error when the cart stops sending', async () => {
    rig = await makeEcgRig({ simulator: { storedRecord: storedRecord(), faults: ['silent'] }, driver: { commandTimeoutMs: 100 } });
    await expect(rig.driver.receiveRecord()).rejects.toMatchObject({ code: 'timeout' });
  });

  it('says the cart holds no record', async () => {
    rig = await makeEcgRig({ simulator: { storedRecord: null } });
    await expect(rig.driver.receiveRecord()).rejects.toMatchObject({ code: 'device-status', detail: 'request-record refused: no-record' });
  });

  it('refuses a file that arrives intact but is not an SCP-ECG record', async () => {
    rig = await makeEcgRig();
    await rig.driver.connect();
    const refused = expect(rig.driver.receiveRecord({ request: false })).rejects.toMatchObject({ code: 'ecg-transfer-failed' });
    await rig.simulator.sendFile(Uint8Array.from({ length: 3000 }, (_, i) => (i * 13) & 0xff));
    await refused;
  });

  it('announces a record the cart pushes on its own', async () => {
    const record = storedRecord();
    rig = await makeEcgRig({ simulator: { storedRecord: record } });
    await rig.driver.connect();
    await rig.simulator.sendRecord(record);
    await new Promise((r) => setTimeout(r, 20));
    const [event] = ofType(rig.events, 'ecg-record-received');
    expect(event).toBeDefined();
    checkWhole(Uint8Array.from(Buffer.from(event!.base64, 'base64')), record);
    expect(event!.byteLength).toBe(Buffer.from(event!.base64, 'base64').length);
  });
});
