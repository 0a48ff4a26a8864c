import { describe, expect, it, vi } from 'vitest';
import { applyDetection, assignmentsFrom, choicesFrom, conflictingKinds, enrolWorkstation, normaliseEnrolmentCode, parseHubUrl, type FetchLike } from './setup-model.ts';

const makeEnrolmentReply = () => ({
  workstationId: 'ws-1',
  workstationName: '城关卫生院 1 号机',
  institution: { id: 'th-chengguan', name: '城关镇卫生院', kind: 'township' },
  workstationCredential: 'c'.repeat(43),
});
const replying = (status: number, body: unknown): FetchLike => vi.fn(async () => ({ ok: status < 400, status, json: async () => body }));

describe('first-run setup logic', () => {
  it('accepts an http(s) hub address and drops a trailing slash, query and fragment', () => {
    expect(parseHubUrl(' https://hub.county.cn/ ')).toBe('https://hub.county.cn');
    expect(parseHubUrl('http://10.0.0.5:8443/api/?x=1#y')).toBe('http://10.0.0.5:8443/api');
  });

  it.each(['hub.county.cn', 'ftp://hub.county.cn', 'javascript:alert(1)', ''])('refuses %j as a hub address with a Chinese message', (text) => {
    expect(() => parseHubUrl(text)).toThrow(expect.objectContaining({ code: 'hub-url-invalid', messageZh: expect.stringContaining('县级平台地址') }));
  });

  it('refuses a hub address that carries a password', () => {
    expect(() => parseHubUrl('https://admin:secret@hub.county.cn')).toThrow(expect.objectContaining({ code: 'hub-url-credentials' }));
  });

  it('reads an enrolment code regardless of case, spaces and dashes', () => {
    expect(normaliseEnrolmentCode('abcd efgh-jk lm')).toBe('ABCD-EFGH-JKLM');
    expect(() => normaliseEnrolmentCode('ABCD-EFGH')).toThrow(expect.objectContaining({ code: 'code-invalid' }));
  });

  it('enrols with one POST of the normalised code to /auth/enrol', async () => {
    const fetchImpl = replying(200, makeEnrolmentReply());
    await expect(enrolWorkstation('https://hub.county.cn/', 'abcd-efgh-jklm', fetchImpl)).resolves.toMatchObject({ workstationId: 'ws-1', institution: { name: '城关镇卫生院' } });
    expect(fetchImpl).toHaveBeenCalledWith('https://hub.county.cn/auth/enrol', expect.objectContaining({ method: 'POST', body: '{"code":"ABCD-EFGH-JKLM"}' }));
  });

  it('shows the hub’s own message when it refuses a used code', async () => {
    const fetchImpl = replying(400, { error: { code: 'bad_enrolment_code', message: 'Code used or expired', messageZh: '注册码已使用或已过期' } });
    await expect(enrolWorkstation('https://hub.county.cn', 'ABCD-EFGH-JKLM', fetchImpl)).rejects.toMatchObject({ code: 'code-rejected', messageZh: '注册码已使用或已过期' });
  });

  it('tells an unreachable hub from a bad reply, and sends nothing for a malformed code', async () => {
    const offline: FetchLike = vi.fn(async () => Promise.reject(new TypeError('fetch failed')));
    await expect(enrolWorkstation('https://hub.county.cn', 'ABCD-EFGH-JKLM', offline)).rejects.toMatchObject({ code: 'hub-unreachable' });
    await expect(enrolWorkstation('https://hub.county.cn', 'ABCD-EFGH-JKLM', replying(200, { workstationId: 'ws-1' }))).rejects.toMatchObject({ code: 'hub-bad-reply' });
    const unused = replying(200, makeEnrolmentReply());
    await expect(enrolWorkstation('https://hub.county.cn', '12', unused)).rejects.toMatchObject({ code: 'code-invalid' });
    expect(unused).not.toHaveBeenCalled();
  });

  it('turns auto-detect results and choices into assignments, one device per port', () => {
    const choices = applyDetection(choicesFrom([{ kind: 'barcode', path: 'COM5', baudRate: 9600 }]), [{ path: 'COM3', kind: 'id-card', baudRate: 115200, assigned: false }]);
    expect(assignmentsFrom(choices)).toEqual([
      { kind: 'id-card', path: 'COM3', baudRate: 115200 },
      { kind: 'barcode', path: 'COM5', baudRate: 9600 },
    ]);
    expect(conflictingKinds({ ...choices, ecg: { path: 'COM3', baudRate: 115200 } }).sort()).toEqual(['ecg', 'id-card']);
    expect(() => assignmentsFrom({ ...choices, ecg: { path: 'COM7', baudRate: 12345 } })).toThrow(expect.objectContaining({ code: 'baud-invalid' }));
  });
});
