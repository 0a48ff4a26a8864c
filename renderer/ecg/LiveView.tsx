/**
 * The live 12-lead view (实时心电): paper grid on one canvas, drawn when the scale or size changes;
 * traces on a transparent canvas above it, redrawn by requestAnimationFrame from the ring buffer
 * whenever new samples arrived. React renders this component once per setting, never per sample.
 */
import { useEffect, useRef, type RefObject } from 'react';
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
    <div className="ecg-live" style={{ width: widthPx, height: heightPx }} role="img" aria-label={label}>
      <canvas ref={gridCanvas} className="ecg-grid-canvas" style={{ width: widthPx, height: heightPx }} />
      <canvas ref={traceCanvas} className="ecg-trace-canvas" data-testid="ecg-live-canvas" data-frames="0" style={{ width: widthPx, height: heightPx }} />
    </div>
  );
}
