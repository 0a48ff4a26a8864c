/**
 * Every error shape the screens can meet becomes a message a nurse can act on, in both languages —
 * never "[object Object]", never an empty line, never a patient's data (issue 19). The storage and
 * RxDB shapes are produced by the real database, not written out by hand.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DeviceError } from '../../core/contract/device-error.ts';
import { makePatient } from '../../core/records/builders.ts';
import { RecordValidationError } from '../../core/records/index.ts';
import { createLocalDatabase, memoryStorage, type LocalDatabase } from '../../sync/client/database.ts';
import { errorBody } from '../../sync/protocol/errors.ts';
import { RecordWriteRefusedError } from '../../sync/client/errors.ts';
import { errorMessage } from './messages.ts';

const writer = { institutionId: 'th-clinic-01', role: 'clinic' as const };
let db: LocalDatabase | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});
const openDb = async () => (db = await createLocalDatabase({ name: `msg-${crypto.randomUUID()}`, storage: memoryStorage(), writer, devMode: true }));

/** The bare object RxDB's storage throws when a write is based on a stale revision. */
async function storageConflict(): Promise<unknown> {
  const local = await openDb();
  await local.upsertLocal('draft:x', { n: 1 });
  const stale = await local.getLocal('draft:x');
  await local.upsertLocal('draft:x', { n: 2 });
  return stale!.remove().then(
    () => undefined,
    (e: unknown) => e,
  );
}

/** RxDB's own error for inserting a record whose id exists. */
async function rxdbConflict(): Promise<unknown> {
  const local = await openDb();
  const patient = makePatient();
  await local.patients.insert(patient);
  return local.patients.insert(patient).then(
    () => undefined,
    (e: unknown) => e,
  );
}

const hasChinese = (s: string) => /[\u4e00-\u9fff]/.test(s);

describe('errorMessage', () => {
  it('turns a storage write conflict into "changed by another action, try again"', async () => {
    const error = await storageConflict();
    expect(error).toMatchObject({ isError: true, status: 409 }); // the shape that printed [object Object]
    expect(errorMessage('zh-CN', error)).toBe('记录刚被另一操作修改，未能保存。请再试一次。');
    expect(errorMessage('en', error)).toMatch(/changed by another action/);
  });

  it("turns RxDB's conflict error into the same advice", async () => {
    const error = await rxdbConflict();
    expect(error).toMatchObject({ rxdb: true, code: 'CONFLICT' });
    expect(errorMessage('zh-CN', error)).toBe('记录刚被另一操作修改，未能保存。请再试一次。');
  });

  const shapes: Array<[string, () => unknown, RegExp, RegExp]> = [
    ['a device error', () => new DeviceError('port-open-failed', 'ENOENT'), /串口|设备/, /port|device/i],
    ['a record validation error', () => new RecordValidationError('visits', [{ path: 'vitals.systolic', message: 'too high', messageZh: '收缩压超出范围' }]), /收缩压/, /vitals\.systolic/],
    ['a refused local write', () => new RecordWriteRefusedError('visits', 'closed'), /不允许/, /cannot be changed/],
    ['a plain bilingual object across the bridge', () => ({ code: 'agent-timeout', message: 'The device agent did not answer', messageZh: '设备服务未响应' }), /设备服务未响应/, /did not answer/],
    ['a hub error body', () => errorBody('forbidden'), /无权/, /not allowed/],
    ['a zod error', () => z.object({ phone: z.string() }).safeParse({ phone: 1 }).error, /校验.*phone/, /validation.*phone/],
    ['a full disk', () => new DOMException('quota', 'QuotaExceededError'), /存储空间不足/, /disk .* full/],
    ['IndexedDB gone', () => new DOMException('closing', 'InvalidStateError'), /本机数据库暂时不可用/, /local database is unavailable/],
    ['no network', () => new TypeError('Failed to fetch'), /无法连接县级平台/, /cannot be reached/],
    ['several errors at once', () => new AggregateError([new DOMException('quota', 'QuotaExceededError')]), /存储空间不足/, /full/],
    ['a plain Error of a library', () => new Error('socket hang up'), /操作未完成：socket hang up/, /socket hang up/],
    ['a thrown string', () => '读卡器未连接', /读卡器未连接/, /读卡器未连接/],
    ['undefined', () => undefined, /原因不明/, /unknown reason/],
    ['null', () => null, /原因不明/, /unknown reason/],
    ['a number', () => 42, /操作未完成：42/, /42/],
    ['an empty object', () => ({}), /原因不明/, /unknown reason/],
    ['an object with only a code', () => ({ code: 'E_WEIRD' }), /E_WEIRD/, /E_WEIRD/],
  ];

  it.each(shapes)('gives %s a message in Chinese and in English', (_name, make, zh, enText) => {
    const error = make();
    const inChinese = errorMessage('zh-CN', error);
    const inEnglish = errorMessage('en', error);
    for (const message of [inChinese, inEnglish]) {
      expect(message).not.toMatch(/\[object \w+\]/);
      expect(message.trim()).not.toBe('');
    }
    expect(inChinese).toMatch(zh);
    expect(inEnglish).toMatch(enText);
    expect(hasChinese(inChinese)).toBe(true);
  });

  it("never prints a record carried inside an error (RxDB's write errors hold the whole document)", async () => {
    const patient = makePatient({ name: '欧阳娜娜', phone: '13912345678' });
    const error = { isError: true, status: 510, documentId: patient.id, writeRow: { document: patient } };
    for (const language of ['zh-CN', 'en']) {
      const message = errorMessage(language, error);
      expect(message).not.toContain('欧阳娜娜');
      expect(message).not.toContain('13912345678');
      expect(message).toContain('510');
    }
  });
});
