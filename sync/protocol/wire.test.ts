import { describe, expect, it } from 'vitest';
import { makePatient } from '../../core/records/builders.ts';
import { errorBody, errorBodySchema, hubErrors } from './errors.ts';
import { sameDocumentState } from './documents.ts';
import { formatStreamEvent, paths, pullQuerySchema, pullResponseSchema, pushRequestSchema, streamEventSchema } from './wire.ts';

describe('wire types', () => {
  it('reads the pull checkpoint and limit from the query string, defaulting to the beginning', () => {
    expect(pullQuerySchema.parse({ checkpoint: '42', limit: '50' })).toEqual({ checkpoint: { tx: 0, seq: 42 }, limit: 50 });
    expect(pullQuerySchema.parse({})).toEqual({ checkpoint: { tx: 0, seq: 0 }, limit: 100 });
    expect(pullQuerySchema.safeParse({ checkpoint: '-1' }).success).toBe(false);
    expect(pullQuerySchema.safeParse({ limit: '5000' }).success).toBe(false);
  });

  it('builds the paths the hub routes', () => {
    expect(paths.pull('patients', { tx: 5, seq: 7 }, 100)).toBe('/sync/patients/pull?checkpoint=7&tx=5&limit=100');
    expect(paths.blobChunk('ab'.repeat(32), 262144)).toBe(`/blobs/${'ab'.repeat(32)}/chunks/262144`);
  });

  it('accepts a push of a valid patient and refuses one with an invalid record, naming the field', () => {
    const doc = { ...makePatient(), _deleted: false };
    expect(pushRequestSchema('patients').safeParse({ rows: [{ newDocumentState: doc, assumedMasterState: null }] }).success).toBe(true);
    const bad = pushRequestSchema('patients').safeParse({ rows: [{ newDocumentState: { ...doc, birthDate: '1980-13-01' } }] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['rows', 0, 'newDocumentState', 'birthDate']);
    expect(pushRequestSchema('patients').safeParse({ rows: [] }).success).toBe(false);
  });

  it('keeps _deleted on pulled documents so deletions replicate', () => {
    const doc = { ...makePatient(), _deleted: true };
    const parsed = pullResponseSchema('patients').parse({ documents: [doc], checkpoint: { seq: 3 } });
    expect(parsed.documents[0]!._deleted).toBe(true);
    expect(sameDocumentState(parsed.documents[0]!, doc)).toBe(true);
  });

  it('reads a checkpoint taken before the hub ordered by transaction as the position (0, seq)', () => {
    expect(pullResponseSchema('patients').parse({ documents: [], checkpoint: { seq: 3 } }).checkpoint).toEqual({ tx: 0, seq: 3 });
    expect(paths.pull('visits', { seq: 3 }, 100)).toBe('/sync/visits/pull?checkpoint=3&tx=0&limit=100');
    expect(paths.pull('visits', { tx: 9_000_000_123, seq: 41 }, 100)).toBe('/sync/visits/pull?checkpoint=41&tx=9000000123&limit=100');
    expect(pullQuerySchema.parse({ checkpoint: '41', tx: '9000000123' })).toEqual({ checkpoint: { tx: 9_000_000_123, seq: 41 }, limit: 100 });
    expect(pullQuerySchema.safeParse({ checkpoint: '41', tx: '-1' }).success).toBe(false);
  });

  it('writes and reads stream events, including RESYNC', () => {
    expect(formatStreamEvent({ collection: 'visits', checkpoint: { tx: 812, seq: 9 } })).toBe('data: {"collection":"visits","checkpoint":{"tx":812,"seq":9}}\n\n');
    expect(streamEventSchema.parse(JSON.parse('"RESYNC"'))).toBe('RESYNC');
    expect(streamEventSchema.safeParse({ collection: 'drafts', checkpoint: { seq: 1 } }).success).toBe(false);
  });

  it('gives every error a Chinese and an English message', () => {
    const body = errorBody('blob-offset-mismatch', { receivedBytes: 1024 });
    expect(errorBodySchema.parse(body).error).toMatchObject({ code: 'blob-offset-mismatch', messageZh: hubErrors['blob-offset-mismatch'].zh, details: { receivedBytes: 1024 } });
  });

  it('treats documents differing only in key order or RxDB bookkeeping as the same state', () => {
    const p = { ...makePatient(), _deleted: false };
    const reordered = Object.fromEntries(Object.entries(p).reverse());
    expect(sameDocumentState(p, { ...reordered, _rev: '1-abc', _meta: { lwt: 1 } })).toBe(true);
    expect(sameDocumentState(p, { ...p, phone: '1' })).toBe(false);
    expect(sameDocumentState(p, undefined)).toBe(false);
  });
});
