/**
 * The one error type of the ECG file formats (DICOM, HL7 aECG, SCP-ECG, WFDB). Readers and writers throw
 * nothing else: a truncated file, a bad CRC or an unwritable recording all arrive as an
 * EcgFormatError with a code the UI can switch on and a message in Chinese and English.
 * Messages never contain patient data, so they are safe to log.
 */

const messages = {
  INVALID_RECORDING: { zh: '心电记录无效', en: 'The ECG recording is invalid' },
  UNSUPPORTED_LEAD: { zh: '不支持的导联', en: 'A lead is not supported by this format' },
  SAMPLE_OUT_OF_RANGE: { zh: '采样值超出格式可表示的范围', en: 'A sample value is outside the range this format can store' },
  RESOLUTION_NOT_REPRESENTABLE: {
    zh: '幅度分辨率无法在该格式中精确表示',
    en: 'The amplitude resolution cannot be stored exactly in this format',
  },
  SAMPLE_RATE_NOT_SUPPORTED: { zh: '采样率不受该格式支持', en: 'The sampling rate is not supported by this format' },
  TOO_MANY_SAMPLES: { zh: '记录过长，超出该格式的上限', en: 'The recording is longer than this format allows' },
  DICOM_NOT_PART10: { zh: '不是 DICOM 文件', en: 'Not a DICOM Part 10 file' },
  DICOM_CORRUPT: { zh: 'DICOM 文件已损坏或被截断', en: 'The DICOM file is corrupt or truncated' },
  DICOM_NOT_ECG: { zh: '该 DICOM 文件不是心电波形', en: 'The DICOM file holds no ECG waveform' },
  DICOM_UNSUPPORTED_WAVEFORM: {
    zh: '不支持该 DICOM 波形的编码方式',
    en: 'The DICOM waveform is encoded in a way this reader does not support',
  },
  SCP_TRUNCATED: { zh: 'SCP-ECG 文件被截断', en: 'The SCP-ECG file is truncated' },
  SCP_BAD_CRC: { zh: 'SCP-ECG 文件校验失败（CRC 错误）', en: 'The SCP-ECG file failed its CRC check' },
  SCP_BAD_STRUCTURE: { zh: 'SCP-ECG 文件结构错误', en: 'The SCP-ECG file is malformed' },
  SCP_MISSING_SECTION: { zh: 'SCP-ECG 文件缺少必需的段', en: 'The SCP-ECG file lacks a required section' },
  SCP_UNSUPPORTED: {
    zh: '不支持该 SCP-ECG 文件的编码方式',
    en: 'The SCP-ECG file uses an encoding this reader does not support',
  },
  SCP_HUFFMAN_CORRUPT: { zh: 'SCP-ECG 压缩数据损坏', en: 'The SCP-ECG compressed (Huffman) data is corrupt' },
  AECG_MALFORMED: { zh: 'HL7 aECG 文件不是格式正确的 XML（可能已损坏或被截断）', en: 'The HL7 aECG file is not well-formed XML (corrupt or truncated)' },
  AECG_NOT_AECG: { zh: '不是 HL7 aECG 心电文件', en: 'Not an HL7 aECG file' },
  AECG_UNSUPPORTED: { zh: '不支持该 HL7 aECG 文件的内容或编码方式', en: 'The HL7 aECG file holds content this reader does not support' },
  WFDB_BAD_HEADER: { zh: 'WFDB 头文件（.hea）格式错误', en: 'The WFDB header (.hea) is malformed' },
  WFDB_UNSUPPORTED: { zh: '不支持该 WFDB 记录的编码方式', en: 'The WFDB record uses a feature this reader does not support' },
  WFDB_MISSING_FILE: { zh: '缺少 WFDB 信号文件（.dat）', en: 'A WFDB signal file (.dat) is missing' },
  WFDB_TRUNCATED: { zh: 'WFDB 信号文件被截断', en: 'A WFDB signal file is truncated' },
  WFDB_BAD_CHECKSUM: { zh: 'WFDB 信号校验和不符，文件可能已损坏', en: 'A WFDB signal does not match its checksum; the file may be corrupt' },
  WFDB_BAD_ANNOTATIONS: { zh: 'WFDB 注释文件（.atr）损坏', en: 'The WFDB annotation file (.atr) is corrupt' },
  WFDB_NOT_WRITABLE: { zh: '该心电记录无法写成 WFDB 格式', en: 'This ECG recording cannot be written as a WFDB record' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type EcgFormatErrorCode = keyof typeof messages;

export class EcgFormatError extends Error {
  override readonly name = 'EcgFormatError';
  readonly code: EcgFormatErrorCode;
  readonly messageZh: string;
  readonly messageEn: string;
  /** Technical detail in English (which section, lead, byte offset); never patient data. */
  readonly detail: string | undefined;

  constructor(code: EcgFormatErrorCode, detail?: string, options?: { cause?: unknown }) {
    const { zh, en } = messages[code];
    super(detail ? `${en}: ${detail}` : en, options);
    this.code = code;
    this.messageZh = detail ? `${zh}：${detail}` : zh;
    this.messageEn = this.message;
    this.detail = detail;
  }
}

export const isEcgFormatError = (e: unknown): e is EcgFormatError => e instanceof EcgFormatError;
