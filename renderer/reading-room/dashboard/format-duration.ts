/** A turnaround duration in words people read at a glance: seconds under a minute, minutes under two hours, then hours. */
import type { TFunction } from 'i18next';

export function formatDuration(t: TFunction, ms: number | null): string {
  if (ms === null) return t('turnaround.none');
  if (ms < 60_000) return t('turnaround.unit.seconds', { value: Math.round(ms / 1000) });
  if (ms < 2 * 3_600_000) return t('turnaround.unit.minutes', { value: (ms / 60_000).toFixed(1) });
  return t('turnaround.unit.hours', { value: (ms / 3_600_000).toFixed(1) });
}
