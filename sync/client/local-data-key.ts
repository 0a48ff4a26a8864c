/**
 * The data key of a workstation's local database and who may release it (docs/security-local-data.md).
 *
 * One random 256-bit key per database encrypts the sensitive fields (field-encryption.ts) and the
 * drafts and other local documents with clinical content (local-seal.ts). It is never stored in clear: the keyring holds one copy
 * per user of this workstation, each sealed with AES-256-GCM under a key derived from that user's
 * password by PBKDF2-SHA256 (600 000 iterations, a salt of its own — not the hub's offline-login
 * verifier, so the keyring tells nothing about the hub's copy). Signing in releases the key to
 * memory; closing the database (sign-out, lock) drops it.
 *
 * A user who has no copy yet gets one from someone who holds the key (grantDataKey after a hub-
 * verified sign-in); the very first user of a fresh database creates it (createKeyring).
 *
 * DOM-safe: WebCrypto only, the same in the Electron renderer, Chromium and Node 20.
 */
import { base64url } from 'jose';
import { z } from 'zod';
import { CodedError, type ErrorCodeOf } from '../../core/errors/index.ts';

/** base64url → bytes on a fresh ArrayBuffer (WebCrypto's BufferSource type). */
const fromBase64url = (s: string): Uint8Array<ArrayBuffer> => new Uint8Array(base64url.decode(s));


/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256; about half a second on a clinic PC, once per sign-in. */
export const KEYRING_PBKDF2_ITERATIONS = 600_000;
const MIN_ITERATIONS = 100_000;
const MAX_ITERATIONS = 5_000_000;

/** The key as RxDB's encryption plugin takes it (a password string of ≥ 12 characters): 43 base64url characters. */
export type DataKey = string;

/** Why the key was not released; the words are the catalogue's `localDataKey.*` (core/errors/locales). */
export type LocalDataKeyErrorCode = ErrorCodeOf<'localDataKey'>;

export class LocalDataKeyError extends CodedError<`localDataKey.${LocalDataKeyErrorCode}`> {
  override readonly name = 'LocalDataKeyError';
  declare readonly code: LocalDataKeyErrorCode;
  constructor(code: LocalDataKeyErrorCode, options?: { cause?: unknown }) {
    super(`localDataKey.${code}`, {}, options);
  }
}

const sealedKeySchema = z.object({
  kdf: z.object({ alg: z.literal('PBKDF2-SHA256'), iterations: z.number().int().min(MIN_ITERATIONS).max(MAX_ITERATIONS), salt: z.string().min(22) }),
  iv: z.string().min(16),
  /** AES-256-GCM of the 32 key bytes (with its tag). */
  sealed: z.string().min(43),
  sealedAt: z.string(),
});
export type SealedKey = z.infer<typeof sealedKeySchema>;

const keyringSchema = z.object({
  version: z.literal(1),
  /** By username (NFC). */
  users: z.record(z.string(), sealedKeySchema),
});
export type Keyring = z.infer<typeof keyringSchema>;

/** Where the keyring lives: a local document of the workstation database opened before sign-in. */
export interface KeyringStore {
  read(): Promise<unknown>;
  write(keyring: Keyring): Promise<void>;
}

interface LocalDocumentHost {
  getLocal(id: string): Promise<{ toJSON(): { data: unknown } } | null>;
  upsertLocal(id: string, data: Keyring): Promise<unknown>;
}

export const KEYRING_DOC = 'local-data-keyring';

export const localDocumentKeyring = (db: LocalDocumentHost): KeyringStore => ({
  read: async () => (await db.getLocal(KEYRING_DOC))?.toJSON().data,
  write: async (keyring) => void (await db.upsertLocal(KEYRING_DOC, keyring)),
});

const nfc = (username: string) => username.normalize('NFC');

const readKeyring = async (store: KeyringStore): Promise<Keyring | undefined> => {
  const parsed = keyringSchema.safeParse(await store.read());
  return parsed.success ? parsed.data : undefined;
};

export const newDataKey = (): DataKey => base64url.encode(crypto.getRandomValues(new Uint8Array(32)));

const sealingKey = async (password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> => {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(password.normalize('NFC')), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, material, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
};

/** Seals the data key under a password. */
export async function sealDataKey(dataKey: DataKey, password: string, iterations = KEYRING_PBKDF2_ITERATIONS): Promise<SealedKey> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await sealingKey(password, salt, iterations);
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, fromBase64url(dataKey));
  return {
    kdf: { alg: 'PBKDF2-SHA256', iterations, salt: base64url.encode(salt) },
    iv: base64url.encode(iv),
    sealed: base64url.encode(new Uint8Array(sealed)),
    sealedAt: new Date().toISOString(),
  };
}

/** Opens a sealed key; a wrong password fails GCM's authentication: LocalDataKeyError('wrong-password'). */
export async function openSealedKey(sealed: SealedKey, password: string): Promise<DataKey> {
  const key = await sealingKey(password, fromBase64url(sealed.kdf.salt), sealed.kdf.iterations);
  try {
    const bytes = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64url(sealed.iv) }, key, fromBase64url(sealed.sealed));
    return base64url.encode(new Uint8Array(bytes));
  } catch (cause) {
    throw new LocalDataKeyError('wrong-password', { cause });
  }
}

/** Does this workstation's data have a key yet (a keyring with at least one user)? */
export async function hasKeyring(store: KeyringStore): Promise<boolean> {
  const keyring = await readKeyring(store);
  return !!keyring && Object.keys(keyring.users).length > 0;
}

/** The first user of a fresh database: a new data key, sealed for them. Refused if a keyring exists. */
export async function createKeyring(store: KeyringStore, username: string, password: string, iterations?: number): Promise<DataKey> {
  if (await hasKeyring(store)) throw new LocalDataKeyError('keyring-exists');
  const dataKey = newDataKey();
  await store.write({ version: 1, users: { [nfc(username)]: await sealDataKey(dataKey, password, iterations) } });
  return dataKey;
}

/** Releases the data key to a user who holds a copy, with their password. */
export async function releaseDataKey(store: KeyringStore, username: string, password: string): Promise<DataKey> {
  const sealed = (await readKeyring(store))?.users[nfc(username)];
  if (!sealed) throw new LocalDataKeyError('no-key-for-user');
  return openSealedKey(sealed, password);
}

/**
 * Seals the data key (already released to memory) for a user: a colleague whose password the hub has
 * just verified, or the same user after a password change. Replaces that user's previous copy.
 */
export async function grantDataKey(store: KeyringStore, dataKey: DataKey, username: string, password: string, iterations?: number): Promise<void> {
  const keyring = (await readKeyring(store)) ?? { version: 1 as const, users: {} };
  await store.write({ ...keyring, users: { ...keyring.users, [nfc(username)]: await sealDataKey(dataKey, password, iterations) } });
}

/** Removes a user's copy (the hub disabled the user, or the workstation is handed over). */
export async function revokeDataKey(store: KeyringStore, username: string): Promise<void> {
  const keyring = await readKeyring(store);
  if (!keyring?.users[nfc(username)]) return;
  const users = { ...keyring.users };
  delete users[nfc(username)];
  await store.write({ ...keyring, users });
}

/** Users holding a copy (for the administrator's screen and tests); no key material. */
export async function keyHolders(store: KeyringStore): Promise<string[]> {
  return Object.keys((await readKeyring(store))?.users ?? {}).sort();
}
