/**
 * Fields and value types every record shares. A record belongs to one institution (its owner); the
 * hub decides order by its own sequence, so `updatedAt` is the writing workstation's clock and is
 * shown to people, never used to pick a winner.
 */
import { z } from 'zod';

/** Longest primary key / reference: a UUID is 36 characters; leave room for prefixed ids. */
export const ID_MAX_LENGTH = 64;

export const recordId = z.string().min(1).max(ID_MAX_LENGTH).regex(/^[A-Za-z0-9_.:-]+$/, {
  message: 'Id may contain only letters, digits and _ . : -',
});

/** Institution codes of the county medical community (医共体成员单位编码). */
export const institutionId = z.string().min(1).max(32).regex(/^[A-Za-z0-9_-]+$/, {
  message: 'Institution id may contain only letters, digits, _ and -',
});

/** ISO 8601 date-time with offset, as `new Date().toISOString()` writes it. */
export const isoDateTime = z.iso.datetime({ offset: true });
/** Calendar date YYYY-MM-DD (birth date, the clinic's local visit day). */
export const isoDate = z.iso.date();

export const recordBase = {
  id: recordId,
  institutionId,
  updatedAt: isoDateTime,
};

/** Short free text (names, codes) vs. long free text (notes, complaints). */
export const shortText = (max = 100) => z.string().max(max);
export const longText = (max = 4000) => z.string().max(max);

export const newRecordId = (): string => crypto.randomUUID();
export const nowIso = (): string => new Date().toISOString();
