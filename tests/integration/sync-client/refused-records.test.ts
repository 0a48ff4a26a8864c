/**
 * One record the hub refuses among a hundred good ones, against the real hub (embedded PGlite, demo
 * community): 城关's workstation writes 100 visits of its own patient and one visit of a patient
 * registered at 河口 (the hub answers 403 and names the row). The 100 arrive, the one is listed as
 * needing attention with the hub's words in Chinese and English, later visits keep flowing, the list
 * and the exclusion survive a reload, and an edit sends the record again. With a hub that names no
 * row (details stripped on the way), the client finds the refused record by halving the batch.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { makePatient, makeVisit } from '../../../core/records/builders.ts';
import type { Visit } from '../../../core/records/index.ts';
import { createLocalDatabase, memoryStorage, type LocalDatabase } from '../../../sync/client/database.ts';
import { getRecord, saveRecord, saveRecords } from '../../../sync/client/records.ts';
import { startReplication, type SyncController } from '../../../sync/client/replication.ts';
import type { Writer } from '../../../sync/protocol/index.ts';
import type { StartedHub } from '../../../sync/hub/start.ts';
import { startTestHub } from '../../support/pglite-template.ts';
import { demoWorkstation, enrolWorkstation, login, type Session } from '../hub/support/client.ts';
import { pullAll, pushOk, insertRow } from '../hub/support/sync.ts';

const writer: Writer = { institutionId: 'chengguan', role: 'clinic' };

let hub: StartedHub;
let nurse: Session;
let hekouPatientId: string;
const open: { db: LocalDatabase; sync?: SyncController }[] = [];

beforeAll(async () => {
  hub = await startTestHub({ port: 0, demo: true, logLevel: 'silent' });
  const countyAdmin = await login(hub.url, demoWorkstation('ws-demo-county'), 'admin');
  nurse = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'nurse');
  const hekou = await login(hub.url, await enrolWorkstation(hub.url, countyAdmin, 'hekou'), 'nurse');
  const hekouPatient = makePatient({ institutionId: 'hekou', name: '河口患者' });
  await pushOk(hub.url, hekou, 'patients', [insertRow(hekouPatient)]);
  hekouPatientId = hekouPatient.id;
}, 120_000);
afterEach(async () => {
  for (const ws of open.splice(0)) {
    await ws.sync?.stop();
    await ws.db.close();
  }
});
afterAll(async () => {
  await hub?.close();
});

/** Records the push bodies, and can strip `details` from the hub's refusals (a hub that names no row). */
const recordingFetch = (pushedIds: string[], { stripDetails = false } = {}): typeof fetch => async (input, init) => {
  const url = String(input);
  if (url.includes('/push') && typeof init?.body === 'string') {
    for (const row of (JSON.parse(init.body) as { rows: { newDocumentState: { id: string } }[] }).rows) pushedIds.push(row.newDocumentState.id);
  }
  const response = await fetch(input, init);
  if (!stripDetails || response.ok) return response;
  const body = (await response.json()) as { error: Record<string, unknown> };
  delete body.error.details;
  return new Response(JSON.stringify(body), { status: response.status, headers: { 'content-type': 'application/json' } });
};

