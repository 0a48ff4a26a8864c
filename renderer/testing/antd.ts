/**
 * Ant Design's Select in jsdom (issue 14 item 1). It is not a native <select>: its label points at a
 * combobox input, and the options open in a pop-up rendered on the first mouse-down (and a closing
 * one lingers while its animation runs). These do what a user does with it; the browser E2E tests
 * have their own in tests/e2e/support/antd.ts.
 */
import { fireEvent, screen, waitFor } from '@testing-library/react';

/** The options of the pop-up opened last. */
function openOptions(): Element[] {
  const popups = [...document.querySelectorAll('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')];
  return [...(popups.at(-1)?.querySelectorAll('.ant-select-item-option') ?? [])];
}

const optionText = (option: Element) => option.getAttribute('title') ?? option.textContent ?? '';

/** Opens the Select labelled `label` and waits for its options' texts (they may load asynchronously). */
export async function openSelect(label: string): Promise<string[]> {
  fireEvent.mouseDown(screen.getByLabelText(label));
  return waitFor(() => {
    const texts = openOptions().map(optionText);
    if (texts.length === 0) throw new Error(`the ${label} pop-up shows no options`);
    return texts;
  });
}

/** Opens the Select labelled `label` and clicks the option shown as `option`, once it is there. */
export async function chooseOption(label: string, option: string): Promise<void> {
  fireEvent.mouseDown(screen.getByLabelText(label));
  const item = await waitFor(() => {
    const found = openOptions().find((o) => optionText(o) === option || o.textContent === option);
    if (!found) throw new Error(`no option ${option} under ${label}`);
    return found;
  });
  fireEvent.click(item);
}

/** What the Select labelled `label` shows as chosen. */
export function shownOption(label: string): string | null {
  const content = screen.getByLabelText(label).closest('.ant-select')?.querySelector('.ant-select-content');
  if (!content) throw new Error(`${label} is not an antd Select`);
  return content.getAttribute('title') ?? content.textContent;
}
