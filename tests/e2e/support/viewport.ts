/**
 * Playwright's `toBeInViewport()` lives in @playwright/test, which this suite does not use (it drives
 * Chromium through playwright-core): the same check, on the element's box in the page's viewport as it
 * stands — no scrolling first, since a nurse who has to scroll to find the button did not see it.
 */
import { expect } from 'vitest';
import type { Locator } from 'playwright-core';

export async function expectInViewport(locator: Locator, what: string): Promise<void> {
  const box = await locator.boundingBox();
  const viewport = locator.page().viewportSize();
  expect(box, `${what}: not rendered`).not.toBeNull();
  expect(viewport).not.toBeNull();
  expect(box!.y, `${what}: above the visible area`).toBeGreaterThanOrEqual(0);
  expect(box!.x, `${what}: left of the visible area`).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height, `${what}: below the fold at ${viewport!.width}×${viewport!.height}`).toBeLessThanOrEqual(viewport!.height);
  expect(box!.x + box!.width, `${what}: right of the visible area`).toBeLessThanOrEqual(viewport!.width);
}
