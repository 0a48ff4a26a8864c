import { describe, expect, it } from 'vitest';
import { hashPassword, hashSecret, verifyPassword } from './passwords.ts';

describe('password hashing (scrypt)', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('城关-nurse-2026');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(stored).not.toContain('城关-nurse-2026');
    expect(await verifyPassword('城关-nurse-2026', stored)).toBe(true);
    expect(await verifyPassword('城关-nurse-2027', stored)).toBe(false);
  });

  it('salts every hash, so equal passwords do not give equal hashes', async () => {
    expect(await hashPassword('same-password')).not.toBe(await hashPassword('same-password'));
  });

  it('treats the composed and decomposed forms of a character as the same password', async () => {
    const stored = await hashPassword('caf\u00e9-1234');
    expect(await verifyPassword('cafe\u0301-1234', stored)).toBe(true);
  });

  it('refuses a malformed stored hash instead of throwing', async () => {
    expect(await verifyPassword('x', 'md5$abc')).toBe(false);
  });

  it('hashes random secrets with SHA-256 for indexed lookup', () => {
    expect(hashSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
