/**
 * Typed device errors. Every failure below the UI (a port that will not open, a reader unplugged
 * mid-frame, a bad checksum, a card that is not there) becomes a DeviceError with a stable code and
 * a message a nurse can act on, in Chinese and English. Drivers never throw anything else.
 */
export const deviceErrorMessages = {
  'port-not-found': { zh: '找不到串口，请检查设备连接或端口设置', en: 'Serial port not found: check the cable and the port setting' },
  'port-open-failed': { zh: '无法打开串口，可能被其他程序占用', en: 'Could not open the serial port; another program may be using it' },
  'port-list-failed': { zh: '无法列出本机串口，请检查系统设备服务', en: 'Could not list the serial ports on this computer' },
  'port-closed': { zh: '串口已关闭', en: 'The serial port is closed' },
  unplugged: { zh: '设备已断开，请重新连接后再试', en: 'The device was disconnected; reconnect it and try again' },
  'write-failed': { zh: '向设备发送数据失败', en: 'Could not send data to the device' },
  timeout: { zh: '设备无响应，请检查连接和波特率', en: 'The device did not answer; check the cable and baud rate' },
  'bad-checksum': { zh: '设备数据校验错误，请重新读取', en: 'Checksum error in the data from the device; read again' },
  'bad-frame': { zh: '设备数据格式错误', en: 'Malformed data from the device' },
  'no-card': { zh: '未检测到卡片，请将卡片放在读卡器上', en: 'No card found: place the card on the reader' },
  'select-failed': { zh: '选卡失败，请重新放置卡片', en: 'Could not select the card: place it on the reader again' },
  'read-failed': { zh: '读卡失败，请重新放置卡片', en: 'Could not read the card: place it on the reader again' },
  'device-status': { zh: '设备返回错误状态', en: 'The device reported an error' },
  'invalid-card-data': { zh: '卡片信息无效', en: 'The card data is not valid' },
  'busy': { zh: '设备正忙，请稍候', en: 'The device is busy; please wait' },
  'not-configured': { zh: '尚未配置该设备', en: 'This device has not been set up' },
  // ECG acquisition (devices/ecg)
  'ecg-packets-lost': { zh: '心电数据丢包，请重新采集', en: 'ECG data packets were lost; record again' },
  'ecg-lead-off': { zh: '心电导联脱落，请检查电极后重新采集', en: 'An ECG electrode is off; check the electrodes and record again' },
  'ecg-transfer-aborted': { zh: '心电文件传输中断，未保存任何数据，请重新发送', en: 'The ECG file transfer was aborted; nothing was saved; send it again' },
  'ecg-transfer-failed': { zh: '心电文件校验失败，未保存任何数据，请重新发送', en: 'The received ECG file failed its check; nothing was saved; send it again' },
  // Barcode / QR scanners (devices/barcode)
  'scan-too-long': { zh: '扫码内容过长，已丢弃，请重新扫码', en: 'The scanned code was too long and was discarded; scan again' },
  'scan-incomplete': { zh: '扫码数据不完整，请检查扫码枪的结束符设置', en: 'Incomplete scan: check the scanner’s suffix (CR/CRLF) setting' },
  // The desktop app's device host (electron/main/device-host.ts)
  'device-host-down': { zh: '设备服务异常退出，正在重新启动，请稍后再试', en: 'The device service stopped unexpectedly and is restarting; try again shortly' },
  'device-host-unavailable': { zh: '设备服务未运行', en: 'The device service is not running' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type DeviceErrorCode = keyof typeof deviceErrorMessages;

export class DeviceError extends Error {
  override readonly name = 'DeviceError';
  readonly code: DeviceErrorCode;
  readonly messageZh: string;
  readonly messageEn: string;
  /** Protocol detail for logs and support (status byte, expected length…), never patient data. */
  readonly detail: string | undefined;

  constructor(code: DeviceErrorCode, detail?: string, options?: { cause?: unknown }) {
    const text = deviceErrorMessages[code];
    super(detail ? `${text.en} (${detail})` : text.en, options);
    this.code = code;
    this.messageZh = text.zh;
    this.messageEn = text.en;
    this.detail = detail;
  }

  /** A plain object that survives IPC, WebSocket and JSON. */
  toJSON(): SerializedDeviceError {
    return { code: this.code, messageZh: this.messageZh, messageEn: this.messageEn, detail: this.detail };
  }
}

export interface SerializedDeviceError {
  code: DeviceErrorCode;
  messageZh: string;
  messageEn: string;
  detail: string | undefined;
}

export const isDeviceError = (e: unknown): e is DeviceError => e instanceof DeviceError;
