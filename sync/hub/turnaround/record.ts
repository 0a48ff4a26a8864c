/**
 * Recording turnaround timestamps as the hub writes each event, inside the write transaction that
 * carries it (a rolled-back write records nothing). Called from writeRecord, so every path that
 * writes an ECG study or report counts: clinic pushes, the hub marking a study received when its
 * file is complete, the reading room's claim and signature (routes/ecg-reading.ts).
 *
 * - study record first written → study_at (clock_timestamp(): the hub's clock at that moment, not
 *   the transaction's start, which may have waited for the write lock);
 * - its DICOM file complete → file_at (the blob row's time); received = the later of the two, as
 *   uploads and pushes race and either may come first;
 * - the study first claimed for reading (readingState 'being-read') or POST /ecg/studies/:id/opened
 *   → opened_at;
 * - a signed report first written → signed_at.
 */
import type { Queryable } from '../db/database.ts';

type Doc = Record<string, unknown> & { id: string; institutionId: string; _deleted?: boolean };

export async function recordTurnaround(tx: Queryable, collection: string, doc: Doc, centerId: string | null, userId: string | null): Promise<void> {
  if (doc._deleted) return;
  if (collection === 'ecgStudies') {
    const opening = doc.readingState === 'being-read';
    await tx.query(
      `insert into ecg_turnaround (study_id, clinic_institution_id, center_institution_id, priority, captured_at, study_at, file_at, opened_at, opened_by)
       values ($1, $2, $3, $4, $5, clock_timestamp(), (select created_at from blobs where sha256 = $6),
               case when $7::boolean then clock_timestamp() end, case when $7::boolean then $8::text end)
       on conflict (study_id) do update set priority = excluded.priority, captured_at = excluded.captured_at,
         center_institution_id = coalesce(excluded.center_institution_id, ecg_turnaround.center_institution_id),
         file_at = coalesce(ecg_turnaround.file_at, excluded.file_at),
         opened_at = coalesce(ecg_turnaround.opened_at, excluded.opened_at),
         opened_by = case when ecg_turnaround.opened_at is null then excluded.opened_by else ecg_turnaround.opened_by end`,
      [doc.id, doc.institutionId, centerId, doc.priority, doc.capturedAt, doc.dicomSha256, opening, userId],
    );
    return;
  }
  if (collection === 'ecgReports' && typeof doc.signedAt === 'string') {
    await tx.query(
      `update ecg_turnaround set signed_at = coalesce(signed_at, clock_timestamp()), report_id = coalesce(report_id, $2) where study_id = $1`,
      [doc.studyId, doc.id],
    );
  }
}

/** The reading room opened the study: the first opening counts. False when the hub has no such study. */
export async function markOpened(db: Queryable, studyId: string, userId: string | null): Promise<boolean> {
  const { rowCount } = await db.query(
    `update ecg_turnaround set opened_by = case when opened_at is null then $2 else opened_by end,
            opened_at = coalesce(opened_at, clock_timestamp()) where study_id = $1 returning study_id`,
    [studyId, userId],
  );
  return rowCount > 0;
}
