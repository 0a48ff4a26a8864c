/**
 * The live 12-lead view (实时心电): paper grid on one canvas, drawn when the scale or size changes;
 * traces on a transparent canvas above it, redrawn by requestAnimationFrame from the ring buffer
 * whenever new samples arrived. React renders this component once per setting, never per sample.
 * Above the trace, the rhythm line (heart rate, ventricular fibrillation, or a signal-quality
 * warning) is assessed every 2 s from the last 10 s and re-renders only when it changes.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { LiveRhythm } from '../../core/ecg/signal/live-rhythm.ts';
import { liveRhythmOf } from './live-rhythm-status.ts';
import { drawPaperGrid, type PaperScale } from './paper-grid.ts';
import type { LeadRingBuffer } from './ring-buffer.ts';
import { drawLiveFrame, liveColumns } from './tracing.ts';
import type { LiveFormat } from './use-ecg-device.ts';

/** Screen scale: 4 CSS px per paper millimetre, so 1 mm lines stay visible on a 96 dpi monitor. */
export const SCREEN_PX_PER_MM = 4;

export const liveRowMm = (gainMmPerMv: number): number => Math.max(12, 2 * gainMmPerMv);

export function LiveView({
  buffer,
  format,
  speedMmPerS,
  gainMmPerMv,
  widthPx,
  label,
}: {
  buffer: RefObject<LeadRingBuffer | null>;
  format: RefObject<LiveFormat | null>;
  speedMmPerS: number;
  gainMmPerMv: number;
  widthPx: number;
  label: string;
}) {
  const gridCanvas = useRef<HTMLCanvasElement>(null);
  const traceCanvas = useRef<HTMLCanvasElement>(null);
  const frames = useRef(0);
  const heightPx = liveRowMm(gainMmPerMv) * SCREEN_PX_PER_MM * liveColumns[0].length;

  useEffect(() => {
    const dpr = window.devicePixelRatio || 1;
    for (const canvas of [gridCanvas.current, traceCanvas.current]) {
      if (!canvas) continue;
      canvas.width = Math.round(widthPx * dpr);
      canvas.height = Math.round(heightPx * dpr);
    }
    const grid = gridCanvas.current?.getContext('2d');
    if (grid) {
      grid.setTransform(dpr, 0, 0, dpr, 0, 0);
      drawPaperGrid(grid, widthPx, heightPx, SCREEN_PX_PER_MM);
    }
    const ctx = traceCanvas.current?.getContext('2d');
    if (!ctx) return; // jsdom has no canvas
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const scale: PaperScale = { speedMmPerS, gainMmPerMv, pxPerMm: SCREEN_PX_PER_MM };
    let drawnEnd = -1;
    let handle = 0;
    const frame = () => {
      handle = requestAnimationFrame(frame);
      const b = buffer.current;
      const f = format.current;
      if (!b || !f || b.end === drawnEnd) return; // nothing new: skip the frame's work
      drawnEnd = b.end;
      drawLiveFrame(ctx, b, widthPx, heightPx, scale, f.sampleRateHz, f.resolutionUv);
      frames.current++;
      traceCanvas.current?.setAttribute('data-frames', String(frames.current));
    };
    handle = requestAnimationFrame(frame);
    return () => cancelAnimationFrame(handle);
  }, [buffer, format, speedMmPerS, gainMmPerMv, widthPx, heightPx]);

  return (
    <>
      <LiveRhythmLine buffer={buffer} format={format} />
      <div className="ecg-live" style={{ width: widthPx, height: heightPx }} role="img" aria-label={label}>
        <canvas ref={gridCanvas} className="ecg-grid-canvas" style={{ width: widthPx, height: heightPx }} />
        <canvas ref={traceCanvas} className="ecg-trace-canvas" data-testid="ecg-live-canvas" data-frames="0" style={{ width: widthPx, height: heightPx }} />
      </div>
    </>
  );
}

/** How often the rhythm line is re-assessed (about 20 ms of work for 10 s of two leads). */
export const LIVE_RHYTHM_INTERVAL_MS = 2000;

const sameRhythm = (a: LiveRhythm | null, b: LiveRhythm | null): boolean => JSON.stringify(a) === JSON.stringify(b);

function LiveRhythmLine({ buffer, format }: { buffer: RefObject<LeadRingBuffer | null>; format: RefObject<LiveFormat | null> }) {
  const { t } = useTranslation();
  const [rhythm, setRhythm] = useState<LiveRhythm | null>(null);
  useEffect(() => {
    let lastEnd = -1;
    const assess = () => {
      const b = buffer.current;
      const f = format.current;
      if (!b || !f || b.end === lastEnd) return;
      lastEnd = b.end;
      const next = liveRhythmOf(b, f.sampleRateHz, f.resolutionUv);
      setRhythm((previous) => (sameRhythm(previous, next) ? previous : next));
    };
    const handle = setInterval(assess, LIVE_RHYTHM_INTERVAL_MS);
    return () => clearInterval(handle);
  }, [buffer, format]);

  if (!rhythm) return null;
  if (rhythm.kind === 'ventricular-fibrillation') {
    return (
      <p className="notice error ecg-live-rhythm" role="alert" data-testid="ecg-live-rhythm" data-kind={rhythm.kind}>
        {t('ecg.live.ventricularFibrillation')}
      </p>
    );
  }
  const rate = rhythm.heartRateBpm === null ? t('ecg.live.noRate') : t('ecg.live.rate', { rate: rhythm.heartRateBpm });
  return (
    <p className={`ecg-live-rhythm${rhythm.kind === 'noisy' ? ' notice' : ''}`} role="status" data-testid="ecg-live-rhythm" data-kind={rhythm.kind}>
      {rhythm.kind === 'noisy' ? `${rate} · ${t('ecg.live.noisy')}` : rate}
    </p>
  );
}
