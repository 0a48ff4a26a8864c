import { describe, expect, it, vi } from 'vitest';
import { contentSecurityPolicy, installNavigationGuards, installSessionSecurity, isAppUrl, secureWebPreferences } from './security.ts';

vi.mock('electron', () => ({}));

type Listener = (event: { preventDefault: () => void }, url: string) => void;

function fakeWebContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: (() => { action: string }) | undefined;
  return {
    on: (name: string, listener: Listener) => listeners.set(name, listener),
    setWindowOpenHandler: (handler: () => { action: string }) => (openHandler = handler),
    /** Fires `name` and says whether the guard blocked it. */
    attempt(name: string, url: string): boolean {
      let blocked = false;
      listeners.get(name)?.({ preventDefault: () => (blocked = true) }, url);
      return blocked;
    },
    openWindow: () => openHandler?.(),
  };
}

describe('window security', () => {
  it('runs the renderer isolated, sandboxed and without Node', () => {
    const prefs = secureWebPreferences('/app/preload.cjs');
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(prefs.preload).toBe('/app/preload.cjs');
  });

  it('sends a CSP that forbids inline and remote scripts and plugins', () => {
    expect(contentSecurityPolicy).toContain("script-src 'self'");
    expect(contentSecurityPolicy).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
    expect(contentSecurityPolicy).toContain("object-src 'none'");
  });

  it('keeps navigation inside the app and refuses every new window', () => {
    const contents = fakeWebContents();
    installNavigationGuards(contents as never, 'file://');
    expect(contents.attempt('will-navigate', 'https://evil.example/phish')).toBe(true);
    expect(contents.attempt('will-redirect', 'http://127.0.0.1:9999/')).toBe(true);
    expect(contents.attempt('will-navigate', 'file:///app/renderer/index.html#/queue')).toBe(false);
    expect(contents.attempt('will-attach-webview', '')).toBe(true);
    expect(contents.openWindow()).toEqual({ action: 'deny' });
  });

  it('treats only the dev server origin as the app when one is used', () => {
    expect(isAppUrl('http://127.0.0.1:5180/#token=x', 'http://127.0.0.1:5180')).toBe(true);
    expect(isAppUrl('http://127.0.0.1:5181/', 'http://127.0.0.1:5180')).toBe(false);
    expect(isAppUrl('not a url', 'file://')).toBe(false);
  });

  it('denies permission requests by default and adds the CSP header to every response', () => {
    let permissionHandler: ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | undefined;
    let headersHandler: ((details: { responseHeaders: Record<string, string[]> }, cb: (r: unknown) => void) => void) | undefined;
    const session = {
      webRequest: { onHeadersReceived: (h: typeof headersHandler) => (headersHandler = h) },
      setPermissionRequestHandler: (h: typeof permissionHandler) => (permissionHandler = h),
      setPermissionCheckHandler: vi.fn(),
    };
    installSessionSecurity(session as never);
    const decisions: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal']) {
      permissionHandler?.({}, permission, (granted) => decisions.push(granted));
    }
    expect(decisions).toEqual([false, false, false, false]);
    let response: { responseHeaders: Record<string, string[]> } | undefined;
    headersHandler?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => (response = r as typeof response));
    expect(response?.responseHeaders['Content-Security-Policy']).toEqual([contentSecurityPolicy]);
    expect(response?.responseHeaders['Content-Type']).toEqual(['text/html']);
  });
});
