/**
 * Sign-in for any screen of the workstation (clinic app, reading room). Typical use:
 *
 *   const service = createSessionService({ hubUrl, enrolment, offlineStore: db, storage: sessionStorage });
 *   <SessionProvider service={service}>
 *     <SessionGate roles={['cardiologist']} title={t('readingRoom.title')}>
 *       <ReadingRoom />            // useSignedInUser(), useSession().state.session.getToken()
 *     </SessionGate>
 *   </SessionProvider>
 */
export { createSessionService, type ActiveSession, type SessionService, type SessionServiceOptions, type SignedInUser, type WorkstationEnrolment } from '../../services/session/session-service.ts';
export { LoginError, type LoginErrorCode } from '../../services/session/login-errors.ts';
export { SessionContext, SessionProvider, useSession, useSignedInUser, type SessionContextValue, type SessionState } from './SessionProvider.tsx';
export { SessionGate, type SessionGateProps } from './SessionGate.tsx';
export { LoginScreen, type LoginScreenProps } from './LoginScreen.tsx';
export { UserMenu } from './UserMenu.tsx';
export { canOpen, isRole, roles, screensByRole, type Role } from '../../services/session/roles.ts';
export { demoAccounts, demoCenterEnrolment, demoEnrolment, workstationSettingsStore, type StoredWorkstationSettings, type WorkstationSettingsStore } from '../../services/session/workstation-settings.ts';
