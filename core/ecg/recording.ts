/**
 * The in-memory form of an ECG recording, shared by acquisition, signal processing, every file
 * format and the viewers. Samples are integers in units of `resolutionUv` microvolts so that every
 * format round-trips them exactly (DICOM and SCP-ECG store integers with a scale factor).
 */

/** The 12 standard leads, in the usual display order. */
export const standardLeads = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'] as const;
export type StandardLead = (typeof standardLeads)[number];

/** Leads an 8-channel front end measures; the other four are derived (Einthoven/Goldberger). */
export const measuredLeads = ['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'] as const satisfies readonly StandardLead[];

export interface EcgLeadSignal {
  /** A standard lead name, or another label for non-standard channels (e.g. WFDB "MLII"). */
  lead: StandardLead | (string & {});
  samples: Int32Array;
}

export interface EcgRecording {
  sampleRateHz: number;
  /** Microvolts per sample unit (e.g. 1, 2.5, 4.88). */
  resolutionUv: number;
  leads: EcgLeadSignal[];
  /** ISO 8601 acquisition start, when known. */
  startTime?: string | undefined;
  patient?: { id?: string; name?: string; sex?: 'M' | 'F' | 'O' | 'U'; birthDate?: string } | undefined;
  device?: { manufacturer?: string; model?: string; serialNumber?: string } | undefined;
  /** Filters applied at acquisition, as the formats record them. */
  filters?: { highPassHz?: number; lowPassHz?: number; notchHz?: number } | undefined;
}

/** A beat or event annotation at a sample index (MIT codes: 'N', 'V', 'A', …). */
export interface BeatAnnotation {
  sample: number;
  code: string;
}

export const durationSeconds = (r: EcgRecording): number =>
  r.leads.length === 0 ? 0 : (r.leads[0]?.samples.length ?? 0) / r.sampleRateHz;
