/**
 * ECG files opened from the OS (double-click on a .dcm or .scp in the desktop app, or an HL7 aECG .xml
 * from the menu): main checks and reads the file and sends its bytes (WorkstationApi.files); here
 * they are read with the core format readers (DICOM via dcmjs, SCP-ECG, HL7 aECG) and measured, for a read-only review on the ECG screen.
 * A refused or damaged file becomes a message in Chinese and English; nothing is saved.
 */
import { useEffect, useRef, useState } from 'react';
import type { EcgRecording } from '../../core/ecg/recording.ts';
import type { EcgMeasurements } from '../../core/ecg/signal/index.ts';
import type { FilesApi, OpenEcgFileEvent, OpenedEcgFile } from '../../core/contract/workstation-api.ts';
import { errorText } from '../../core/errors/index.ts';

export type OpenedEcg =
  | { kind: 'opened'; fileName: string; format: OpenedEcgFile['format']; recording: EcgRecording; measurements: EcgMeasurements }
  /** The error's code and its words in both languages (the error catalogue's, core/errors). */
  | { kind: 'failed'; fileName: string; code: string; zh: string; en: string };

const bytesOf = (base64: string): Uint8Array => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

/**
 * Reads and measures a file main sent, or says why it cannot be shown. Never rejects. The readers
 * (dcmjs is ≈ 30 % of the bundle) load on the first opened file, not at start-up.
 */
export async function readOpenedEcg(event: OpenEcgFileEvent): Promise<OpenedEcg> {
  if (!event.ok) return { kind: 'failed', fileName: event.fileName, code: event.error.code, zh: event.error.messageZh, en: event.error.message };
  const { fileName, format, base64 } = event.file;
  try {
    const [{ readDicomEcg, readScpEcg, readAecg }, { measureEcg }] = await Promise.all([import('../../core/ecg/formats/index.ts'), import('../../core/ecg/signal/index.ts')]);
    const bytes = bytesOf(base64);
    const recording = format === 'dicom' ? readDicomEcg(bytes) : format === 'hl7-aecg' ? readAecg(bytes) : readScpEcg(bytes);
    return { kind: 'opened', fileName, format, recording, measurements: measureEcg(recording) };
  } catch (error) {
    // The format readers throw EcgFormatError (bilingual, no patient data); anything else is a
    // file the readers did not expect at all.
    const e = error as { code?: unknown; messageZh?: unknown; messageEn?: unknown };
    if (typeof e.messageZh === 'string' && typeof e.messageEn === 'string') {
      return { kind: 'failed', fileName, code: String(e.code), zh: e.messageZh, en: e.messageEn };
    }
    return { kind: 'failed', fileName, code: 'unreadable-content', zh: errorText('ecgFile.unreadable-content', {}, 'zh-CN'), en: errorText('ecgFile.unreadable-content', {}, 'en') };
  }
}

/**
 * Listens for opened ECG files for as long as the app runs (mount it where the app's screen is
 * chosen, so a file opened from any screen is shown): the newest file, a way to close it, and a
 * callback to bring the ECG screen forward.
 */
export function useOpenedEcgFiles(files: FilesApi | undefined, onOpened: () => void): { current: OpenedEcg | null; dismiss(): void } {
  const [current, setCurrent] = useState<OpenedEcg | null>(null);
  const onOpenedRef = useRef(onOpened);
  onOpenedRef.current = onOpened;
  useEffect(() => {
    if (!files) return undefined;
    return files.onOpenEcgFile((event) => {
      void readOpenedEcg(event).then((opened) => {
        setCurrent(opened);
        onOpenedRef.current();
      });
    });
  }, [files]);
  return { current, dismiss: () => setCurrent(null) };
}
