/**
 * Builders for test data: a valid record with sensible defaults, overridden field by field.
 * `makePatient({ name: '张三' })`. Names, ID numbers and phones are generated, never real people.
 */
import { mod112CheckCharacter } from '../identity/index.ts';
import { newRecordId, nowIso } from './common.ts';
import type { EcgReport, EcgStudy } from './ecg.ts';
import type { Order } from './order.ts';
import { withPinyinKeys, type Patient } from './patient.ts';
import type { Result } from './result.ts';
import type { RecognitionEvent } from './recognition-event.ts';
import { newVisit, type Visit } from './visit.ts';

export const TEST_INSTITUTION = 'th-clinic-01';
export const TEST_CENTER = 'county-ecg-center';

let serial = 0;
const next = () => ++serial;

/** A GB 11643 number with a correct check character; region 330102 (a real county-level code form). */
export const makeResidentIdNumber = (birthDate = '1968-04-12', sequence = next() % 1000, male = true): string => {
  const seq = (sequence - (sequence % 2) + (male ? 1 : 0)) % 1000;
  const first17 = `330102${birthDate.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  return first17 + mod112CheckCharacter(first17);
};

const surnames = ['张', '王', '李', '赵', '刘', '陈', '杨', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const givenChars = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明', '超', '秀', '霞', '平', '刚', '桂', '英', '华', '建', '国'];

/** A plausible name chosen deterministically from n: makeChineseName(0) is 张伟. */
export const makeChineseName = (n: number): string => {
  const surname = surnames[n % surnames.length]!;
  const first = givenChars[Math.floor(n / surnames.length) % givenChars.length]!;
  const second = Math.floor(n / (surnames.length * givenChars.length)) % 3 === 0 ? '' : givenChars[(n * 7) % givenChars.length]!;
  return surname + first + second;
};

export const makePatient = (overrides: Partial<Patient> = {}): Patient => {
  const n = next();
  // 90 years × 12 months × 28 days = 30,240 birth dates, then the sequence: unique for millions.
  const two = (x: number) => String(x).padStart(2, '0');
  const birthDate = overrides.birthDate ?? `${1930 + (n % 90)}-${two(1 + (Math.floor(n / 90) % 12))}-${two(1 + (Math.floor(n / 1080) % 28))}`;
  const base: Patient = {
    id: newRecordId(),
    institutionId: TEST_INSTITUTION,
    updatedAt: nowIso(),
    name: makeChineseName(n),
    sex: n % 2 === 0 ? '2' : '1',
    nationCode: '01',
    birthDate,
    documentType: 'resident',
    // makeResidentIdNumber keeps the sequence's parity for the sex digit, so step it by 2 per cycle:
    // n and n + 30,240 (same birth date, same sex) would otherwise share a number.
    idNumber: makeResidentIdNumber(birthDate, (2 * Math.floor(n / 30_240)) % 1000, n % 2 !== 0),
    address: '浙江省杭州市某县某镇某村',
    phone: `139${String(n).padStart(8, '0')}`,
    insuranceCardNumber: '',
    pinyinInitials: '',
    pinyinFull: '',
    mergedInto: null,
  };
  return withPinyinKeys({ ...base, ...overrides });
};

export const makeVisit = (overrides: Partial<Visit> = {}): Visit => ({
  ...newVisit({ institutionId: TEST_INSTITUTION, patientId: newRecordId(), visitDate: '2026-11-23', queueNumber: next() % 9999 || 1 }),
  ...overrides,
});

/** A closed visit with a diagnosis (I10 essential hypertension). */
export const makeClosedVisit = (overrides: Partial<Visit> = {}): Visit =>
  makeVisit({
    status: 'closed',
    complaint: '头晕三天',
    vitals: { systolic: 162, diastolic: 96, heartRate: 78, temperature: 36.6, spo2: 98 },
    diagnoses: [{ code: 'I10', name: '原发性高血压' }],
    doctorId: 'dr-wang',
    closedAt: nowIso(),
    ...overrides,
  });

export const makeOrder = (overrides: Partial<Order> = {}): Order => ({
  id: newRecordId(),
  institutionId: TEST_INSTITUTION,
  updatedAt: nowIso(),
  visitId: newRecordId(),
  patientId: newRecordId(),
  itemCode: 'LAB-CBC',
  itemName: '血常规',
  orderedAt: nowIso(),
  orderedBy: 'dr-wang',
  status: 'ordered',
  recognition: null,
  ...overrides,
});

export const makeResult = (overrides: Partial<Result> = {}): Result => ({
  id: newRecordId(),
  institutionId: 'county-hospital',
  updatedAt: nowIso(),
  patientId: newRecordId(),
  orderId: null,
  itemCode: 'LAB-CBC',
  itemName: '血常规',
  performedAt: nowIso(),
  values: [{ code: 'HGB', name: '血红蛋白', value: 135, unit: 'g/L', referenceRange: '130-175', flag: '' }],
  reportText: '',
  hrMark: true,
  ...overrides,
});

export const makeRecognitionEvent = (overrides: Partial<RecognitionEvent> = {}): RecognitionEvent => ({
  id: newRecordId(),
  institutionId: TEST_INSTITUTION,
  updatedAt: nowIso(),
  kind: 'reminder',
  patientId: newRecordId(),
  visitId: newRecordId(),
  orderId: null,
  itemCode: 'LAB-CBC',
  resultId: newRecordId(),
  resultInstitutionId: 'county-hospital',
  at: nowIso(),
  by: 'dr-wang',
  reason: null,
  note: '',
  priceSavedFen: 0,
  ...overrides,
});

export const makeEcgStudy = (overrides: Partial<EcgStudy> = {}): EcgStudy => ({
  id: newRecordId(),
  institutionId: TEST_INSTITUTION,
  updatedAt: nowIso(),
  visitId: newRecordId(),
  patientId: newRecordId(),
  capturedAt: nowIso(),
  priority: 'routine',
  clinicalNote: '',
  dicomSha256: 'a'.repeat(64),
  dicomSizeBytes: 48_512,
  measurements: { heartRate: 72, prMs: 160, qrsMs: 92, qtMs: 380, qtcMs: 415, qrsAxisDeg: 45 },
  readingState: 'queued',
  ...overrides,
});

export const makeEcgReport = (overrides: Partial<EcgReport> = {}): EcgReport => ({
  id: newRecordId(),
  institutionId: TEST_CENTER,
  updatedAt: nowIso(),
  studyId: newRecordId(),
  patientId: newRecordId(),
  statements: [{ code: 'SR', text: '窦性心律' }],
  freeText: '',
  critical: false,
  signedBy: null,
  signedAt: null,
  ...overrides,
});
