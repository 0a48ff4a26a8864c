/**
 * The clinic's list of studies sent for remote diagnosis: each study with its report (when signed)
 * and the state a doctor reads at a glance. Pure functions over local records, tested without a DOM.
 */
import type { EcgReport, EcgStudy, ReadingState } from '../../core/records/index.ts';
import type { RecordRepository } from '../records/repository.ts';
import type { UploadProgress } from './remote-diagnosis.ts';

export interface SentStudy {
  study: EcgStudy;
  patientName: string;
  report: EcgReport | undefined;
}

/** What the clinic shows: the record's state, with the upload's share while it runs. */
export type DisplayedState = { state: ReadingState; percent?: number };

export function displayedState(study: EcgStudy, progress: UploadProgress | undefined): DisplayedState {
  if (study.readingState === 'uploading' || (study.readingState === 'queued' && progress)) {
    const percent = progress && progress.totalBytes > 0 ? Math.floor((progress.receivedBytes / progress.totalBytes) * 100) : 0;
    return { state: 'uploading', percent };
  }
  return { state: study.readingState };
}

/** The signed report of a study, if any (a draft never leaves the center). */
export const signedReportOf = (reports: EcgReport[]): EcgReport | undefined => reports.find((r) => r.signedAt !== null);

export async function loadSentStudies(repo: RecordRepository, ids: string[]): Promise<SentStudy[]> {
  const loaded = await Promise.all(
    ids.map(async (id) => {
      const study = await repo.get('ecgStudies', id);
      if (!study) return undefined;
      const [patient, reports] = await Promise.all([repo.get('patients', study.patientId), repo.findBy('ecgReports', 'studyId', id)]);
      return { study, patientName: patient?.name ?? '', report: signedReportOf(reports) };
    }),
  );
  // Newest capture first: the one the doctor just sent is on top.
  return loaded.filter((s): s is SentStudy => s !== undefined).sort((a, b) => b.study.capturedAt.localeCompare(a.study.capturedAt));
}
