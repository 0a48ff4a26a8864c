/**
 * A recording on paper: grid, calibration pulses, the 3×4 leads and the lead II rhythm strip.
 * `cssWidth` lets the print view size the canvas in real millimetres.
 */
import { useEffect, useRef } from 'react';
import type { EcgRecording } from '../../core/ecg/recording.ts';
import { drawPaperGrid, type PaperScale } from './paper-grid.ts';
import { drawTwelveLeadReport, reviewPaperMm } from './tracing.ts';

export function TracingCanvas({
  recording,
  scale,
  cssSize,
  label,
  testId,
}: {
  recording: EcgRecording;
  /** pxPerMm here is canvas pixels per paper millimetre. */
  scale: PaperScale;
  /** CSS size of the canvas element; default: one canvas pixel per CSS pixel. */
  cssSize?: { width: string; height: string };
  label: string;
  testId?: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { widthMm, heightMm } = reviewPaperMm(scale);
  const width = Math.round(widthMm * scale.pxPerMm);
  const height = Math.round(heightMm * scale.pxPerMm);

  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    drawPaperGrid(ctx, width, height, scale.pxPerMm);
    drawTwelveLeadReport(ctx, recording, scale);
  }, [recording, scale, width, height]);

  return (
    <canvas
      ref={canvas}
      width={width}
      height={height}
      role="img"
      aria-label={label}
      data-testid={testId}
      style={cssSize ? { width: cssSize.width, height: cssSize.height } : { width, height }}
    />
  );
}
