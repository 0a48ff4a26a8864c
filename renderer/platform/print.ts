/**
 * Printing the page's print area (queue ticket, ECG report). In the desktop app main prints it on
 * the printer chosen in the first-run wizard, silently, or opens the system dialog when none is
 * chosen (WorkstationApi.printing); in a browser, window.print() opens the browser's dialog. A
 * printer that has gone away comes back as an error message in the UI language.
 */
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PrintOptions, WorkstationApi } from '../../core/contract/workstation-api.ts';
import { errorMessage } from '../app/messages.ts';
import { useWorkstation } from '../app/WorkstationContext.tsx';

export async function printPage(api: Pick<WorkstationApi, 'printing'>, layout: NonNullable<PrintOptions['layout']>): Promise<void> {
  if (api.printing) await api.printing.print({ layout });
  else window.print();
}

/** A print action for a button, and the last printing error to show beside it. */
export function usePrintPage(layout: NonNullable<PrintOptions['layout']>): { print(): void; error: string | null } {
  const { api } = useWorkstation();
  const { i18n } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const print = useCallback(() => {
    setError(null);
    printPage(api, layout).catch((e: unknown) => setError(errorMessage(i18n.language, e)));
  }, [api, layout, i18n.language]);
  return { print, error };
}
