/**
 * Demo community (演示数据): a county hospital, two township clinics, the county remote-ECG centre,
 * four users in each (nurse, doctor, cardiologist, admin) and three enrolled demo workstations: the
 * registration desk of 城关镇卫生院, the ECG centre's reading room and the county IT office. Idempotent: running it again changes
 * nothing. The credentials are public on purpose; never seed a production hub.
 */
import type { HubContext } from './context.ts';
import { hashPassword, hashSecret } from './auth/passwords.ts';
import type { Role } from './auth/tokens.ts';

export const DEMO_PASSWORD = 'demo1234';

export const demoInstitutions = [
  { id: 'county-hospital', kind: 'county_hospital', name: '县人民医院' },
  { id: 'chengguan', kind: 'township_clinic', name: '城关镇卫生院' },
  { id: 'hekou', kind: 'township_clinic', name: '河口乡卫生院' },
  { id: 'ecg-center', kind: 'ecg_center', name: '县远程心电诊断中心' },
] as const;

export type DemoInstitutionId = (typeof demoInstitutions)[number]['id'];

const demoUsers: { username: string; role: Role; displayName: string }[] = [
  { username: 'nurse', role: 'nurse', displayName: '护士' },
  { username: 'doctor', role: 'doctor', displayName: '医生' },
  { username: 'cardiologist', role: 'cardiologist', displayName: '心电医生' },
  { username: 'admin', role: 'administrator', displayName: '管理员' },
];

export const demoUserId = (institutionId: DemoInstitutionId, username: string) => `${institutionId}-${username}`;

export const demoWorkstations = [
  { id: 'ws-demo-chengguan', institutionId: 'chengguan', name: '城关镇卫生院 挂号台', credential: 'demo-workstation-credential-chengguan' },
  { id: 'ws-demo-ecg-center', institutionId: 'ecg-center', name: '心电中心 阅片室', credential: 'demo-workstation-credential-ecg-center' },
  { id: 'ws-demo-county', institutionId: 'county-hospital', name: '县人民医院 信息科', credential: 'demo-workstation-credential-county' },
] as const;

export async function seedDemo(ctx: HubContext): Promise<void> {
  const { db } = ctx;
  for (const inst of demoInstitutions) {
    await db.query('insert into institutions (id, kind, name) values ($1, $2, $3) on conflict (id) do nothing', [inst.id, inst.kind, inst.name]);
  }
  const existing = new Set((await db.query<{ id: string }>('select id from users')).rows.map((r) => r.id));
  const passwordHash = await hashPassword(DEMO_PASSWORD); // one hash for all: seeding stays fast
  for (const inst of demoInstitutions) {
    for (const user of demoUsers) {
      const id = demoUserId(inst.id, user.username);
      if (existing.has(id)) continue;
      await db.query(
        `insert into users (id, institution_id, username, display_name, role, password_hash) values ($1, $2, $3, $4, $5, $6)
         on conflict do nothing`,
        [id, inst.id, user.username, `${inst.name}${user.displayName}`, user.role, passwordHash],
      );
    }
  }
  for (const ws of demoWorkstations) {
    await db.query(
      `insert into workstations (id, institution_id, name, credential_hash, enrolled_at) values ($1, $2, $3, $4, now())
       on conflict (id) do nothing`,
      [ws.id, ws.institutionId, ws.name, hashSecret(ws.credential)],
    );
  }
}
