import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  collectionNames,
  isWellFormedText,
  patientFieldsFromIdentityDocument,
  pinyinKeys,
  RecordSchemaDefinitionError,
  rxdbSchemaFor,
  toRxdbJsonSchema,
  recordDefinitions,
  validateRecord,
  type RecordIssue,
} from './index.ts';
import { makeClosedVisit, makeEcgReport, makeEcgStudy, makeOrder, makePatient, makeRecognitionEvent, makeResidentIdNumber, makeResult, makeVisit } from './builders.ts';
import { identityDocumentToJson, normaliseDocumentNumber, type ResidentIdCard } from '../identity/index.ts';

const issuesOf = (collection: Parameters<typeof validateRecord>[0], data: unknown): RecordIssue[] => {
  const outcome = validateRecord(collection, data);
  if (outcome.ok) throw new Error('expected the record to be refused');
  return outcome.error.issues;
};

describe('record validation', () => {
  it('accepts a well-formed record of every collection', () => {
    const samples = {
      patients: makePatient(),
      visits: makeClosedVisit(),
      orders: makeOrder(),
      results: makeResult(),
      ecgStudies: makeEcgStudy(),
      ecgReports: makeEcgReport({ signedBy: 'dr-li', signedAt: '2026-11-23T03:00:00.000Z' }),
      recognitionEvents: makeRecognitionEvent(),
    };
    for (const name of collectionNames) {
      const outcome = validateRecord(name, samples[name]);
      expect(outcome.ok, `${name}: ${outcome.ok ? '' : outcome.error.message}`).toBe(true);
    }
  });

  it('refuses a systolic pressure of 300 naming the field in Chinese and English', () => {
    const issues = issuesOf('visits', makeVisit({ vitals: { systolic: 300 } }));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('vitals.systolic');
    expect(issues[0]!.message).toMatch(/<=260/);
    expect(issues[0]!.messageZh).toMatch(/过大/);
  });

  it('refuses a temperature of 45 °C, an SpO2 of 40 and a heart rate of 300', () => {
    const issues = issuesOf('visits', makeVisit({ vitals: { temperature: 45, spo2: 40, heartRate: 300 } }));
    expect(issues.map((i) => i.path).sort()).toEqual(['vitals.heartRate', 'vitals.spo2', 'vitals.temperature']);
  });

  it('refuses a diastolic pressure above the systolic', () => {
    const issues = issuesOf('visits', makeVisit({ vitals: { systolic: 110, diastolic: 120 } }));
    expect(issues[0]).toMatchObject({ path: 'vitals.diastolic', messageZh: '舒张压应低于收缩压' });
  });

  it('refuses an ID number whose check character is wrong, with the identity module\'s message', () => {
    const good = makeResidentIdNumber('1980-01-01', 123);
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const issues = issuesOf('patients', makePatient({ idNumber: bad }));
    expect(issues[0]).toMatchObject({ path: 'idNumber', messageZh: '证件号码校验位错误，请核对' });
  });

  it('refuses a closed visit without a diagnosis or closing time', () => {
    const issues = issuesOf('visits', makeVisit({ status: 'closed', diagnoses: [], closedAt: null }));
    expect(issues.map((i) => i.path).sort()).toEqual(['closedAt', 'diagnoses']);
  });

  it('refuses a diagnosis that is not an ICD-10 code', () => {
    const issues = issuesOf('visits', makeClosedVisit({ diagnoses: [{ code: 'hypertension', name: '高血压' }] }));
    expect(issues[0]!.path).toBe('diagnoses.0.code');
  });

  it('refuses a re-order for "other" reasons without a note, and accepts it with one', () => {
    const reorder = (note: string) => makeOrder({ recognition: { decision: 're-ordered', reason: 'other', note } });
    expect(issuesOf('orders', reorder(' '))[0]).toMatchObject({ path: 'recognition.note' });
    expect(validateRecord('orders', reorder('患者要求复查')).ok).toBe(true);
  });

  it('requires status "recognized" exactly when a result was recognized', () => {
    const recognition = { decision: 'recognized', resultId: 'r-1', priceSavedFen: 2500 } as const;
    expect(validateRecord('orders', makeOrder({ status: 'recognized', recognition })).ok).toBe(true);
    expect(issuesOf('orders', makeOrder({ status: 'ordered', recognition }))[0]!.path).toBe('status');
  });

  it('refuses a signed ECG report without the signing time', () => {
    expect(issuesOf('ecgReports', makeEcgReport({ signedBy: 'dr-li', signedAt: null }))[0]!.path).toBe('signedAt');
  });

  it('refuses a DICOM hash that is not 64 hex digits', () => {
    expect(issuesOf('ecgStudies', makeEcgStudy({ dicomSha256: 'xyz' }))[0]!.path).toBe('dicomSha256');
  });

  it('puts no field value in the error message, so errors can be logged', () => {
    const patient = makePatient({ name: '', phone: '139-abc' });
    const outcome = validateRecord('patients', patient);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.message).not.toContain(patient.idNumber);
      expect(outcome.error.message).not.toContain('139-abc');
      expect(outcome.error.messageZh).toContain('phone');
    }
  });
});

