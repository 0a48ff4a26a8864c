/**
 * ECG file formats: pure functions, bytes in, bytes out (no file system).
 * - DICOM 12-Lead ECG Waveform Storage: the canonical stored form (read and write).
 * - HL7 aECG XML: read and write.
 * - SCP-ECG (EN 1064): read and write.
 * Every failure is an EcgFormatError (code + zh/en message, no patient data in it).
 *
 * Samples are stored as the recording's integers with a scale (DICOM channel sensitivity, SCP
 * amplitude multiplier, aECG SLIST_PQ scale) = resolutionUv, so every round trip is exact. A value the
 * format cannot hold (beyond 16 bits) is an error, never a silent rescale.
 */
export { EcgFormatError, isEcgFormatError, type EcgFormatErrorCode } from './format-error.ts';
export { writeDicomEcg } from './dicom/write-dicom-ecg.ts';
export { readDicomEcg, type DicomEcgRecording } from './dicom/read-dicom-ecg.ts';
export { twelveLeadEcgSopClassUid, type DicomEcgMeta } from './dicom/dicom-ecg-meta.ts';
export { writeAecg, escapeXml, type AecgMeta } from './aecg/write-aecg.ts';
export { readAecg, type AecgRecording } from './aecg/read-aecg.ts';
export { writeScpEcg, type ScpEcgMeta } from './scp/write-scp-ecg.ts';
export { readScpEcg, type ScpEcgRecording } from './scp/read-scp-ecg.ts';
export type { ScpEncoding } from './scp/scp-record.ts';
