import { describe, expect, it } from 'vitest';
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
