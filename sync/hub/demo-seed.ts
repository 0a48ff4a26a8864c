/**
 * Demo community (演示数据): a county hospital, two township clinics, the county remote-ECG centre,
 * four users in each (nurse, doctor, cardiologist, admin) and three enrolled demo workstations: the
 * registration desk of 城关镇卫生院, the ECG centre's reading room and the county IT office; and prior
 * results at the county hospital for two of the demo card's residents (demoPriorResults). Idempotent:
 * running it again changes nothing but the results' dates. The credentials are public on purpose; never seed a production hub.
 */
import type { HubContext } from './context.ts';
import { hashPassword, hashSecret } from './auth/passwords.ts';
import type { Role } from './auth/tokens.ts';
import { mod112CheckCharacter } from '../../core/identity/index.ts';
import { holdResult } from './recognition/held-results.ts';

export const DEMO_PASSWORD = 'demo1234';

export const demoInstitutions = [
  { id: 'county-hospital', kind: 'county_hospital', name: '县人民医院' },
  { id: 'chengguan', kind: 'township_clinic', name: '城关镇卫生院' },
  { id: 'hekou', kind: 'township_clinic', name: '河口乡卫生院' },
  { id: 'ecg-center', kind: 'ecg_center', name: '县远程心电诊断中心' },
] as const;

export type DemoInstitutionId = (typeof demoInstitutions)[number]['id'];

const demoUsers: { username: string; role: Role; roleName: string }[] = [
  { username: 'nurse', role: 'nurse', roleName: '护士' },
  { username: 'doctor', role: 'doctor', roleName: '医生' },
  { username: 'cardiologist', role: 'cardiologist', roleName: '心电医生' },
  { username: 'admin', role: 'administrator', roleName: '管理员' },
];

/**
 * The demo staff's names (invented), so the queue, the reports and the reminders read as they would
 * in a clinic: "王建军（医生）· 城关镇卫生院", not "城关镇卫生院医生（医生）".
 */
const demoStaffNames: Record<DemoInstitutionId, Record<(typeof demoUsers)[number]['username'], string>> = {
  'county-hospital': { nurse: '周敏', doctor: '陈立新', cardiologist: '郑文博', admin: '孙建华' },
  chengguan: { nurse: '李秀兰', doctor: '王建军', cardiologist: '刘志强', admin: '赵红梅' },
  hekou: { nurse: '杨丽', doctor: '张伟', cardiologist: '黄国平', admin: '吴涛' },
  'ecg-center': { nurse: '何静', doctor: '马晓东', cardiologist: '王心远', admin: '林海' },
};

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
      const displayName = demoStaffNames[inst.id][user.username]!;
      if (existing.has(id)) {
        // A demo hub seeded before the staff had names: rename, unless an administrator renamed them.
        await db.query('update users set display_name = $1 where id = $2 and display_name = $3', [displayName, id, `${inst.name}${user.roleName}`]);
        continue;
      }
      await db.query(
        `insert into users (id, institution_id, username, display_name, role, password_hash) values ($1, $2, $3, $4, $5, $6)
         on conflict do nothing`,
        [id, inst.id, user.username, displayName, user.role, passwordHash],
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
  await holdDemoPriorResults(ctx);
}

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

/**
 * Results the county hospital's lab "already has" for residents on the demo panel's sample cards
 * (devices/id-card/samples.ts: 李德福 and 阿依古丽·买买提), so the 互认 reminder shows on the first order
 * of 血脂四项 or 血常规 (issue 14 item 9). Held like any FHIR result for someone not yet registered and
 * filed when a clinic registers them (recognition/held-results.ts). Dated from each hub start, so they
 * stay within their validity windows. 张建国, the sample the E2E suites use, has none on purpose: those
 * suites post their own and count them.
 */
export const demoPriorResults = [
  {
    resultId: 'demo-county-hospital-lipid-lidefu',
    idNumber: '64032419410909031',
    itemCode: 'LAB-LIPID',
    itemName: '血脂四项',
    daysAgo: 12,
    values: [
      { code: 'TC', name: '总胆固醇', value: 6.4, unit: 'mmol/L', referenceRange: '2.8-5.2', flag: 'H' },
      { code: 'TG', name: '甘油三酯', value: 1.9, unit: 'mmol/L', referenceRange: '0.56-1.7', flag: 'H' },
      { code: 'HDL-C', name: '高密度脂蛋白胆固醇', value: 1.1, unit: 'mmol/L', referenceRange: '1.04-1.55', flag: '' },
      { code: 'LDL-C', name: '低密度脂蛋白胆固醇', value: 4.2, unit: 'mmol/L', referenceRange: '0-3.4', flag: 'H' },
    ],
  },
  {
    resultId: 'demo-county-hospital-cbc-lidefu',
    idNumber: '64032419410909031',
    itemCode: 'LAB-CBC',
    itemName: '血常规',
    daysAgo: 3,
    values: [
      { code: 'WBC', name: '白细胞计数', value: 6.1, unit: '10*9/L', referenceRange: '3.5-9.5', flag: '' },
      { code: 'HGB', name: '血红蛋白', value: 121, unit: 'g/L', referenceRange: '130-175', flag: 'L' },
      { code: 'PLT', name: '血小板计数', value: 212, unit: '10*9/L', referenceRange: '125-350', flag: '' },
    ],
  },
  {
    resultId: 'demo-county-hospital-cbc-ayigul',
    idNumber: '65312119921120046',
    itemCode: 'LAB-CBC',
    itemName: '血常规',
    daysAgo: 2,
    values: [
      { code: 'WBC', name: '白细胞计数', value: 7.4, unit: '10*9/L', referenceRange: '3.5-9.5', flag: '' },
      { code: 'HGB', name: '血红蛋白', value: 108, unit: 'g/L', referenceRange: '115-150', flag: 'L' },
      { code: 'PLT', name: '血小板计数', value: 260, unit: '10*9/L', referenceRange: '125-350', flag: '' },
    ],
  },
] as const;

async function holdDemoPriorResults(ctx: HubContext): Promise<void> {
  for (const r of demoPriorResults) {
    // Filed already (the patient was registered on an earlier run): leave the filed record alone.
    const filed = await ctx.db.query('select 1 from records where collection = $1 and id = $2', ['results', r.resultId]);
    if (filed.rowCount) continue;
    const performedAt = daysAgo(r.daysAgo);
    await holdResult(
      ctx.db,
      { kind: 'resident-id', value: r.idNumber + mod112CheckCharacter(r.idNumber) },
      {
        id: r.resultId,
        institutionId: 'county-hospital',
        updatedAt: new Date().toISOString(),
        patientId: 'held',
        orderId: null,
        itemCode: r.itemCode,
        itemName: r.itemName,
        performedAt,
        values: r.values.map((v) => ({ ...v })),
        reportText: '',
        hrMark: true,
        _deleted: false,
      },
      demoUserId('county-hospital', 'doctor'),
    );
  }
}
