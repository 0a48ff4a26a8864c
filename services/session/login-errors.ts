/**
 * Why a sign-in did not work, in words a nurse can act on (Chinese and English). The hub's own
 * bilingual message is kept where it says more than a code could (wrong password, account disabled,
 * workstation revoked all arrive as auth-invalid with different messages, sync/hub/errors.ts).
 */
export const loginErrors = {
  'fields-missing': { zh: '请输入用户名和密码', en: 'Enter your username and password' },
  rejected: { zh: '用户名或密码错误', en: 'Wrong username or password' },
  'offline-never-here': {
    zh: '无法连接县级平台，且此用户从未在本工作站联网登录过，无法离线登录。请在网络恢复后登录',
    en: 'Cannot reach the county hub, and this user has never signed in online on this workstation, so offline sign-in is not possible. Sign in once the network is back',
  },
  'offline-wrong-password': { zh: '用户名或密码错误（离线验证）', en: 'Wrong username or password (checked offline)' },
  'offline-grant-expired': {
    zh: '无法连接县级平台，且本机保存的离线登录授权已过期（有效期7天）。请在网络恢复后联网登录',
    en: 'Cannot reach the county hub, and the offline sign-in permission on this computer has expired (it lasts 7 days). Sign in online once the network is back',
  },
  'offline-grant-invalid': {
    zh: '无法连接县级平台，且本机保存的离线登录授权无效。请在网络恢复后联网登录',
    en: 'Cannot reach the county hub, and the offline sign-in permission on this computer is not valid. Sign in online once the network is back',
  },
  'hub-unreachable': { zh: '无法连接县级平台，请检查网络后重试', en: 'Cannot reach the county hub: check the network and try again' },
  'wrong-institution': {
    zh: '县级平台返回的机构与本工作站的注册机构不一致，请联系管理员',
    en: 'The county hub named another institution than the one this workstation is enrolled with; contact the administrator',
  },
  'hub-error': { zh: '县级平台暂时无法登录，请稍后再试', en: 'The county hub cannot sign you in right now; try again shortly' },
  'session-expired': { zh: '登录已过期或已被停用，请重新登录', en: 'Your sign-in has expired or was revoked: sign in again' },
  /** The records on this PC did not open with this user's key (the key's own message says why). */
  'local-data': { zh: '无法打开本机数据，请联系信息科', en: 'The data on this workstation could not be opened; contact IT support' },
} as const;

export type LoginErrorCode = keyof typeof loginErrors;

export class LoginError extends Error {
  override readonly name = 'LoginError';
  readonly messageZh: string;
  readonly messageEn: string;
  constructor(
    readonly code: LoginErrorCode,
    /** The hub's own message, when it sent one that says more (account disabled, workstation revoked…). */
    hubMessage?: { zh: string; en: string },
    options?: { cause?: unknown },
  ) {
    super(hubMessage?.en ?? loginErrors[code].en, options);
    this.messageZh = hubMessage?.zh ?? loginErrors[code].zh;
    this.messageEn = hubMessage?.en ?? loginErrors[code].en;
  }
}
