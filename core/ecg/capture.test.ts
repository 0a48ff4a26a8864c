import { describe, expect, it } from 'vitest';
import { standardLeads } from './recording.ts';
import { EcgCapture } from './capture.ts';
import { makeSampleBlocks } from './testing/ecg-events.ts';

describe('10-second capture from the live stream', () => {
  it('assembles exactly 10 s of all 12 leads, in standard order, from the blocks as they arrive', () => {
    const blocks = makeSampleBlocks({ seconds: 11, startIndex: 2000 });
    const capture = new EcgCapture(10, new Date('2026-11-23T02:00:00Z'));
    let progress = capture.progress;
    for (const block of blocks) progress = capture.push(block);
    expect(progress.state).toBe('done');
    if (progress.state !== 'done') return;
    const { recording } = progress;
    expect(recording.leads.map((l) => l.lead)).toEqual([...standardLeads]);
    expect(recording.leads.every((l) => l.samples.length === 5000)).toBe(true);
    expect(recording.sampleRateHz).toBe(500);
    expect(recording.startTime).toBe('2026-11-23T02:00:00.000Z');
    // The samples are the stream's, untouched: block 3's first aVF sample sits at 3 × 25.
    expect(recording.leads[5]!.samples[75]).toBe(blocks[3]!.leads.aVF![0]);
  });

  it('reports progress in samples while recording', () => {
    const capture = new EcgCapture(10);
    const [first] = makeSampleBlocks({ seconds: 1 });
    expect(capture.push(first!)).toEqual({ state: 'recording', samples: 25, needed: 5000 });
  });

  it('fails when a packet is lost mid-strip, instead of measuring across the gap', () => {
    const blocks = makeSampleBlocks({ seconds: 2 });
    const capture = new EcgCapture(10);
    capture.push(blocks[0]!);
    capture.push({ type: 'ecg-packets-lost', count: 3, atSampleIndex: 25 });
    const progress = capture.push(blocks[1]!);
    expect(progress.state === 'failed' && progress.error.code).toBe('packets-lost');
    expect(progress.state === 'failed' && progress.error.messageZh).toBe('采集中数据丢失，请重新采集');
  });

  it('fails when the stream skips ahead without a lost-packet event', () => {
    const blocks = makeSampleBlocks({ seconds: 2 });
    const capture = new EcgCapture(10);
    capture.push(blocks[0]!);
    expect(capture.push(blocks[2]!).state).toBe('failed');
  });

  it('fails when an electrode comes off during the strip', () => {
    const capture = new EcgCapture(10);
    capture.push(makeSampleBlocks({ seconds: 1 })[0]!);
    const progress = capture.push({ type: 'ecg-lead-off', electrodes: ['V3'] });
    expect(progress.state === 'failed' && progress.error.code).toBe('lead-off');
  });

  it('refuses a stream that lacks some of the 12 leads', () => {
    const [block] = makeSampleBlocks({ seconds: 1 });
    const { aVF: _dropped, ...eleven } = block!.leads;
    const progress = new EcgCapture(10).push({ ...block!, leads: eleven });
    expect(progress.state === 'failed' && progress.error.code).toBe('missing-lead');
  });
});
