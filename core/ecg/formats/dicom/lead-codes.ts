/**
 * DICOM CID 3001 "ECG Leads": the MDC (ISO/IEEE 11073-10101) codes of the 12 standard leads, as
 * DICOM PS3.16 lists them. Code values are "<partition>:<code>"; the meanings are the CID's.
 */
import type { StandardLead } from '../../recording.ts';

export const mdcLeadCodes: Record<StandardLead, { codeValue: string; codeMeaning: string }> = {
  I: { codeValue: '2:1', codeMeaning: 'Lead I' },
  II: { codeValue: '2:2', codeMeaning: 'Lead II' },
  V1: { codeValue: '2:3', codeMeaning: 'Lead V1' },
  V2: { codeValue: '2:4', codeMeaning: 'Lead V2' },
  V3: { codeValue: '2:5', codeMeaning: 'Lead V3' },
  V4: { codeValue: '2:6', codeMeaning: 'Lead V4' },
  V5: { codeValue: '2:7', codeMeaning: 'Lead V5' },
  V6: { codeValue: '2:8', codeMeaning: 'Lead V6' },
  III: { codeValue: '2:61', codeMeaning: 'Lead III' },
  aVR: { codeValue: '2:62', codeMeaning: 'Lead aVR' },
  aVL: { codeValue: '2:63', codeMeaning: 'Lead aVL' },
  aVF: { codeValue: '2:64', codeMeaning: 'Lead aVF' },
};

const leadByMdcCode = new Map(Object.entries(mdcLeadCodes).map(([lead, c]) => [c.codeValue, lead as StandardLead]));

/**
 * Older files (and some carts) code leads in the SCP-ECG scheme "SCPECG" with code values
 * "5.6.3-9-<n>" (n = SCP-ECG lead number: 1 I, 2 II, 3–8 V1–V6, 61 III, 62 aVR, 63 aVL, 64 aVF).
 */
const scpLeadNumbers: Record<string, StandardLead> = {
  1: 'I', 2: 'II', 3: 'V1', 4: 'V2', 5: 'V3', 6: 'V4', 7: 'V5', 8: 'V6', 61: 'III', 62: 'aVR', 63: 'aVL', 64: 'aVF',
};

export function leadFromCode(codeValue: string | undefined, scheme: string | undefined): StandardLead | undefined {
  if (!codeValue) return undefined;
  if (scheme === 'SCPECG') {
    const n = /^5\.6\.3-9-(\d+)$/.exec(codeValue)?.[1];
    return n ? scpLeadNumbers[n] : undefined;
  }
  return leadByMdcCode.get(codeValue);
}
