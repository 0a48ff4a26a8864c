/**
 * Sealing JSON kept in RxDB local documents (drafts, the hub's state of a refused record) when the
 * database is encrypted: RxDB's encryption plugin covers collection fields only, so these are sealed
 * here with AES-256-GCM under the database's derived key (database.ts localSealKeyOf). In a clear
 * database they are stored as they are.
 */
import { base64url } from 'jose';
import { z } from 'zod';
import { localSealKeyOf, type LocalDatabase } from './database.ts';

const fromBase64url = (s: string): Uint8Array<ArrayBuffer> => new Uint8Array(base64url.decode(s));

export const sealedSchema = z.object({ iv: z.string(), data: z.string() });
export type Sealed = z.infer<typeof sealedSchema>;

/** The value sealed if the database is encrypted, else undefined (store it clear). */
export async function sealJson(db: LocalDatabase, value: unknown): Promise<Sealed | undefined> {
  const key = localSealKeyOf(db);
  if (!key) return undefined;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await key, new TextEncoder().encode(JSON.stringify(value)));
  return { iv: base64url.encode(iv), data: base64url.encode(new Uint8Array(sealed)) };
}

/** Opens what sealJson sealed; undefined when it cannot be (closed database, damaged or foreign data). */
export async function openJson(db: LocalDatabase, stored: unknown): Promise<unknown> {
  const sealed = sealedSchema.safeParse(stored);
  const key = localSealKeyOf(db);
  if (!sealed.success || !key) return undefined;
  try {
    const clear = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64url(sealed.data.iv) }, await key, fromBase64url(sealed.data.data));
    return JSON.parse(new TextDecoder().decode(clear)) as unknown;
  } catch {
    return undefined;
  }
}
