/**
 * Calipers (分规): two vertical markers on the tracing; the time between them, and the rate that
 * interval would be as an RR interval (60 000 / Δt ms).
 */
import { pxToSeconds, type PaperScale } from './paper-grid.ts';

export interface CaliperReading {
  deltaMs: number;
  /** Beats per minute if the interval is one RR; null for a zero interval. */
  rateBpm: number | null;
}

export function caliperReading(xA: number, xB: number, scale: PaperScale): CaliperReading {
  const deltaMs = Math.round(pxToSeconds(Math.abs(xB - xA), scale) * 1000);
  return { deltaMs, rateBpm: deltaMs > 0 ? Math.round(60_000 / deltaMs) : null };
}

/** Keeps a dragged marker on the tracing. */
export const clampMarker = (x: number, widthPx: number): number => Math.min(Math.max(0, x), widthPx);
