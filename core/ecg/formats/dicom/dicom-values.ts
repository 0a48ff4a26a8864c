/** Formatting and parsing of the DICOM value representations the ECG object uses (PS3.5 6.2). */
import { formatIsoDateTime, parseIsoDateTime, zeroPad, type LocalDateTime } from '../recording-checks.ts';

/**
 * DS (decimal string) holds at most 16 characters; `String(0.1 + 0.2)` has 19, which dciodvfy
 * rejects. Use the shortest exact form when it fits, else the most precise form that does.
 */
export function formatDecimalString(value: number): string {
  const plain = String(value);
  if (plain.length <= 16 && !/e/i.test(plain)) return plain;
  for (let precision = 15; precision >= 1; precision--) {
    const s = String(Number(value.toPrecision(precision)));
    if (s.length <= 16) return s;
  }
  return value.toExponential(6);
}

export const formatDA = (t: LocalDateTime) => `${zeroPad(t.year, 4)}${zeroPad(t.month)}${zeroPad(t.day)}`;

export const formatTM = (t: LocalDateTime) =>
  `${zeroPad(t.hour)}${zeroPad(t.minute)}${zeroPad(t.second)}${t.fraction ? `.${t.fraction}` : ''}`;

/** "+HHMM" as DICOM writes zone offsets in DT and Timezone Offset From UTC. */
export const formatDicomOffset = (minutes: number) => {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${zeroPad(Math.floor(abs / 60))}${zeroPad(abs % 60)}`;
};

export const formatDT = (t: LocalDateTime) =>
  `${formatDA(t)}${formatTM(t)}${t.offsetMinutes === undefined ? '' : formatDicomOffset(t.offsetMinutes)}`;

/** DA "YYYYMMDD" → "YYYY-MM-DD". */
export function parseDA(da: string | undefined): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(da?.trim() ?? '');
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

/** DT "YYYYMMDDHHMMSS.FFFFFF&ZZXX" (trailing parts optional) → ISO 8601, keeping the offset. */
export function parseDT(dt: string | undefined, fallbackOffset?: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,6}))?([+-]\d{4})?$/.exec(dt?.trim() ?? '');
  if (!m) return undefined;
  const zone = m[8] ?? (/^[+-]\d{4}$/.test(fallbackOffset ?? '') ? fallbackOffset : undefined);
  const offsetMinutes = zone
    ? (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)))
    : undefined;
  const iso = formatIsoDateTime({
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
    fraction: m[7] ?? '',
    offsetMinutes,
  });
  return parseIsoDateTime(iso) ? iso : undefined;
}
