/**
 * The one error the WFDB reader and writer throw: a code the caller can switch on and a message in
 * Chinese and English. Shaped like EcgFormatError (../format-error.ts, owned by the other formats);
 * kept separate so the two modules could be written at the same time — it can merge into it later.
 * Messages never contain patient data.
 */
const messages = {
  WFDB_BAD_HEADER: { zh: 'WFDB 头文件（.hea）格式错误', en: 'The WFDB header (.hea) is malformed' },
  WFDB_UNSUPPORTED: { zh: '不支持该 WFDB 记录的编码方式', en: 'The WFDB record uses a feature this reader does not support' },
  WFDB_MISSING_FILE: { zh: '缺少 WFDB 信号文件（.dat）', en: 'A WFDB signal file (.dat) is missing' },
  WFDB_TRUNCATED: { zh: 'WFDB 信号文件被截断', en: 'A WFDB signal file is truncated' },
  WFDB_BAD_CHECKSUM: { zh: 'WFDB 信号校验和不符，文件可能已损坏', en: 'A WFDB signal does not match its checksum; the file may be corrupt' },
  WFDB_BAD_ANNOTATIONS: { zh: 'WFDB 注释文件（.atr）损坏', en: 'The WFDB annotation file (.atr) is corrupt' },
  WFDB_NOT_WRITABLE: { zh: '该心电记录无法写成 WFDB 格式', en: 'This ECG recording cannot be written as a WFDB record' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type WfdbErrorCode = keyof typeof messages;

export class WfdbFormatError extends Error {
  override readonly name = 'WfdbFormatError';
  readonly code: WfdbErrorCode;
  readonly messageZh: string;
  readonly messageEn: string;
  readonly detail: string | undefined;

  constructor(code: WfdbErrorCode, detail?: string) {
    const { zh, en } = messages[code];
    super(detail ? `${en}: ${detail}` : en);
    this.code = code;
    this.messageZh = detail ? `${zh}：${detail}` : zh;
    this.messageEn = this.message;
    this.detail = detail;
  }
}

export const isWfdbFormatError = (e: unknown): e is WfdbFormatError => e instanceof WfdbFormatError;
