/**
 * The patient-index screen's client (renderer/admin/patient-index, services/admin) against a real hub: a card-read
 * duplicate registration from another clinic reaches the county administrator's queue in the shared
 * schema with who reported it; accepting updates the master, rejecting leaves it; a clinic
 * administrator is refused with a message and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePatient } from '../../../core/records/builders.ts';
import { SyncError } from '../../../sync/client/hub-http.ts';
import { hubDiscrepancySource } from '../../../services/admin/discrepancies-client.ts';
import { backends, startDemoHub, type DemoHub } from './support/backends.ts';
import { demoWorkstation, enrolWorkstation, login, type Session } from './support/client.ts';
import { insertRow, pullAll, pushOk } from './support/sync.ts';

for (const backend of backends) {
  describe.runIf(backend.available)(`the patient-index queue on ${backend.name}`, () => {
    let hub: DemoHub;
    let countyAdmin: Session, adminA: Session, nurseA: Session, nurseB: Session;

    beforeAll(async () => {
      hub = await startDemoHub(backend, { settings: { loginAttemptsPerMinute: 100 } });
      countyAdmin = await login(hub.url, demoWorkstation('ws-demo-county'), 'admin');
      const wsA = demoWorkstation('ws-demo-chengguan');
      [nurseA, adminA] = [await login(hub.url, wsA, 'nurse'), await login(hub.url, wsA, 'admin')];
      nurseB = await login(hub.url, await enrolWorkstation(hub.url, countyAdmin, 'hekou'), 'nurse');
    });
    afterAll(() => hub?.close());

    const source = (session: Session) => hubDiscrepancySource({ hubUrl: hub.url, getToken: () => session.accessToken });

    it('shows a card-read discrepancy with its reporter; accepting updates the master, rejecting keeps it', async () => {
      const [accepted, rejected] = [makePatient({ institutionId: 'chengguan', name: '赵秀英' }), makePatient({ institutionId: 'chengguan', name: '王伟' })];
      await pushOk(hub.url, nurseA, 'patients', [insertRow(accepted), insertRow(rejected)]);
      const fromCard = makePatient({ institutionId: 'hekou', idNumber: accepted.idNumber, name: '赵秀瑛', sex: accepted.sex, birthDate: accepted.birthDate });
      const typed = makePatient({ institutionId: 'hekou', idNumber: rejected.idNumber, name: '王玮', sex: rejected.sex, birthDate: rejected.birthDate });
      // The push row of a card-read registration says so (sync/protocol/wire.ts pushRowSchema).
      const cardReadRow = { ...insertRow(fromCard), registration: 'card-read' as const };
      await pushOk(hub.url, nurseB, 'patients', [cardReadRow, insertRow(typed)]);

      const queue = await source(countyAdmin).open();
      const forAccepted = queue.find((d) => d.masterPatientId === accepted.id)!;
      expect(forAccepted).toMatchObject({
        patientName: '赵秀英',
        registration: 'card-read',
        reportedByInstitution: 'hekou',
        reportedByInstitutionName: '河口乡卫生院',
        reportedByUser: nurseB.userId,
        current: { name: '赵秀英' },
        proposed: { name: '赵秀瑛' },
      });
      expect(forAccepted.reportedByUserName).toBeTruthy();
      const forRejected = queue.find((d) => d.masterPatientId === rejected.id)!;
      expect(forRejected.registration).toBe('hand-typed');

      expect(await source(countyAdmin).resolve(forAccepted.id, 'accepted')).toMatchObject({ resolution: 'accepted' });
      expect(await source(countyAdmin).resolve(forRejected.id, 'rejected')).toMatchObject({ resolution: 'rejected' });
      const seen = (await pullAll(hub.url, nurseA, 'patients')).documents;
      expect(seen.find((d) => d.id === accepted.id)).toMatchObject({ name: '赵秀瑛' });
      expect(seen.find((d) => d.id === rejected.id)).toMatchObject({ name: '王伟' });
      expect((await source(countyAdmin).open()).map((d) => d.id)).not.toContain(forAccepted.id);
    });

    it("refuses a clinic administrator with the hub's bilingual message", async () => {
      const refusal = await source(adminA).open().catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(SyncError);
      expect(refusal).toMatchObject({ status: 403, messageZh: '患者主索引由县级管理员维护' });
    });
  });
}
