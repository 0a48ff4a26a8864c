/**
 * Printers and printing for the window's own page (queue tickets, ECG reports: the page's print
 * stylesheet shows only the ticket or report). The printer chosen in settings (first-run wizard) is
 * used silently, so a nurse prints a ticket with one click; with none chosen the system dialog opens.
 * A chosen printer that has gone (unplugged, renamed) is an error with a message that says so rather
 * than a silent print to nowhere.
 */
import type { PrinterInfo, PrintOptions, PrintOutcome } from '../../core/contract/workstation-api.ts';
import { CodedError, type ErrorCodeOf } from '../../core/errors/index.ts';

/** The part of webContents printing needs. */
export interface PrintableContents {
  getPrintersAsync(): Promise<{ name: string; displayName: string; description: string }[]>;
  print(options: Record<string, unknown>, callback: (success: boolean, failureReason: string) => void): void;
}

export type PrintErrorCode = ErrorCodeOf<'print'>;

export class PrintError extends CodedError<`print.${PrintErrorCode}`> {
  /** The printer's own reason is said in both languages: the nurse at the printer acts on it. */
  static override readonly detailStyle = 'both';
  override readonly name = 'PrintError';
  declare readonly code: PrintErrorCode;
  constructor(code: PrintErrorCode, detail?: string) {
    super(`print.${code}`, {}, { detail });
  }
}

export async function listPrinters(contents: PrintableContents): Promise<PrinterInfo[]> {
  const printers = await contents.getPrintersAsync();
  return printers.map(({ name, displayName, description }) => ({ name, displayName: displayName || name, description: description ?? '' }));
}

/** What webContents.print gets for a layout and the chosen printer. */
export function printOptionsFor(printerName: string | null, options: PrintOptions = {}): Record<string, unknown> {
  const layout =
    options.layout === 'ticket'
      ? // Ticket printers (58/80 mm roll) know their paper; margins would waste it.
        { usePrinterDefaultPageSize: true, margins: { marginType: 'none' } }
      : { pageSize: 'A4', margins: { marginType: 'default' } };
  return {
    ...layout,
    printBackground: true,
    copies: options.copies ?? 1,
    ...(printerName ? { silent: true, deviceName: printerName } : { silent: false }),
  };
}

export async function printContents(contents: PrintableContents, printerName: string | null, options?: PrintOptions): Promise<PrintOutcome> {
  if (printerName) {
    const available = await contents.getPrintersAsync();
    if (!available.some((p) => p.name === printerName)) throw new PrintError('printer-missing', printerName);
  }
  return new Promise((resolve, reject) => {
    contents.print(printOptionsFor(printerName, options), (success, failureReason) => {
      if (success) resolve({ printed: true, printerName });
      // The user closed the system dialog: nothing to report as an error.
      else if (failureReason === 'cancelled') resolve({ printed: false, printerName });
      else reject(new PrintError('print-failed', failureReason || undefined));
    });
  });
}
