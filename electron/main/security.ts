/**
 * Security settings of every window: context isolation, sandbox, no Node in the renderer, a strict
 * CSP sent as a header, navigation and new windows limited to the app's own origin, every permission
 * request (camera, geolocation, notifications…) denied unless listed.
 */
import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';

export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  // React sets inline style attributes; no inline scripts are allowed.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  // The device agent and the county hub: addresses known only at run time.
  "connect-src 'self' http: https: ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function secureWebPreferences(preloadPath: string): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

/** True when `url` belongs to the app itself (the packaged file:// UI or the dev server origin). */
export function isAppUrl(url: string, appOrigin: string): boolean {
  try {
    const parsed = new URL(url);
    if (appOrigin === 'file://') return parsed.protocol === 'file:';
    return parsed.origin === appOrigin;
  } catch {
    return false;
  }
}

/** Permissions a clinic workstation needs from the renderer. Serial access goes through main. */
const allowedPermissions = new Set<string>(['clipboard-sanitized-write']);

export function installSessionSecurity(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy] },
    });
  });
  session.setPermissionRequestHandler((_webContents, permission, callback) => callback(allowedPermissions.has(permission)));
  session.setPermissionCheckHandler((_webContents, permission) => allowedPermissions.has(permission));
}

export function installNavigationGuards(contents: WebContents, appOrigin: string): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appOrigin)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, appOrigin)) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
