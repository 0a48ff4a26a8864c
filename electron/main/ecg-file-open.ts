/**
 * ECG files opened from the OS (file associations in build/electron-builder.config.ts): macOS sends
 * 'open-file'; Windows and Linux put the path on the command line, of the first launch or, with the
 * single-instance lock, of a second launch that main receives as 'second-instance'.
 *
 * Main checks the path (extension, a regular file, not empty, not too large, readable), reads the
 * bytes and hands them to the renderer; it does not parse them (main is wiring — the renderer reads
 * DICOM and SCP-ECG with core/ecg/formats and reports a damaged file). Every refusal is an event with
 * a code and a Chinese and English message, never an exception. Files opened before the renderer
 * listens (the launch file) are held until it says it is ready.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { EcgFileFormat, OpenEcgFileErrorCode, OpenEcgFileEvent } from '../../core/contract/workstation-api.ts';
import { CodedError } from '../../core/errors/index.ts';

/** The extensions main opens and what they hold (the file dialog offers the same). */
export const ecgFileExtensions: Readonly<Record<string, EcgFileFormat>> = { '.dcm': 'dicom', '.scp': 'scp-ecg', '.xml': 'hl7-aecg' };

/**
 * The ones the installer registers with the OS (the builder config's fileAssociations must match):
 * not .xml, which is every XML file's extension — an aECG is opened from the app's menu or with
 * "Open with", and the rest of the PC's XML files keep their program.
 */
export const associatedEcgFileExtensions: readonly string[] = ['.dcm', '.scp'];

/**
 * A resting 12-lead ECG is tens of kilobytes (SCP-ECG) to a few megabytes (DICOM, 10 s × 12 leads ×
 * 1 kHz × 16 bit ≈ 240 KB of samples). 32 MiB leaves room for long rhythm strips and still refuses
 * the video or disk image someone opened with the wrong program.
 */
export const maxEcgFileBytes = 32 * 1024 * 1024;

/** How many refused or unclaimed files main keeps while no window listens. */
const maxHeld = 8;

const refused = (fileName: string, code: OpenEcgFileErrorCode): OpenEcgFileEvent => ({
  ok: false,
  fileName,
  error: { ...new CodedError(`ecgFile.${code}`).toJSON(), code },
});

/** Checks and reads one path the OS handed over. Never throws. */
export async function readOpenedEcgFile(
  filePath: string,
  { limitBytes = maxEcgFileBytes, readBytes = readFile }: { limitBytes?: number; readBytes?: (filePath: string) => Promise<Buffer> } = {},
): Promise<OpenEcgFileEvent> {
  const fileName = path.basename(filePath);
  const format = ecgFileExtensions[path.extname(filePath).toLowerCase()];
  if (!format) return refused(fileName, 'wrong-extension');
  let size: number;
  try {
    const info = await stat(filePath);
    if (!info.isFile()) return refused(fileName, 'not-a-file');
    size = info.size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return refused(fileName, code === 'ENOENT' || code === 'ENOTDIR' ? 'not-found' : 'unreadable');
  }
  if (size > limitBytes) return refused(fileName, 'too-large');
  if (size === 0) return refused(fileName, 'empty');
  let bytes: Buffer;
  try {
    bytes = await readBytes(filePath);
  } catch {
    return refused(fileName, 'unreadable');
  }
  // The file may have grown between stat and read.
  if (bytes.byteLength > limitBytes) return refused(fileName, 'too-large');
  return { ok: true, file: { fileName, format, byteLength: bytes.byteLength, base64: bytes.toString('base64') } };
}

/**
 * The file arguments of a command line: everything after the executable (and, when Electron runs
 * the app unpackaged, after the app path — the first argument that is not a switch, since tools
 * like Playwright put switches before it) that is not a switch. Chromium adds its own switches to a
 * second instance's argv; they start with '-'. Arguments without an extension ('.') are not files
 * the OS opened.
 */
export function fileArgumentsOf(argv: readonly string[], isPackaged: boolean): string[] {
  let rest = argv.slice(1);
  if (!isPackaged) rest = rest.slice(rest.findIndex((arg) => !arg.startsWith('-')) + 1);
  return rest.filter((arg) => !arg.startsWith('-') && path.extname(arg) !== '');
}

/** The part of webContents the relay uses. */
export interface FileReceiver {
  send(channel: string, event: OpenEcgFileEvent): void;
  isDestroyed(): boolean;
}

/**
 * Delivers opened files to the windows whose renderer listens (said so on the ready channel), or
 * holds them until one does. A window that reloads or crashes listens again only after its new
 * page says ready (main.ts calls forget on navigation).
 */
export class OpenedEcgFileRelay {
  private held: OpenEcgFileEvent[] = [];
  private readonly listening = new Set<FileReceiver>();

  constructor(
    private readonly channel: string,
    private readonly log: (line: string) => void = () => undefined,
    private readonly read: (filePath: string) => Promise<OpenEcgFileEvent> = (filePath) => readOpenedEcgFile(filePath),
  ) {}

  async open(filePath: string): Promise<OpenEcgFileEvent> {
    const event = await this.read(filePath);
    // The log names the outcome, not the file: a file name can be a patient's name.
    this.log(event.ok ? `opened an ECG file (${event.file.format}, ${event.file.byteLength} bytes)` : `refused an ECG file: ${event.error.code}`);
    const receivers = [...this.listening].filter((r) => !r.isDestroyed());
    if (receivers.length === 0) {
      this.held = [...this.held, event].slice(-maxHeld);
    } else {
      for (const receiver of receivers) receiver.send(this.channel, event);
    }
    return event;
  }

  /** The renderer of this window listens now: it gets what was held, then every new file. */
  ready(receiver: FileReceiver): OpenEcgFileEvent[] {
    this.listening.add(receiver);
    const held = this.held;
    this.held = [];
    return held;
  }

  /** The window's page went away (reload, crash, close): stop sending until it is ready again. */
  forget(receiver: FileReceiver): void {
    this.listening.delete(receiver);
  }
}
