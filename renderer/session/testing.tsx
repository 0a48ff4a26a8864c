/**
 * For component tests of screens that need a signed-in user: a fixed session value to put in
 * SessionContext. (The session itself is tested in session-service.test.ts and LoginScreen.test.tsx.)
 */
import type { ReactNode } from 'react';
import { SessionContext, type SessionContextValue } from './SessionProvider.tsx';
import type { ActiveSession, SessionService, SignedInUser, WorkstationEnrolment } from '../../services/session/session-service.ts';
import type { Role } from '../../services/session/roles.ts';

export const testEnrolment: WorkstationEnrolment = {
  workstationId: 'ws-test-01',
  institution: { id: 'th-clinic-01', name: '城关镇卫生院', kind: 'township_clinic' },
  workstationCredential: 'test-workstation-credential-0001',
};

export function testUser(role: Role = 'doctor', overrides: Partial<SignedInUser> = {}): SignedInUser {
  return { userId: `th-clinic-01-${role}`, username: role, displayName: `测试${role}`, role, institution: testEnrolment.institution, workstationId: testEnrolment.workstationId, offline: false, ...overrides };
}

export function signedInSessionValue(user: SignedInUser = testUser()): SessionContextValue {
  const session: ActiveSession = { user, getToken: async () => 'test-token', subscribe: () => () => undefined };
  const service: SessionService = {
    enrolment: testEnrolment,
    login: async () => session,
    restore: async () => ({ session, locked: false }),
    lock: () => undefined,
    unlock: async () => undefined,
    logout: async () => undefined,
  };
  return { state: { status: 'signed-in', session, user, locked: false }, service, login: async () => undefined, logout: async () => undefined, lock: () => undefined, unlock: async () => undefined };
}

export function SignedIn({ user, children }: { user?: SignedInUser; children: ReactNode }) {
  return <SessionContext.Provider value={signedInSessionValue(user)}>{children}</SessionContext.Provider>;
}
