/**
 * DICOM UIDs in the "2.25" root: 2.25 followed by a UUID read as one unsigned decimal integer
 * (ISO/IEC 9834-8, DICOM PS3.5 B.2). Needs no registered org root and cannot collide in practice.
 */
export function newDicomUid(): string {
  const hex = crypto.randomUUID().replace(/-/g, '');
  return `2.25.${BigInt(`0x${hex}`).toString(10)}`;
}

/** PS3.5 9.1: components of digits without leading zeros, separated by dots, at most 64 characters. */
export const isValidDicomUid = (uid: string): boolean =>
  uid.length <= 64 && /^(0|[1-9]\d*)(\.(0|[1-9]\d*))+$/.test(uid);
