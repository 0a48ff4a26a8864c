/**
 * The frame of every screen that asks for a credential before the app opens — sign-in, unlock,
 * reading-room enrolment: a centred card with its title and the language switch, around an antd
 * form (vertical labels, submitted with Enter or the primary button).
 */
import { Form, type FormInstance } from 'antd';
import type { ReactNode } from 'react';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import './session.css';

export function CredentialForm<Values extends object>({
  name,
  titleId,
  title,
  form,
  disabled,
  onSubmit,
  children,
}: {
  /** The form's name: antd prefixes its fields' ids with it (login_password), so two forms never share an id. */
  name: string;
  titleId: string;
  title: ReactNode;
  form?: FormInstance<Values>;
  disabled?: boolean;
  onSubmit(values: Values): void;
  children: ReactNode;
}) {
  return (
    <CredentialCard titleId={titleId} title={title}>
      <Form<Values> name={name} form={form} layout="vertical" requiredMark={false} disabled={disabled} aria-labelledby={titleId} onFinish={onSubmit}>
        {children}
      </Form>
    </CredentialCard>
  );
}

/**
 * The card alone, for the screens before the app that are not a form (a refused role). Drawn here in
 * antd's card look rather than with antd's Card, which brings tabs, menus and skeletons along to the
 * first screen a clinic PC shows.
 */
export function CredentialCard({ titleId, title, children }: { titleId: string; title: ReactNode; children: ReactNode }) {
  return (
    <main className="login-screen">
      <div className="login-card">
        <div className="login-card-head">
          <h1 id={titleId} className="login-title">
            {title}
          </h1>
          <LanguageSwitch />
        </div>
        <div className="login-card-body">{children}</div>
      </div>
    </main>
  );
}
