/**
 * Field encryption for RxDB with WebCrypto AES-256-GCM: the storage wrapper database.ts puts between
 * the records and the disk when the database has a data key. Every field a schema lists in `encrypted`
 * (core/records/definitions.ts; RxDB's replication meta lists `docData`) is stored as
 * `gcm1.<base64url(iv ‖ ciphertext ‖ tag)>` of its JSON.
 *
 * Why not RxDB's free encryption-crypto-js plugin, which this mirrors: it runs crypto-js's OpenSSL
 * key derivation (EVP_BytesToKey) for every field it touches, in JavaScript — measured 5.7 ms per record
 * written and 2.1 ms per record read (tests/bench/local-encryption.bench.ts), so a new workstation's
 * first sync of 100 000 records would take many minutes longer. RxDB's WebCrypto plugin is premium.
 * Here the AES key is derived once per database (HKDF-SHA256 from the data key) and the browser's
 * native AES-GCM does the work; GCM also detects a field altered on disk.
 */
import { base64url } from 'jose';
import {
  clone,
  flatClone,
  getProperty,
  hasEncryption,
  setProperty,
  wrapRxStorageInstance,
  type RxDocumentData,
  type RxDocumentWriteData,
  type RxJsonSchema,
  type RxStorage,
  type RxStorageInstanceCreationParams,
} from 'rxdb';
import { CodedError } from '../../core/errors/index.ts';

const PREFIX = 'gcm1.';

/** A field that cannot be decrypted with this database's key (altered on disk, or another key). */
export class FieldDecryptionError extends CodedError<'localData.field-decryption-failed'> {
  override readonly name = 'FieldDecryptionError';
  constructor(
    readonly collection: string,
    readonly field: string,
    options?: { cause?: unknown },
  ) {
    super('localData.field-decryption-failed', { collection, field }, options);
  }
}

const keys = new Map<string, Promise<CryptoKey>>();

/** The fields' AES-GCM key, derived once per data key. */
export const fieldKeyOf = (dataKey: string): Promise<CryptoKey> => {
  let key = keys.get(dataKey);
  if (!key) {
    key = crypto.subtle
      .importKey('raw', new Uint8Array(base64url.decode(dataKey)), 'HKDF', false, ['deriveKey'])
      .then((material) =>
        crypto.subtle.deriveKey(
          { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode('clinic-workstation record fields v1') },
          material,
          { name: 'AES-GCM', length: 256 },
          false,
          ['encrypt', 'decrypt'],
        ),
      );
    keys.set(dataKey, key);
  }
  return key;
};

/** Drops the derived key of a data key (the database closed: sign-out, lock). */
export const forgetFieldKey = (dataKey: string): void => void keys.delete(dataKey);

async function encryptValue(key: CryptoKey, value: unknown): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(JSON.stringify(value))));
  const out = new Uint8Array(iv.length + sealed.length);
  out.set(iv);
  out.set(sealed, iv.length);
  return PREFIX + base64url.encode(out);
}

async function decryptValue(key: CryptoKey, stored: unknown, collection: string, field: string): Promise<unknown> {
  if (typeof stored !== 'string' || !stored.startsWith(PREFIX)) throw new FieldDecryptionError(collection, field);
  try {
    const bytes = new Uint8Array(base64url.decode(stored.slice(PREFIX.length)));
    const clear = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes.subarray(0, 12) }, key, bytes.subarray(12));
    return JSON.parse(new TextDecoder().decode(clear)) as unknown;
  } catch (cause) {
    throw new FieldDecryptionError(collection, field, { cause });
  }
}

/** Same shape as RxDB's wrappedKeyEncryptionCryptoJsStorage: the database's `password` is the data key. */
export function wrappedFieldEncryptionStorage<I, O>(args: { storage: RxStorage<I, O> }): RxStorage<I, O> {
  return Object.assign({}, args.storage, {
    async createStorageInstance<D>(params: RxStorageInstanceCreationParams<D, O>) {
      if (!hasEncryption(params.schema)) return args.storage.createStorageInstance(params);
      if (typeof params.password !== 'string' || params.password.length < 43) throw new Error(`The ${params.collectionName} collection is encrypted but has no data key`);
      const key = fieldKeyOf(params.password);
      const paths = [...(params.schema.encrypted ?? [])];
      // Stored fields are ciphertext strings: the base storage sees them as such.
      const stored = clone(params.schema) as RxJsonSchema<RxDocumentData<D>> & { properties: Record<string, unknown> };
      delete stored.encrypted;
      for (const path of paths) {
        const parts = path.split('.');
        let level = stored as { properties: Record<string, unknown> };
        for (const part of parts.slice(0, -1)) level = level.properties[part] as { properties: Record<string, unknown> };
        level.properties[parts.at(-1)!] = { type: 'string' };
      }
      const instance = await args.storage.createStorageInstance({ ...params, schema: stored });

      // A nested path is set inside a copy, never inside the caller's object.
      const copy = <T>(doc: T): T => (paths.some((p) => p.includes('.')) ? clone(doc) : flatClone(doc));
      const toStorage = async (doc: RxDocumentWriteData<D>) => {
        const out = copy(doc) as Record<string, unknown>;
        const k = await key;
        for (const path of paths) {
          const value = getProperty(out, path);
          if (value !== undefined) setProperty(out, path, await encryptValue(k, value));
        }
        return out as unknown as RxDocumentData<D>;
      };
      const fromStorage = async (doc: RxDocumentData<unknown>) => {
        const out = copy(doc) as Record<string, unknown>;
        const k = await key;
        for (const path of paths) {
          const value = getProperty(out, path);
          if (value !== undefined) setProperty(out, path, await decryptValue(k, value, params.collectionName, path));
        }
        return out as unknown as RxDocumentData<D>;
      };
      return wrapRxStorageInstance(params.schema, instance, toStorage, fromStorage);
    },
  });
}
