/**
 * Fields and value types every record shares. A record belongs to one institution (its owner); the
 * hub decides order by its own sequence, so `updatedAt` is the writing workstation's clock and is
 * shown to people, never used to pick a winner.
 */
import { z } from 'zod';

/** Longest primary key / reference: a UUID is 36 characters; leave room for prefixed ids. */
export const ID_MAX_LENGTH = 64;

/**
 * Text a record, a request or the database can hold: no NUL character (PostgreSQL text and jsonb refuse
 * it) and no unpaired UTF-16 surrogate (not Unicode: it cannot be encoded as UTF-8). The one rule every
 * string of every schema goes through — records, the hub's request bodies, queries and paths — so a
 * poisoned value is a 400 naming its field at the door, never a 500 from the database behind it.
 */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const isWellFormedText = (value: string): boolean => !value.includes('\u0000') && !UNPAIRED_SURROGATE.test(value);
export const text = () =>
  z.string().refine(isWellFormedText, {
    message: 'Contains a NUL character or an unpaired surrogate (not valid text)',
    params: { messageZh: '含有无效字符（空字符或不成对的代理项）' },
    abort: true,
  });

export const recordId = text().min(1).max(ID_MAX_LENGTH).regex(/^[A-Za-z0-9_.:-]+$/, {
  message: 'Id may contain only letters, digits and _ . : -',
});

/** Institution codes of the county medical community (医共体成员单位编码). */
export const institutionId = text().min(1).max(32).regex(/^[A-Za-z0-9_-]+$/, {
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
export const shortText = (max = 100) => text().max(max);
export const longText = (max = 4000) => text().max(max);

export const newRecordId = (): string => crypto.randomUUID();
export const nowIso = (): string => new Date().toISOString();
