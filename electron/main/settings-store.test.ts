import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingsStore, settingsFile, type CredentialCipher } from './settings-store.ts';

const makeUserDataDir = () => mkdtempSync(path.join(tmpdir(), 'cw-settings-'));

/** Stands in for safeStorage: reversible, and visibly not the plain text. */
const keyring = (available = true, backend = 'gnome_libsecret'): CredentialCipher => ({
  isEncryptionAvailable: () => available,
  encryptString: (text) => Buffer.from(`sealed:${[...text].reverse().join('')}`),
  decryptString: (data) => {
    const text = data.toString();
    if (!text.startsWith('sealed:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return [...text.slice('sealed:'.length)].reverse().join('');
  },
  getSelectedStorageBackend: () => backend,
});

const credential = 'wsc_0123456789abcdef0123456789abcdef';
const enrolment = { workstationId: 'ws-7', institution: { id: 'chengguan', name: '城关镇卫生院', kind: 'township' }, workstationCredential: credential };

describe('settings store', () => {
  it('starts with defaults: no hub, not enrolled, the system print dialog, updates off', () => {
    expect(new SettingsStore(makeUserDataDir(), keyring()).get()).toEqual({ hubUrl: '', enrolment: null, printerName: null, autoUpdate: false });
  });

  it('keeps the first-run wizard’s choices across restarts', () => {
    const dir = makeUserDataDir();
    new SettingsStore(dir, keyring()).update({ hubUrl: 'https://hub.county.example', enrolment, printerName: 'Ticket-80mm' });
    expect(new SettingsStore(dir, keyring()).get()).toEqual({ hubUrl: 'https://hub.county.example', enrolment, printerName: 'Ticket-80mm', autoUpdate: false });
  });

  it('never writes the enrolment credential in clear when the OS can encrypt it', () => {
    const dir = makeUserDataDir();
    new SettingsStore(dir, keyring()).update({ enrolment });
    const onDisk = readFileSync(path.join(dir, settingsFile), 'utf8');
    expect(onDisk).not.toContain(credential);
    expect(onDisk).toContain('"encrypted"');
  });

  it('stores the credential unencrypted, with a warning, where the OS has no encryption', () => {
    const dir = makeUserDataDir();
    const lines: string[] = [];
    new SettingsStore(dir, keyring(false), (line) => lines.push(line)).update({ enrolment });
    expect(lines.join('\n')).toMatch(/unencrypted/);
    expect(lines.join('\n')).not.toContain(credential);
    expect(new SettingsStore(dir, keyring(false)).get().enrolment).toEqual(enrolment);
  });

  it('warns when Linux has no keyring and safeStorage only obfuscates', () => {
    const lines: string[] = [];
    new SettingsStore(makeUserDataDir(), keyring(true, 'basic_text'), (line) => lines.push(line)).update({ enrolment });
    expect(lines.join('\n')).toMatch(/basic_text/);
  });

  it('asks for a new enrolment, keeping the other settings, when the credential cannot be decrypted any more', () => {
    const dir = makeUserDataDir();
    new SettingsStore(dir, keyring()).update({ hubUrl: 'https://hub.county.example', enrolment });
    const lines: string[] = [];
    const otherKeyring: CredentialCipher = { ...keyring(), decryptString: () => 'garbled' };
    const store = new SettingsStore(dir, otherKeyring, (line) => lines.push(line));
    expect(store.get()).toMatchObject({ hubUrl: 'https://hub.county.example', enrolment: null });
    expect(lines.join('\n')).toMatch(/enrolled again/);
  });

  it.each([
    ['not JSON', '{"hubUrl": "https://hub'],
    ['a hub URL that is not http(s)', JSON.stringify({ version: 1, hubUrl: 'file:///etc/passwd' })],
    ['auto-update as a string', JSON.stringify({ version: 1, autoUpdate: 'yes' })],
    ['an unknown version', JSON.stringify({ version: 99 })],
    ['an array', '[]'],
  ])('falls back to the defaults, logs a warning and keeps the damaged file aside when it holds %s', (_label, content) => {
    const dir = makeUserDataDir();
    writeFileSync(path.join(dir, settingsFile), content);
    const lines: string[] = [];
    const store = new SettingsStore(dir, keyring(), (line) => lines.push(line));
    expect(store.get()).toEqual({ hubUrl: '', enrolment: null, printerName: null, autoUpdate: false });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/damaged.*defaults/);
    expect(readFileSync(path.join(dir, `${settingsFile}.corrupt`), 'utf8')).toBe(content);
    // The next save writes a good file again.
    store.update({ printerName: 'Ticket-80mm' });
    expect(new SettingsStore(dir, keyring()).get().printerName).toBe('Ticket-80mm');
  });

  it('refuses an invalid update and leaves the saved settings as they were', () => {
    const dir = makeUserDataDir();
    const store = new SettingsStore(dir, keyring());
    store.update({ printerName: 'Ticket-80mm' });
    for (const patch of [{ hubUrl: 'ftp://hub' }, { printerName: 42 }, { enrolment: { ...enrolment, institution: undefined } }, { unknown: true }]) {
      expect(() => store.update(patch)).toThrow();
    }
    expect(store.get().printerName).toBe('Ticket-80mm');
    expect(new SettingsStore(dir, keyring()).get().printerName).toBe('Ticket-80mm');
  });

  it('writes nothing until something is saved', () => {
    const dir = makeUserDataDir();
    new SettingsStore(dir, keyring()).get();
    expect(existsSync(path.join(dir, settingsFile))).toBe(false);
  });
});
