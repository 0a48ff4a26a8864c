/** What every route of the hub shares: storage, signing keys, settings, the change notifier. */
import type { Database } from './db/database.ts';
import type { SigningKeys } from './auth/tokens.ts';
import type { CallerCache } from './auth/authenticate.ts';
import type { ChangeNotifier } from './replication/notifier.ts';
import type { PacsForwarder } from './pacs/forwarder.ts';
import { BLOB_CHUNK_MAX, BLOB_SIZE_MAX } from '../protocol/wire.ts';
import type { ItemCatalog } from '../../core/catalog/index.ts';

export interface HubSettings {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  offlineGrantTtlSeconds: number;
  enrolmentCodeTtlSeconds: number;
  /** Largest JSON body (push batches included). */
  bodyLimitBytes: number;
  /** Largest single blob chunk request. */
  blobChunkLimitBytes: number;
  /** Largest blob (a 10 s 12-lead DICOM ECG is ~0.1–1 MiB; long rhythm strips more). */
  blobMaxBytes: number;
  /** Login and enrolment attempts per minute per client address and workstation. */
  loginAttemptsPerMinute: number;
  /**
   * Browser origins allowed to call the hub (CORS allow-list). Empty: no cross-origin browser access
   * (the Electron workstation needs none). A demo hub also allows loopback origins (the browser-mode UI).
   */
  corsOrigins: string[];
  /** Wrong passwords in a row before an account locks (等级保护: 登录失败处理). */
  accountLockoutThreshold: number;
  /** First lock length; each further lock doubles it (up to a day). An administrator can unlock. */
  accountLockoutBaseSeconds: number;
  /** Unfinished blob uploads are dropped after this long. */
  blobUploadTtlSeconds: number;
  /** Files (and uploads in progress) one institution may keep at the hub, in bytes. */
  blobQuotaBytesPerInstitution: number;
  /** Refreshes per minute per refresh-token family (one signed-in session on one PC). */
  refreshAttemptsPerMinute: number;
  /**
   * How long after its rotation a spent refresh token may come back because the answer was lost
   * (the window reloaded, the PC lost power mid-refresh) and be rotated again instead of taken for a
   * replay — only while the token that replaced it is unused (routes/auth.ts).
   */
  refreshRetryGraceSeconds: number;
  /**
   * A 危急值 report the clinic has not acknowledged after this many minutes is escalated: the clinic's
   * administrator and the cardiologist who signed it see it (GET /ecg/critical/escalated).
   */
  criticalEscalationMinutes: number;
  /**
   * How long a checked access token is trusted without re-reading its user and workstation
   * (auth/authenticate.ts): a revocation made on another hub process bites within this; 0 = never cached.
   */
  callerCacheMs: number;
  /** Live-stream keep-alive (and re-authentication) interval; the protocol's default when unset. */
  streamKeepAliveMs?: number;
}

export const defaultSettings: HubSettings = {
  accessTokenTtlSeconds: 15 * 60,
  refreshTokenTtlSeconds: 12 * 60 * 60,
  offlineGrantTtlSeconds: 7 * 24 * 60 * 60,
  enrolmentCodeTtlSeconds: 24 * 60 * 60,
  bodyLimitBytes: 2 * 1024 * 1024,
  blobChunkLimitBytes: BLOB_CHUNK_MAX,
  blobMaxBytes: BLOB_SIZE_MAX, // what an EcgStudy's dicomSizeBytes allows
  loginAttemptsPerMinute: 10,
  corsOrigins: [],
  accountLockoutThreshold: 5,
  accountLockoutBaseSeconds: 60,
  refreshAttemptsPerMinute: 10,
  refreshRetryGraceSeconds: 120, // a reload and the password typed again at the lock screen
  blobUploadTtlSeconds: 24 * 60 * 60,
  blobQuotaBytesPerInstitution: 20 * 1024 * 1024 * 1024, // 20 GiB ≈ 40 000 ECGs of ~0.5 MiB
  criticalEscalationMinutes: 10,
  callerCacheMs: 1000,
};

export interface HubContext {
  db: Database;
  keys: SigningKeys;
  settings: HubSettings;
  notifier: ChangeNotifier;
  /** The county item catalogue results are checked against; the bundled starter set when unset. */
  itemCatalog?: ItemCatalog;
  /** Callers checked in the last second (auth/authenticate.ts); none: every request re-reads. */
  callers?: CallerCache;
  /** Enders of the open live streams, so closing the hub ends them. */
  streams?: Set<() => void>;
  /** Set when studies are forwarded to a PACS (StartHubOptions.pacsForward). */
  pacs?: PacsForwarder;
}
