/**
 * Injected into the workstation page before it loads (Playwright addInitScript): times a card read
 * inside the renderer, excluding the device. t0 is the device agent's identity-document message
 * arriving on the page's WebSocket (a listener added before the app's own), then
 *  - filled: the registration form shows the card's name,
 *  - matched: the form says which existing patient it is (the local look-up by ID number answered),
 *  - painted: the next animation frame after that.
 * The page under test is not changed in any way. Plain JavaScript in a string: a compiled function
 * would carry the bundler's helpers (__name), which do not exist in the page.
 */
export interface CardTiming {
  filled: number;
  matched: number;
  painted: number;
  /** The longest main-thread task (Long Tasks API, ≥ 50 ms) between the event and the match; 0 if none. */
  longestTask: number;
}

export const cardTimingScript = `(() => {
  const state = { expected: '', t0: 0, filled: 0, matched: 0, done: null };
  const longTasks = [];
  new PerformanceObserver((list) => longTasks.push(...list.getEntries())).observe({ type: 'longtask', buffered: true });
  const longestTaskSince = (from, to) =>
    Math.max(0, ...longTasks.filter((t) => t.startTime + t.duration > from && t.startTime < to).map((t) => t.duration));
  const nameShown = () => [...document.querySelectorAll('form.registration-form input')].some((i) => i.value === state.expected);
  const matchShown = () => {
    const el = document.querySelector('[data-testid="patient-match"]');
    return el?.dataset.match === 'existing' && (el.textContent ?? '').includes(state.expected);
  };
  let observer;
  const check = () => {
    if (!state.t0 || state.done) return;
    const now = performance.now();
    if (!state.filled && nameShown()) state.filled = now - state.t0;
    if (state.filled && !state.matched && matchShown()) {
      state.matched = now - state.t0;
      observer?.disconnect();
      requestAnimationFrame(() => {
        const end = performance.now();
        // Long-task entries arrive after the task: read them a moment later.
        setTimeout(() => {
          state.done = { filled: state.filled, matched: state.matched, painted: end - state.t0, longestTask: longestTaskSince(state.t0, state.t0 + state.matched) };
        }, 100);
      });
    }
  };
  const onCardEvent = () => {
    if (!state.expected || state.t0) return;
    state.t0 = performance.now();
    observer = new MutationObserver(check);
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    // React sets input values as properties (no mutation): also look once per frame.
    const frame = () => {
      check();
      if (!state.done) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  };
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener('message', (e) => {
        if (typeof e.data === 'string' && e.data.includes('"identity-document"')) onCardEvent();
      });
    }
  };
  globalThis.cardTiming = {
    expect(name) {
      Object.assign(state, { expected: name, t0: 0, filled: 0, matched: 0, done: null });
    },
    get done() {
      return state.done;
    },
  };
})();`;
