import { describe, expect, it } from 'vitest';
import { makeEcgReport, makeEcgStudy, makePatient } from '../../core/records/builders.ts';
import { createMemoryRepository } from '../records/testing/memory-repository.ts';
import { displayedState, loadSentStudies } from './sent-studies.ts';

describe('the clinic’s list of studies sent for remote diagnosis', () => {
  it('shows the upload share while a study uploads and the record’s state otherwise', () => {
    expect(displayedState(makeEcgStudy({ readingState: 'uploading' }), { receivedBytes: 131_072, totalBytes: 262_144 })).toEqual({ state: 'uploading', percent: 50 });
    expect(displayedState(makeEcgStudy({ readingState: 'uploading' }), undefined)).toEqual({ state: 'uploading', percent: 0 });
    expect(displayedState(makeEcgStudy({ readingState: 'queued' }), undefined)).toEqual({ state: 'queued' });
    expect(displayedState(makeEcgStudy({ readingState: 'being-read' }), undefined)).toEqual({ state: 'being-read' });
  });

  it('lists the sent studies newest first with the patient and only a signed report', async () => {
    const repo = createMemoryRepository();
    const patient = await repo.save('patients', makePatient());
    const older = await repo.save('ecgStudies', makeEcgStudy({ patientId: patient.id, capturedAt: '2026-11-23T07:00:00.000Z', readingState: 'reported' }));
    const newer = await repo.save('ecgStudies', makeEcgStudy({ patientId: patient.id, capturedAt: '2026-11-23T08:00:00.000Z', readingState: 'being-read' }));
    const signed = await repo.save('ecgReports', makeEcgReport({ studyId: older.id, patientId: patient.id, signedBy: 'ecg-center-cardiologist', signedAt: '2026-11-23T07:09:00.000Z' }));
    await repo.save('ecgReports', makeEcgReport({ studyId: newer.id, patientId: patient.id })); // a draft never shows
    const list = await loadSentStudies(repo, [older.id, newer.id, 'not-on-this-pc']);
    expect(list.map((s) => s.study.id)).toEqual([newer.id, older.id]);
    expect(list[0]!.report).toBeUndefined();
    expect(list[1]!.report?.id).toBe(signed.id);
    expect(list[1]!.patientName).toBe(patient.name);
  });
});
