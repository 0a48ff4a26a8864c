/**
 * SCP-ECG record framing (EN 1064 5.2–5.3), shared by reader and writer: the record header
 * (CRC u16 over bytes 2…end, record length u32) and the 16-byte section header
 * (CRC u16 over the section from its byte 2, section id u16, section length u32 including the
 * header, section version u8, protocol version u8, 6 reserved bytes — "SCPECG" in section 0).
 */
export const recordHeaderBytes = 6;
export const sectionHeaderBytes = 16;
/** Pointers to sections 0–11 are mandatory in section 0, present or not. */
export const mandatoryPointerCount = 12;
/** SCP-ECG 2.0: the version written in section headers and tag 14. */
export const scpProtocolVersion = 20;
/** Section 2 value meaning "the default Huffman table is used". */
export const defaultHuffmanMarker = 19999;

export type ScpEncoding = 'raw' | 'first-difference' | 'second-difference';
export const encodingCodes: Record<ScpEncoding, number> = { raw: 0, 'first-difference': 1, 'second-difference': 2 };
