/**
 * The frame of every screen that asks for a credential before the app opens — sign-in, unlock,
 * reading-room enrolment: a centred form with its title and the language switch.
 */
import type { ReactNode } from 'react';
import { LanguageSwitch } from './LanguageSwitch.tsx';

export function CredentialForm({ titleId, title, onSubmit, children }: { titleId: string; title: ReactNode; onSubmit(): void; children: ReactNode }) {
  return (
    <main className="login-screen">
      <form
        className="panel login-form"
        aria-labelledby={titleId}
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        <div className="login-header">
          <h1 id={titleId}>{title}</h1>
          <LanguageSwitch />
        </div>
        {children}
      </form>
    </main>
  );
}