const openWorkstation = async (name: string, storage = memoryStorage(), fetchImpl?: typeof fetch) => {
  const db = await createLocalDatabase({ name, storage, writer, devMode: true });
  const sync = await startReplication({
    db,
    writer,
    hubUrl: hub.url,
    getToken: () => nurse.accessToken,
    retry: { initialMs: 50, maxMs: 500 },
    liveStream: false,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  const ws = { db, sync };
  open.push(ws);
  return ws;
};

const hubVisitIds = async () => new Set((await pullAll(hub.url, nurse, 'visits')).documents.map((d) => d.id));

/** A registered 城关 patient with 100 visits, and one visit of 河口's patient among them. */
const writeHundredAndOne = async (db: LocalDatabase, sync: SyncController) => {
  const patient = await saveRecord(db, 'patients', makePatient({ institutionId: 'chengguan' }), { writer });
  await vi.waitFor(() => expect(sync.status.pendingChanges).toBe(0), { timeout: 20_000 });
  const good = Array.from({ length: 100 }, () => makeVisit({ institutionId: 'chengguan', patientId: patient.id }));
  const bad = makeVisit({ institutionId: 'chengguan', patientId: hekouPatientId, complaint: '胸闷' });
  await saveRecords(db, 'visits', [...good.slice(0, 37), bad, ...good.slice(37)], { writer });
  return { patient, good, bad };
};

describe('a record the hub refuses', () => {
  it('is set aside with the hub\'s words while the other 100 arrive and later records keep flowing; it stays out after a reload and goes up once edited', async () => {
    const storage = memoryStorage();
    const pushed: string[] = [];
    const first = await openWorkstation('refused-one', storage, recordingFetch(pushed));
    const { patient, good, bad } = await writeHundredAndOne(first.db, first.sync);

    await vi.waitFor(() => expect(first.sync.status.needsAttention.map((r) => r.id)).toEqual([bad.id]), { timeout: 20_000 });
    await vi.waitFor(() => expect(first.sync.status).toMatchObject({ pendingChanges: 0, state: 'idle', error: null }), { timeout: 20_000 });
    const onHub = await hubVisitIds();
    expect(good.every((v) => onHub.has(v.id))).toBe(true);
    expect(onHub.has(bad.id)).toBe(false);
    const [refused] = first.sync.status.needsAttention;
    expect(refused).toMatchObject({ collection: 'visits', id: bad.id, code: 'forbidden', status: 403 });
    expect(refused!.messageZh).toContain('该患者不属于本机构');
    expect(refused!.message).toContain('belongs to another institution');
    // The record is still on this PC, untouched: only the hub refused it.
    expect(await getRecord(first.db, 'visits', bad.id)).toMatchObject({ complaint: '胸闷', patientId: hekouPatientId });

    // The collection keeps flowing: a visit written after the refusal goes up at once.
    const later = await saveRecord(first.db, 'visits', makeVisit({ institutionId: 'chengguan', patientId: patient.id }), { writer });
    await vi.waitFor(async () => expect((await hubVisitIds()).has(later.id)).toBe(true), { timeout: 20_000 });
    expect(first.sync.status.needsAttention).toHaveLength(1);

    // Reload: the list is still there, and the refused record is not sent again.
    await first.sync.stop();
    await first.db.close();
    open.splice(0);
    pushed.length = 0;
    const second = await openWorkstation('refused-one', storage, recordingFetch(pushed));
    expect(second.sync.status.needsAttention.map((r) => r.id)).toEqual([bad.id]);
    await second.sync.syncNow();
    expect(second.sync.status.pendingChanges).toBe(0);
    expect(pushed).not.toContain(bad.id);

    // The nurse corrects the visit (it was this clinic's own patient): it is sent and leaves the list.
    const current = (await getRecord(second.db, 'visits', bad.id)) as Visit;
    await saveRecord(second.db, 'visits', { ...current, patientId: patient.id }, { writer });
    await vi.waitFor(async () => expect((await hubVisitIds()).has(bad.id)).toBe(true), { timeout: 20_000 });
    await vi.waitFor(() => expect(second.sync.status.needsAttention).toEqual([]), { timeout: 20_000 });
    expect(second.sync.status.pendingChanges).toBe(0);
  });

  it('is found by halving the batch when the hub does not name it, and a retry unchanged is refused again', async () => {
    const pushed: string[] = [];
    const ws = await openWorkstation('refused-unnamed', memoryStorage(), recordingFetch(pushed, { stripDetails: true }));
    const { good, bad } = await writeHundredAndOne(ws.db, ws.sync);

    await vi.waitFor(() => expect(ws.sync.status.needsAttention.map((r) => r.id)).toEqual([bad.id]), { timeout: 30_000 });
    await vi.waitFor(() => expect(ws.sync.status).toMatchObject({ pendingChanges: 0, state: 'idle' }), { timeout: 20_000 });
    const onHub = await hubVisitIds();
    expect(good.every((v) => onHub.has(v.id))).toBe(true);
    expect(onHub.has(bad.id)).toBe(false);
    expect(ws.sync.status.needsAttention[0]).toMatchObject({ code: 'forbidden', status: 403 });

    // "Retry" sends it unchanged; the hub still refuses, so it is listed again (with a new time).
    const before = ws.sync.status.needsAttention[0]!.refusedAt;
    pushed.length = 0;
    await ws.sync.retry('visits', bad.id);
    await vi.waitFor(() => expect(ws.sync.status.needsAttention[0]?.refusedAt).not.toBe(before), { timeout: 20_000 });
    expect(pushed).toContain(bad.id);
    expect(ws.sync.status.needsAttention.map((r) => r.id)).toEqual([bad.id]);
    expect((await hubVisitIds()).has(bad.id)).toBe(false);
  });
});
