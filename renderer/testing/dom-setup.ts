/**
 * Component tests wait on conditions (findBy…, waitFor), never on time; but Testing Library gives up
 * after 1 s by default, and a lazily loaded screen (the ECG screen and its codecs) can take longer to
 * import on a loaded 2-core CI machine (seen: 1.9 s). The condition is the same, the patience longer.
 */
import { configure } from '@testing-library/react';

configure({ asyncUtilTimeout: 5_000 });

// jsdom has neither matchMedia nor ResizeObserver; Ant Design (the admin screens) asks for both to
// lay out tables and tabs. Inert stand-ins: component tests check behaviour, never layout.
if (typeof window !== 'undefined' && !window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({ matches: false, media: query, onchange: null, addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {}, dispatchEvent: () => false }) as MediaQueryList;
}
if (typeof globalThis.ResizeObserver === 'undefined') {
  globalThis.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}
