/**
 * Roles the hub gives users (sync/hub/auth/tokens.ts) and what each may open on the workstation.
 * The hub enforces what each role may read and write; this only decides which screens are offered.
 */
export const roles = ['nurse', 'doctor', 'cardiologist', 'administrator'] as const;
export type Role = (typeof roles)[number];

export const isRole = (value: string): value is Role => (roles as readonly string[]).includes(value);

/**
 * Screens by role. A screen id the app does not have (e.g. 'reading-room' before that screen exists)
 * is simply never shown: App filters its own list through `canOpen`.
 */
export const screensByRole: Record<Role, readonly string[]> = {
  /** 护士: registration desk and today's queue. */
  nurse: ['home', 'registration', 'queue', 'sync'],
  /** 医生: registration, and today's queue inside consultation, plus ECG. */
  doctor: ['home', 'registration', 'consultation', 'ecg', 'sync'],
  /** 心电医生: ECG and the reading room (县远程心电诊断中心). */
  cardiologist: ['home', 'ecg', 'reading-room', 'sync'],
  /** 管理员: administration and workstation setup. */
  administrator: ['home', 'admin', 'setup', 'sync'],
};

export const canOpen = (role: Role, screen: string): boolean => screensByRole[role].includes(screen);
