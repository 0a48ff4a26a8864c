/**
 * WFDB (PhysioNet) records: header (.hea), signal files in formats 212/16/61/80, MIT annotations.
 * Pure: bytes in, EcgRecording + BeatAnnotation[] out. Every failure is a EcgFormatError.
 */
export { parseWfdbHeader, wfdbStartTime, type WfdbHeader, type WfdbSignalSpec } from './header.ts';
export { decodeWfdbSignals, invalidSampleValue } from './signals.ts';
export { readWfdbAnnotations, writeWfdbAnnotations, mitAnnotationCodes, type WfdbAnnotation, type WfdbAnnotationInput } from './annotations.ts';
export { readWfdbRecord, writeWfdbRecord, wfdbLeadName, type WfdbRecord, type WfdbRecordFiles, type WrittenWfdbRecord } from './record.ts';
export { EcgFormatError, isEcgFormatError, type EcgFormatErrorCode } from '../format-error.ts';
