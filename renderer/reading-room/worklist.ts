/**
 * The center's worklist (阅片工作列表): studies whose file reached the hub and that are not yet
 * reported, urgent first, then the longest-waiting first. Pure, so the order is unit-tested.
 */
import type { EcgStudy } from '../../core/records/index.ts';

export const worklistStates: readonly EcgStudy['readingState'][] = ['received', 'being-read'];

export function worklistOrder(studies: readonly EcgStudy[]): EcgStudy[] {
  return studies
    .filter((s) => worklistStates.includes(s.readingState))
    .sort((a, b) => {
      if (a.priority !== b.priority) return a.priority === 'urgent' ? -1 : 1;
      // Waiting since capture: the oldest capture has waited longest.
      return a.capturedAt.localeCompare(b.capturedAt) || a.id.localeCompare(b.id);
    });
}

/** Minutes a study has waited since capture, never negative (a clinic clock ahead of ours). */
export const waitingMinutes = (study: Pick<EcgStudy, 'capturedAt'>, now: Date): number => Math.max(0, Math.floor((now.getTime() - Date.parse(study.capturedAt)) / 60_000));

/**
 * Urgent studies that joined the worklist since the last look. The first look (`seen` null) raises
 * nothing: what was waiting at login is on screen anyway, an alarm for it would only be noise.
 */
export function newUrgentArrivals(seen: ReadonlySet<string> | null, worklist: readonly EcgStudy[]): EcgStudy[] {
  if (seen === null) return [];
  return worklist.filter((s) => s.priority === 'urgent' && !seen.has(s.id));
}
