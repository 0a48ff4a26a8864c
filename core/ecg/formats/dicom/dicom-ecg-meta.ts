import { z } from 'zod';
import { validDate } from '../recording-checks.ts';

/** Study-level facts a DICOM ECG object carries beyond the EcgRecording itself. */
export interface DicomEcgMeta {
  studyInstanceUid?: string;
  seriesInstanceUid?: string;
  sopInstanceUid?: string;
  /** Study ID (SH, ≤ 16 characters). */
  studyId?: string;
  /** Accession Number (SH, ≤ 16 characters), the order number of the ECG request. */
  accessionNumber?: string;
  studyDescription?: string;
  referringPhysicianName?: string;
  institutionName?: string;
  seriesNumber?: number;
  instanceNumber?: number;
  /** Instance creation time (SOP Common); also the content time when the recording has no startTime. Defaults to now. */
  createdAt?: Date;
}

/** The SOP Class of 12-Lead ECG Waveform Storage (DICOM PS3.4 B.5). */
export const twelveLeadEcgSopClassUid = '1.2.840.10008.5.1.4.1.1.9.1.1';
/** Explicit VR Little Endian, the transfer syntax written. */
export const explicitVrLittleEndian = '1.2.840.10008.1.2.1';

export const dicomEcgMetaSchema = z.object({
  studyInstanceUid: z.string().optional(),
  seriesInstanceUid: z.string().optional(),
  sopInstanceUid: z.string().optional(),
  studyId: z.string().optional(),
  accessionNumber: z.string().optional(),
  studyDescription: z.string().optional(),
  referringPhysicianName: z.string().optional(),
  institutionName: z.string().optional(),
  seriesNumber: z.number().int().nonnegative().max(2 ** 31 - 1).optional(),
  instanceNumber: z.number().int().nonnegative().max(2 ** 31 - 1).optional(),
  createdAt: validDate.optional(),
}) satisfies z.ZodType<DicomEcgMeta>;
