/**
 * Saving a captured ECG to the patient's visit: the tracing becomes the canonical DICOM 12-Lead ECG
 * Waveform file (writeDicomEcg), its SHA-256 names it, the bytes go to the local blob store, and only
 * then the EcgStudy record is written through the records layer. `saveEcgStudy` resolves after both
 * committed, so the screen says "saved" only then; if the file cannot be written nothing is saved.
 */
import type { EcgMeasurements } from '../../core/ecg/signal/index.ts';
import { writeDicomEcg } from '../../core/ecg/formats/index.ts';
import type { EcgRecording } from '../../core/ecg/recording.ts';
import { ecgMeasurementsSchema, newRecordId, nowIso, type EcgStudy, type Patient, type Visit } from '../../core/records/index.ts';
import { sha256Hex } from '../../sync/client/blob-upload.ts';
import type { BlobStore } from '../../sync/client/blob-store.ts';
import type { ClinicSession, RecordRepository } from '../records/repository.ts';

export const DICOM_MEDIA_TYPE = 'application/dicom';

/** GB/T 2261.1 sex codes → DICOM Patient's Sex (M/F/O). */
const dicomSex = (sex: Patient['sex']): 'M' | 'F' | 'O' => (sex === '1' ? 'M' : sex === '2' ? 'F' : 'O');

/** The study record keeps the headline numbers in whole units; a value outside the schema's range is left out, not clamped. */
export function studyMeasurements(m: EcgMeasurements): EcgStudy['measurements'] {
  const candidate = {
    heartRate: m.heartRateBpm,
    prMs: m.prIntervalMs,
    qrsMs: m.qrsDurationMs,
    qtMs: m.qtIntervalMs,
    // The study holds one QTc: Bazett's, the one Chinese ECG reports print (Fridericia is on screen).
    qtcMs: m.qtcBazettMs,
    qrsAxisDeg: m.qrsAxisDeg,
  };
  const shape = ecgMeasurementsSchema.shape;
  const out: EcgStudy['measurements'] = {};
  for (const [key, value] of Object.entries(candidate) as [keyof typeof candidate, number | null][]) {
    if (value === null || !Number.isFinite(value)) continue;
    const rounded = Math.round(value);
    if (shape[key].safeParse(rounded).success) out[key] = rounded;
  }
  return out;
}

export interface SaveEcgStudyInput {
  repo: RecordRepository;
  blobs: Pick<BlobStore, 'put'>;
  session: ClinicSession;
  visit: Visit;
  patient: Patient;
  recording: EcgRecording;
  measurements: EcgMeasurements;
  priority: EcgStudy['priority'];
  clinicalNote: string;
  institutionName?: string;
}

export async function saveEcgStudy(input: SaveEcgStudyInput): Promise<{ study: EcgStudy; dicom: Uint8Array }> {
  const { patient, visit, recording } = input;
  const capturedAt = recording.startTime ?? nowIso();
  const dicom = writeDicomEcg(
    {
      ...recording,
      startTime: capturedAt,
      patient: { id: patient.id, name: patient.name, sex: dicomSex(patient.sex), birthDate: patient.birthDate },
    },
    { studyDescription: '12-lead ECG', ...(input.institutionName ? { institutionName: input.institutionName } : {}) },
  );
  const sha256 = await sha256Hex(dicom);
  await input.blobs.put(dicom, { sha256, mediaType: DICOM_MEDIA_TYPE });
  const study: EcgStudy = {
    id: newRecordId(),
    institutionId: input.session.institutionId,
    updatedAt: nowIso(),
    visitId: visit.id,
    patientId: visit.patientId,
    capturedAt,
    priority: input.priority,
    clinicalNote: input.clinicalNote.trim(),
    dicomSha256: sha256,
    dicomSizeBytes: dicom.length,
    measurements: studyMeasurements(input.measurements),
    // The first remote-diagnosis state: waiting for upload (sending is another screen's job).
    readingState: 'queued',
  };
  return { study: await input.repo.save('ecgStudies', study), dicom };
}
