import { describe, expect, it, vi } from 'vitest';
import { listPrinters, printContents, PrintError, type PrintableContents } from './printing.ts';

const printers = [
  { name: 'Ticket-80mm', displayName: '小票打印机', description: 'XP-80C', options: { 'printer-location': '挂号窗口' } },
  { name: 'HP_LaserJet', displayName: '', description: '', options: {} },
];

/** A window's webContents whose print() answers as Chromium does. */
function contentsThat(outcome: [boolean, string]): PrintableContents & { print: ReturnType<typeof vi.fn> } {
  return {
    getPrintersAsync: async () => printers,
    print: vi.fn((_options: Record<string, unknown>, callback: (success: boolean, reason: string) => void) => callback(...outcome)),
  };
}

describe('printers and printing', () => {
  it('lists the printers for the wizard by system name and display name, without platform internals', async () => {
    expect(await listPrinters(contentsThat([true, '']))).toEqual([
      { name: 'Ticket-80mm', displayName: '小票打印机', description: 'XP-80C' },
      { name: 'HP_LaserJet', displayName: 'HP_LaserJet', description: '' },
    ]);
  });

  it('prints a queue ticket silently on the chosen printer, edge to edge', async () => {
    const contents = contentsThat([true, '']);
    expect(await printContents(contents, 'Ticket-80mm', { layout: 'ticket' })).toEqual({ printed: true, printerName: 'Ticket-80mm' });
    expect(contents.print.mock.calls[0]?.[0]).toMatchObject({ silent: true, deviceName: 'Ticket-80mm', usePrinterDefaultPageSize: true, margins: { marginType: 'none' }, copies: 1 });
  });

  it('opens the system print dialog for an A4 report when no printer is chosen', async () => {
    const contents = contentsThat([true, '']);
    expect(await printContents(contents, null)).toEqual({ printed: true, printerName: null });
    const options = contents.print.mock.calls[0]?.[0] as Record<string, unknown>;
    expect(options).toMatchObject({ silent: false, pageSize: 'A4' });
    expect(options).not.toHaveProperty('deviceName');
  });

  it('reports a cancelled dialog as not printed, not as an error', async () => {
    expect(await printContents(contentsThat([false, 'cancelled']), null)).toEqual({ printed: false, printerName: null });
  });

  it('says so when the chosen printer has gone, without sending the job anywhere', async () => {
    const contents = contentsThat([true, '']);
    const error = await printContents(contents, 'Unplugged-Printer').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrintError);
    expect(error).toMatchObject({ code: 'printer-missing', messageZh: expect.stringContaining('所选打印机不可用') });
    expect(contents.print).not.toHaveBeenCalled();
  });

  it('turns a failed print job into a PrintError with a Chinese message', async () => {
    const error = await printContents(contentsThat([false, 'failed']), 'Ticket-80mm').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'print-failed', messageZh: '打印失败：failed', messageEn: 'Printing failed: failed' });
  });
});
