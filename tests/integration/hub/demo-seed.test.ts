/**
 * The demo community's prior results (issue 14 item 9): a clinic that registers 李德福 from the demo
 * card panel receives the county hospital's lipid panel and blood count, within their windows, so
 * the 互认 reminder shows on the first order; a second start neither duplicates nor moves a filed one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePatient } from '../../../core/records/builders.ts';
import { findQualifyingResult } from '../../../core/recognition/index.ts';
import { starterItemCatalog } from '../../../core/catalog/index.ts';
import { mod112CheckCharacter } from '../../../core/identity/index.ts';
import type { Result } from '../../../core/records/index.ts';
import { startHub, type StartedHub } from '../../../sync/hub/start.ts';
import { backends, type BackendStore } from './support/backends.ts';
import { demoWorkstation, login, type Session } from './support/client.ts';
import { insertRow, pullAll, pushOk } from './support/sync.ts';

const backend = backends.find((b) => b.name === 'pglite')!;

describe.runIf(backend.available)('the demo community’s prior results', () => {
  let store: BackendStore;
  let hub: StartedHub;
  let nurse: Session;

  beforeAll(async () => {
    store = await backend.createStore();
    hub = await startHub({ ...store.options, port: 0, demo: true, logLevel: 'silent' });
    nurse = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'nurse');
  });
  afterAll(async () => {
    await hub?.close();
    await store?.dispose();
  });

  it('files the county hospital’s results under a demo resident the moment a clinic registers them, within their windows', async () => {
    const idNumber = '64032419410909031' + mod112CheckCharacter('64032419410909031'); // 李德福 on the demo card panel
    expect((await pullAll(hub.url, nurse, 'results')).documents).toEqual([]);
    const patient = makePatient({ institutionId: 'chengguan', name: '李德福', idNumber, documentType: 'resident', birthDate: '1941-09-09', sex: '1' });
    await pushOk(hub.url, nurse, 'patients', [insertRow(patient)]);
    const results = (await pullAll(hub.url, nurse, 'results')).documents as unknown as Result[];
    expect(results.map((r) => [r.itemName, r.institutionId, r.patientId]).sort()).toEqual([
      ['血常规', 'county-hospital', patient.id],
      ['血脂四项', 'county-hospital', patient.id],
    ]);
    const catalog = starterItemCatalog();
    for (const code of ['LAB-LIPID', 'LAB-CBC']) {
      const item = catalog.items.find((i) => i.code === code)!;
      expect(findQualifyingResult(results, { item, patientIds: [patient.id], now: new Date() }), code).toBeDefined();
    }
  });

  it('does not hold a filed result again when the hub starts again', async () => {
    await hub.close();
    hub = await startHub({ ...store.options, port: 0, demo: true, logLevel: 'silent' });
    nurse = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'nurse');
    const { rows } = await hub.context.db.query<{ n: number }>(`select count(*)::int as n from held_results where result_id like 'demo-county-hospital-%lidefu'`);
    expect(rows[0]!.n).toBe(0);
    expect((await pullAll(hub.url, nurse, 'results')).documents).toHaveLength(2);
  });
});
