import { describe, expect, it } from 'vitest';
import { errorText } from '../../core/errors/index.ts';
import { makeClosedVisit, makeEcgStudy, makePatient, makeVisit } from '../../core/records/builders.ts';
import { checkRoles, type Author } from './role-rules.ts';
import { checkWrite, resolveConflict } from './conflicts.ts';

const nurse: Author = { userId: 'n1', role: 'nurse', institutionId: 'chengguan', institutionKind: 'township_clinic' };
const doctor: Author = { ...nurse, userId: 'd1', role: 'doctor' };
const w = <T extends object>(d: T) => ({ ...d, _deleted: false }) as never;

describe('role rules', () => {
  it('lets a nurse queue a visit but not close it with a diagnosis', () => {
    expect(checkRoles('visits', undefined, w(makeVisit({ institutionId: 'chengguan', complaint: '头晕', vitals: { systolic: 150 } })), nurse).ok).toBe(true);
    expect(checkRoles('visits', undefined, w(makeClosedVisit({ institutionId: 'chengguan', doctorId: 'd1' })), nurse)).toMatchObject({ ok: false, rule: 'visits.clinical-record-by-doctors' });
    expect(checkRoles('visits', undefined, w(makeClosedVisit({ institutionId: 'chengguan', doctorId: 'd1' })), doctor).ok).toBe(true);
    expect(checkRoles('visits', undefined, w(makeClosedVisit({ institutionId: 'chengguan', doctorId: 'd2' })), doctor)).toMatchObject({ ok: false, rule: 'visits.doctor-is-the-writer' });
  });

  it('says which rule refused, in Chinese and English, naming the field a nurse may not write', () => {
    const check = checkRoles('visits', undefined, w(makeClosedVisit({ institutionId: 'chengguan', doctorId: 'd1' })), nurse);
    if (check.ok) throw new Error('expected a refusal');
    const words = (language: 'zh-CN' | 'en') => errorText(`writeRules.${check.reason}`, { rule: check.rule }, language);
    expect(words('zh-CN')).toBe('就诊的诊断只能由医生填写（规则 visits.clinical-record-by-doctors）');
    expect(words('en')).toBe('Refused by rule visits.clinical-record-by-doctors: Only a doctor writes diagnoses of a visit');
    const admin: Author = { ...nurse, role: 'administrator' };
    const byRole = checkRoles('patients', undefined, w(makePatient({ institutionId: 'chengguan' })), admin);
    expect(byRole).toMatchObject({ ok: false, rule: 'patients.registered-by-clinical-staff', reason: 'patients-by-clinical-staff' });
    expect(errorText('writeRules.patients-by-clinical-staff', { rule: 'patients.registered-by-clinical-staff' }, 'zh-CN')).toBe('患者由临床人员登记（仅限护士或医生）（规则 patients.registered-by-clinical-staff）');
  });

  it('lets a clinic move an ECG study only to uploading, or to received once its file is at the hub', () => {
    const study = makeEcgStudy({ institutionId: 'chengguan', readingState: 'uploading' });
    expect(checkRoles('ecgStudies', w(study), w({ ...study, readingState: 'received' }), doctor)).toMatchObject({ ok: false, rule: 'ecgStudies.reading-state-by-the-hub' });
    expect(checkRoles('ecgStudies', w(study), w({ ...study, readingState: 'received' }), doctor, { studyFileAtHub: true }).ok).toBe(true);
  });
});

describe('identity of a patient', () => {
  it('changes only at the home institution; elsewhere the conflict resolution keeps the master identity (no retry loop)', () => {
    const master = w(makePatient({ institutionId: 'chengguan', phone: '' }));
    const edited = { ...(master as object), name: '改名', phone: '13900001111' } as never;
    const hekou = { institutionId: 'hekou', role: 'clinic' } as const;
    expect(checkWrite('patients', master, edited, hekou).ok).toBe(false);
    expect(checkWrite('patients', master, edited, { institutionId: 'chengguan', role: 'clinic' }).ok).toBe(true);
    const resolved = resolveConflict('patients', { newDocumentState: edited, realMasterState: master, assumedMasterState: master }, hekou) as unknown as Record<string, unknown>;
    expect(resolved.name).toBe((master as unknown as Record<string, unknown>).name);
    expect(resolved.phone).toBe('13900001111');
    expect(checkWrite('patients', master, resolved as never, hekou).ok).toBe(true);
  });
});