describe('pinyin search keys', () => {
  it('computes initials and full pinyin when a patient is written, ignoring stale keys', () => {
    const outcome = validateRecord('patients', { ...makePatient(), name: '张三', pinyinInitials: 'xx', pinyinFull: 'stale' });
    expect(outcome.ok && outcome.value).toMatchObject({ pinyinInitials: 'zs', pinyinFull: 'zhangsan' });
  });

  it('reads surnames as surnames (曾 zeng, 单 shan) and writes ü as v (吕 lv)', () => {
    expect(pinyinKeys('曾小明')).toEqual({ pinyinInitials: 'zxm', pinyinFull: 'zengxiaoming' });
    expect(pinyinKeys('单雄信').pinyinFull).toBe('shanxiongxin');
    expect(pinyinKeys('吕布').pinyinFull).toBe('lvbu');
  });
});

describe('identity document → patient', () => {
  it('fills name, sex, nation, birth date, number and address from a resident ID card', () => {
    const card: ResidentIdCard = {
      cardType: 'resident', name: '张三', sex: '1', nationCode: '01', birthDate: '1980-01-01',
      address: '浙江省杭州市', idNumber: makeResidentIdNumber('1980-01-01', 11), issuingAuthority: '杭州市公安局',
      validity: { from: '2020-01-01', to: null }, photoWlt: new Uint8Array(),
    };
    const fields = patientFieldsFromIdentityDocument(card);
    expect(fields).toEqual({ name: '张三', sex: '1', nationCode: '01', birthDate: '1980-01-01', documentType: 'resident', idNumber: card.idNumber, address: '浙江省杭州市' });
    expect(validateRecord('patients', makePatient(fields)).ok).toBe(true);
  });

  it('takes the additional address (追加住址) over the printed one, and the card JSON the renderer receives maps the same', () => {
    const card: ResidentIdCard = {
      cardType: 'resident', name: '李四', sex: '2', nationCode: '01', birthDate: '1975-05-05',
      address: '浙江省杭州市旧址', idNumber: makeResidentIdNumber('1975-05-05', 22), issuingAuthority: '杭州市公安局',
      validity: { from: '2020-01-01', to: null }, photoWlt: new Uint8Array(), additionalAddress: '浙江省杭州市新址',
    };
    expect(patientFieldsFromIdentityDocument(card).address).toBe('浙江省杭州市新址');
    expect(patientFieldsFromIdentityDocument(identityDocumentToJson(card))).toEqual(patientFieldsFromIdentityDocument(card));
  });
});

describe('normaliseDocumentNumber', () => {
  it('stores a typed number with a lower-case check character and stray blanks as the card carries it', () => {
    expect(normaliseDocumentNumber(' 11010519491231002x ')).toBe('11010519491231002X');
  });
});

describe('RxDB schema derived from zod', () => {
  it('gives every indexed string a maximum length and marks indexed fields required', () => {
    const schema = rxdbSchemaFor('visits') as { properties: Record<string, { maxLength?: number; multipleOf?: number }>; required: string[]; primaryKey: string };
    expect(schema.primaryKey).toBe('id');
    expect(schema.properties.visitDate!.maxLength).toBe(10);
    expect(schema.properties.status!.maxLength).toBe('in-consultation'.length);
    expect(schema.properties.queueNumber!.multipleOf).toBe(1);
    expect(schema.required).toEqual(expect.arrayContaining(['id', 'visitDate', 'status', 'queueNumber']));
  });

  it('refuses at definition time an index RxDB could not build', () => {
    const s = z.object({ id: z.string().max(10), note: z.string(), tag: z.string().max(5).optional() });
    expect(() => toRxdbJsonSchema(s, { version: 0, indexes: ['note'] })).toThrow(RecordSchemaDefinitionError);
    expect(() => toRxdbJsonSchema(s, { version: 0, indexes: ['tag'] })).toThrow(/must be required/);
    expect(() => toRxdbJsonSchema(s, { version: 0, indexes: ['missing'] })).toThrow(/does not exist/);
  });

  it('encrypts only fields that exist and are not indexed, and no record encrypts a field it is searched by', () => {
    const s = z.object({ id: z.string().max(10), name: z.string().max(20), note: z.string() });
    expect(toRxdbJsonSchema(s, { version: 0, indexes: ['name'], encrypted: ['note'] })).toMatchObject({ encrypted: ['note'] });
    expect(() => toRxdbJsonSchema(s, { version: 0, indexes: ['name'], encrypted: ['name'] })).toThrow(/indexed, so it cannot be encrypted/);
    expect(() => toRxdbJsonSchema(s, { version: 0, indexes: [], encrypted: ['missing'] })).toThrow(/does not exist/);
    for (const definition of Object.values(recordDefinitions)) {
      const indexed = new Set(definition.indexes.flat());
      expect(definition.encrypted.filter((f) => indexed.has(f))).toEqual([]);
    }
    expect(recordDefinitions.visits.encrypted).toEqual(expect.arrayContaining(['complaint', 'diagnoses', 'notes', 'vitals']));
  });
});

describe('text(): the one string rule of every schema', () => {
  it.each([
    ['a NUL character', '张\u0000三'],
    ['a lone high surrogate', '张\uD800'],
    ['a lone low surrogate', '\uDC00三'],
  ])('refuses %s, naming the field', (_what, name) => {
    const outcome = validateRecord('patients', { ...makePatient(), name });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.issues.map((i) => i.path)).toContain('name');
      expect(outcome.error.messageZh).toContain('无效字符');
    }
  });

  it('keeps well-formed text, a surrogate pair (𠮷) included', () => {
    expect(isWellFormedText('𠮷野家 Zhang')).toBe(true);
    expect(validateRecord('patients', { ...makePatient(), name: '𠮷祥' }).ok).toBe(true);
  });
});
