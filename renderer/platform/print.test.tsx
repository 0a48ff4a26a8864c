import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { makePatient, makeVisit } from '../../core/records/builders.ts';
import type { PrintingApi } from '../../core/contract/workstation-api.ts';
import { QueueTicket } from '../registration/QueueTicket.tsx';
import { renderWorkstation } from '../testing/render-workstation.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const patient = makePatient({ name: '赵敏' });
const visit = makeVisit({ patientId: patient.id, queueNumber: 12 });

const desktopPrinting = (print: PrintingApi['print']): PrintingApi => ({ listPrinters: async () => [], print: vi.fn(print) });

describe('printing a queue ticket', () => {
  it('in the desktop app, asks main to print the ticket (on the printer chosen in setup), without the browser dialog', async () => {
    const printing = desktopPrinting(async () => ({ printed: true, printerName: 'Ticket-80mm' }));
    const browserPrint = vi.spyOn(window, 'print').mockImplementation(() => undefined);
    await renderWorkstation(<QueueTicket patient={patient} visit={visit} />, { printing });
    fireEvent.click(screen.getByRole('button', { name: '打印排队小票' }));
    await waitFor(() => expect(printing.print).toHaveBeenCalledWith({ layout: 'ticket' }));
    expect(browserPrint).not.toHaveBeenCalled();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says in Chinese that the chosen printer is gone', async () => {
    const printing = desktopPrinting(async () => {
      throw { name: 'WorkstationCallError', code: 'printer-missing', message: 'The chosen printer is not available', messageEn: 'The chosen printer is not available', messageZh: '所选打印机不可用：请检查打印机是否开启，或在设置中重新选择' };
    });
    await renderWorkstation(<QueueTicket patient={patient} visit={visit} />, { printing });
    fireEvent.click(screen.getByRole('button', { name: '打印排队小票' }));
    expect((await screen.findByRole('alert')).textContent).toBe('所选打印机不可用：请检查打印机是否开启，或在设置中重新选择');
  });

  it('in a browser, opens the browser’s print dialog', async () => {
    const browserPrint = vi.spyOn(window, 'print').mockImplementation(() => undefined);
    await renderWorkstation(<QueueTicket patient={patient} visit={visit} />);
    fireEvent.click(screen.getByRole('button', { name: '打印排队小票' }));
    await waitFor(() => expect(browserPrint).toHaveBeenCalledTimes(1));
  });
});
