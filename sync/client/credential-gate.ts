/**
 * What the sync client does when the hub refuses its credentials (a revoked workstation, a disabled
 * user, a wrong stored password, nobody signed in): retrying cannot help until someone signs in
 * again, and retrying a login every few seconds only runs into the hub's login rate limit. So
 * requests wait here until the credentials change (`open()`: the login screen signed someone in,
 * the nurse pressed 同步) or, as a slow safety net, until `fallbackMs` has passed.
 */
import type { SyncErrorCode } from './hub-http.ts';

/** Hub answers no retry can fix: only new credentials can. */
export const isCredentialRefusal = (code: SyncErrorCode): boolean => code === 'auth-invalid' || code === 'auth-missing';

export class CredentialGate {
  private waiters = new Set<() => void>();

  constructor(private readonly fallbackMs: number) {}

  /** Resolves at the next open() or after fallbackMs. */
  wait(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.fallbackMs);
      this.waiters.add(done);
    });
  }

  get waiting(): number {
    return this.waiters.size;
  }

  /** Credentials changed (or the user asked): every waiting request tries again now. */
  open(): void {
    for (const w of [...this.waiters]) w();
  }
}
