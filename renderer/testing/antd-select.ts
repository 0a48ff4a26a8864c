/**
 * Choosing in an antd Select from a component test. It is no <select>: its input is a combobox named
 * by aria-label, and its options open in a pop-up (rendered on the first mouse-down).
 */
import { fireEvent, screen, waitFor } from '@testing-library/react';

/** The options of the pop-up opened last (a closing one lingers while its animation runs in jsdom). */
function openOptions(): Element[] {
  const popups = [...document.querySelectorAll('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')];
  return [...(popups.at(-1)?.querySelectorAll('.ant-select-item-option') ?? [])];
}

/** Opens the Select named `label` and waits for its options' texts (they may load asynchronously). */
export async function openSelect(label: string): Promise<string[]> {
  fireEvent.mouseDown(screen.getByLabelText(label));
  return waitFor(() => {
    const texts = openOptions().map((o) => o.textContent ?? '');
    if (texts.length === 0) throw new Error(`the ${label} pop-up shows no options`);
    return texts;
  });
}

/** Opens the Select named `label` and clicks `option`, once it is there. */
export async function chooseOption(label: string, option: string): Promise<void> {
  fireEvent.mouseDown(screen.getByLabelText(label));
  const item = await waitFor(() => {
    const found = openOptions().find((o) => o.textContent === option);
    if (!found) throw new Error(`no option ${option} under ${label}`);
    return found;
  });
  fireEvent.click(item);
}

/** The text a Select named `label` shows as chosen. */
export const chosenIn = (label: string): string | null | undefined => screen.getByLabelText(label).closest('.ant-select-content')?.textContent;
