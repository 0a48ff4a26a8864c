/**
 * The workstation's settings in <userData>/settings.json: hub URL, enrolment, printer, auto-update.
 * Device assignments are not here: the device agent keeps them (<userData>/devices, devices/agent).
 *
 * The enrolment credential is encrypted with Electron's safeStorage (DPAPI on Windows, the Secret
 * Service keyring on Linux) when it is available; otherwise it is stored as is, readable only by this
 * OS user (0600), and a warning is logged. The file is validated with zod when read: a damaged file
 * is set aside as settings.json.corrupt and the defaults apply, so a bad file never stops the app.
 * Log lines name what happened, never a credential.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { defaultSettings, enrolmentSchema, settingsPatchSchema, workstationSettingsSchema } from '../../core/contract/settings-schema.ts';
import type { WorkstationSettings } from '../../core/contract/workstation-api.ts';
import { writeFileAtomic } from './atomic-write.ts';

export const settingsFile = 'settings.json';

/** The part of Electron's safeStorage the store uses. */
export interface CredentialCipher {
  isEncryptionAvailable(): boolean;
  encryptString(text: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means no keyring was found and the "encryption" is a fixed key. */
  getSelectedStorageBackend?(): string;
}

const storedCredentialSchema = z.union([z.object({ encrypted: z.base64().min(1) }).strict(), z.object({ plain: z.string().min(16).max(200) }).strict()]);

const storedSettingsSchema = z.object({
  version: z.literal(1),
  hubUrl: workstationSettingsSchema.shape.hubUrl.default(''),
  enrolment: enrolmentSchema.omit({ workstationCredential: true }).extend({ workstationCredential: storedCredentialSchema }).nullable().default(null),
  printerName: workstationSettingsSchema.shape.printerName.default(null),
  autoUpdate: z.boolean().default(false),
});
type StoredSettings = z.infer<typeof storedSettingsSchema>;

export class SettingsStore {
  private settings: WorkstationSettings;
  private readonly file: string;

  constructor(
    userDataDir: string,
    private readonly cipher: CredentialCipher,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.file = path.join(userDataDir, settingsFile);
    this.settings = this.load();
  }

  get(): WorkstationSettings {
    return structuredClone(this.settings);
  }

  /** Validates the patch (zod), saves, and answers the settings now in force. Throws on a bad patch. */
  update(patch: unknown): WorkstationSettings {
    const valid = settingsPatchSchema.parse(patch);
    const next = workstationSettingsSchema.parse({ ...this.settings, ...valid });
    writeFileAtomic(this.file, `${JSON.stringify(this.toStored(next), null, 2)}\n`);
    this.settings = next;
    return this.get();
  }

  private load(): WorkstationSettings {
    if (!existsSync(this.file)) return { ...defaultSettings };
    let stored: StoredSettings;
    try {
      stored = storedSettingsSchema.parse(JSON.parse(readFileSync(this.file, 'utf8')));
    } catch (error) {
      this.log(`settings: ${settingsFile} is damaged (${error instanceof z.ZodError ? 'invalid content' : 'not JSON or unreadable'}); using defaults`);
      this.setAside();
      return { ...defaultSettings };
    }
    const { version: _version, enrolment, ...rest } = stored;
    if (!enrolment) return { ...rest, enrolment: null };
    const credential = this.revealCredential(enrolment.workstationCredential);
    if (credential === undefined) {
      this.log('settings: the enrolment credential cannot be decrypted (OS keyring changed?); the workstation must be enrolled again');
      return { ...rest, enrolment: null };
    }
    return { ...rest, enrolment: { ...enrolment, workstationCredential: credential } };
  }

  /** Keeps the damaged file for support instead of overwriting it with the next save. */
  private setAside(): void {
    try {
      renameSync(this.file, `${this.file}.corrupt`);
    } catch {
      // Nothing more to do: the next save replaces it.
    }
  }

  private revealCredential(stored: z.infer<typeof storedCredentialSchema>): string | undefined {
    if ('plain' in stored) return stored.plain;
    try {
      if (!this.cipher.isEncryptionAvailable()) return undefined;
      const text = this.cipher.decryptString(Buffer.from(stored.encrypted, 'base64'));
      return enrolmentSchema.shape.workstationCredential.safeParse(text).success ? text : undefined;
    } catch {
      return undefined;
    }
  }

  private toStored(settings: WorkstationSettings): StoredSettings {
    const { enrolment, ...rest } = settings;
    if (!enrolment) return { version: 1, ...rest, enrolment: null };
    return { version: 1, ...rest, enrolment: { ...enrolment, workstationCredential: this.protectCredential(enrolment.workstationCredential) } };
  }

  private protectCredential(credential: string): { encrypted: string } | { plain: string } {
    if (this.cipher.isEncryptionAvailable()) {
      if (this.cipher.getSelectedStorageBackend?.() === 'basic_text') {
        this.log('settings: no OS keyring found; the enrolment credential is only obfuscated (safeStorage basic_text)');
      }
      return { encrypted: this.cipher.encryptString(credential).toString('base64') };
    }
    this.log('settings: OS encryption unavailable; the enrolment credential is stored unencrypted (file readable by this user only)');
    return { plain: credential };
  }
}
