/**
 * Ant Design's Select is not a native <select> (issue 14 item 1): its label points at a search
 * input, the choices open in a popup on mouse-down. These do in jsdom what a user does with it; the
 * browser E2E tests have their own in tests/e2e/support/antd.ts.
 */
import { fireEvent, screen } from '@testing-library/react';

const selectOf = (label: string) => {
  const select = screen.getByLabelText(label).closest('.ant-select');
  if (!select) throw new Error(`${label} is not an antd Select`);
  return select;
};

/** Opens the Select labelled `label` and clicks the option shown as `option`. */
export function chooseOption(label: string, option: string): void {
  fireEvent.mouseDown(screen.getByLabelText(label));
  const item = [...document.querySelectorAll('.ant-select-dropdown .ant-select-item-option')].find((o) => o.getAttribute('title') === option);
  if (!item) throw new Error(`${label}: no option ${option}`);
  fireEvent.click(item);
}

/** What the Select labelled `label` shows as chosen. */
export const shownOption = (label: string): string | null => selectOf(label).querySelector('.ant-select-content')?.getAttribute('title') ?? null;
