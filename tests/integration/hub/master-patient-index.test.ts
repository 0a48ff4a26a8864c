/**
 * Master-patient index (主索引) on each store: one person registered at two clinics is merged into
 * one master whose empty fields are filled from the duplicate, field by field; an edit of the
 * duplicate later still reaches the master's blanks (never its filled fields); documents of
 * different kinds that share a number are two people; and migration 007 keys an existing index by
 * document type.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makePatient } from '../../../core/records/builders.ts';
import { openDatabase } from '../../../sync/hub/db/database.ts';
import { MIGRATIONS_DIR, migrate } from '../../../sync/hub/db/migrate.ts';
import { backends, startDemoHub, type DemoHub } from './support/backends.ts';
import { call, demoWorkstation, enrolWorkstation, login, type Session } from './support/client.ts';
import { insertRow, pullAll, pushOk, wire, type WireDoc } from './support/sync.ts';

const byId = (docs: WireDoc[], id: string) => docs.find((d) => d.id === id);

for (const backend of backends) {
  describe.runIf(backend.available)(`master-patient index on ${backend.name}`, () => {
    let hub: DemoHub;
    let chengguan: Session;
    let hekou: Session;

    beforeAll(async () => {
      hub = await startDemoHub(backend);
      const countyAdmin = await login(hub.url, demoWorkstation('ws-demo-county'), 'admin');
      chengguan = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'nurse');
      hekou = await login(hub.url, await enrolWorkstation(hub.url, countyAdmin, 'hekou'), 'nurse');
    }, 120_000); // a hub on a fresh store and scrypt logins, on a shared 2-core machine
    afterAll(() => hub?.close());

    it("fills the master's empty phone and insurance card from the duplicate, keeps its own address, and both clinics see it", async () => {
      const master = makePatient({ institutionId: 'chengguan', phone: '', insuranceCardNumber: '', address: '城关镇东街 1 号' });
      await pushOk(hub.url, chengguan, 'patients', [insertRow(master)]);
      const duplicate = makePatient({
        institutionId: 'hekou',
        idNumber: master.idNumber,
        name: master.name,
        birthDate: master.birthDate,
        sex: master.sex,
        phone: '13755556666',
        insuranceCardNumber: 'ZJ330100123456',
        address: '河口乡西村 9 号',
      });
      await pushOk(hub.url, hekou, 'patients', [insertRow(duplicate)]);

      for (const clinic of [chengguan, hekou]) {
        const docs = (await pullAll(hub.url, clinic, 'patients')).documents;
        expect(byId(docs, master.id)).toMatchObject({
          mergedInto: null,
          institutionId: 'chengguan',
          phone: '13755556666',
          insuranceCardNumber: 'ZJ330100123456',
          address: '城关镇东街 1 号', // the master's own value stands
          name: master.name,
        });
        expect(byId(docs, duplicate.id)).toMatchObject({ mergedInto: master.id, address: '河口乡西村 9 号' });
      }
      const cgAdmin = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'admin');
      const audit = await call(hub.url, 'GET', `/admin/audit?patientId=${master.id}&action=merge`, { token: cgAdmin.accessToken });
      expect(audit.body.entries).toContainEqual(
        expect.objectContaining({ action: 'merge', recordId: duplicate.id, detail: expect.objectContaining({ filledFields: ['phone', 'insuranceCardNumber'] }) }),
      );
      expect(JSON.stringify(audit.body)).not.toContain('13755556666'); // field names, never values
      // The master's trail includes what happened to the duplicate before the merge (河口 registering it).
      const trail = await call(hub.url, 'GET', `/admin/audit?patientId=${master.id}`, { token: cgAdmin.accessToken });
      expect(trail.body.entries).toContainEqual(expect.objectContaining({ action: 'create', recordId: duplicate.id, institutionId: 'hekou', patientId: duplicate.id }));
    });

    it("refills a blank the master still has when the duplicate's clinic adds it later, and never overwrites a filled field", async () => {
      const master = makePatient({ institutionId: 'chengguan', phone: '13600001111', address: '', nationCode: '' });
      await pushOk(hub.url, chengguan, 'patients', [insertRow(master)]);
      const duplicate = makePatient({ institutionId: 'hekou', idNumber: master.idNumber, phone: '', address: '', nationCode: '' });
      await pushOk(hub.url, hekou, 'patients', [insertRow(duplicate)]);
      const merged = byId((await pullAll(hub.url, hekou, 'patients')).documents, duplicate.id)!;
      expect(merged.mergedInto).toBe(master.id);

      // 河口's nurse adds the address and another phone number on her record of the patient.
      const edited = { ...merged, address: '河口乡南村 3 号', phone: '13899990000', nationCode: '03' };
      expect((await pushOk(hub.url, hekou, 'patients', [{ newDocumentState: edited, assumedMasterState: merged }])).conflicts).toEqual([]);
      const atChengguan = byId((await pullAll(hub.url, chengguan, 'patients')).documents, master.id);
      expect(atChengguan).toMatchObject({ address: '河口乡南村 3 号', nationCode: '03', phone: '13600001111' });
    });

    it('keeps a resident ID and a residence permit with the same number as two patients', async () => {
      const resident = makePatient({ institutionId: 'chengguan', documentType: 'resident' });
      const permit = makePatient({ institutionId: 'hekou', documentType: 'residence-permit', idNumber: resident.idNumber });
      await pushOk(hub.url, chengguan, 'patients', [insertRow(resident)]);
      await pushOk(hub.url, hekou, 'patients', [insertRow(permit)]);
      expect(byId((await pullAll(hub.url, hekou, 'patients')).documents, permit.id)).toEqual(wire(permit));
      expect(byId((await pullAll(hub.url, hekou, 'patients')).documents, resident.id)).toBeUndefined();
      const index = await hub.context.db.query<{ document_type: string; master_patient_id: string }>(
        'select document_type, master_patient_id from patient_master_index where id_number = $1 order by document_type',
        [resident.idNumber],
      );
      expect(index.rows).toEqual([
        { document_type: 'residence-permit', master_patient_id: permit.id },
        { document_type: 'resident', master_patient_id: resident.id },
      ]);
    });

    it('keys an index written before migration 007 by its master record’s document type', async () => {
      const old = await backend.createStore({ fresh: true });
      const dir = await mkdtemp(join(tmpdir(), 'hub-migrations-'));
      try {
        for (const file of await readdir(MIGRATIONS_DIR)) if (/^00[1-6]_/.test(file)) await cp(join(MIGRATIONS_DIR, file), join(dir, file));
        const db = await openDatabase(old.options);
        try {
          await migrate(db, `${dir}/`);
          const passport = makePatient({ documentType: 'passport', idNumber: 'E12345678' });
          await db.query(`insert into institutions (id, kind, name) values ('chengguan', 'township_clinic', '城关镇卫生院')`);
          await db.query(`insert into records (collection, id, doc, owner_institution_id, patient_id, seq) values ('patients', $1, $2, 'chengguan', $1, nextval('hub_change_seq'))`, [
            passport.id,
            passport,
          ]);
          await db.query('insert into patient_master_index (id_number, master_patient_id) values ($1, $2), ($3, $4)', ['E12345678', passport.id, '110101199003070011', 'gone']);
          await migrate(db);
          const { rows } = await db.query('select document_type, id_number, master_patient_id from patient_master_index order by id_number');
          expect(rows).toEqual([
            { document_type: 'resident', id_number: '110101199003070011', master_patient_id: 'gone' },
            { document_type: 'passport', id_number: 'E12345678', master_patient_id: passport.id },
          ]);
        } finally {
          await db.close();
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
        await old.dispose();
      }
    });
  });
}
