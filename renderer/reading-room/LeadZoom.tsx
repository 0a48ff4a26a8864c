/**
 * One lead enlarged (单导联放大): the whole 10 s of the chosen lead on its own strip, at twice the
 * review's paper scale, for a closer look at a P wave or an ST segment.
 */
import { useEffect, useRef } from 'react';
import type { standardLeads} from '../../core/ecg/recording.ts';
import { type EcgRecording } from '../../core/ecg/recording.ts';
import { drawPaperGrid, paperColors, type PaperScale } from '../ecg/paper-grid.ts';
import { drawTrace } from '../ecg/tracing.ts';

export const ZOOM_FACTOR = 2;

export function LeadZoom({ recording, lead, scale, label }: { recording: EcgRecording; lead: (typeof standardLeads)[number]; scale: PaperScale; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const pxPerMm = scale.pxPerMm * ZOOM_FACTOR;
  const samples = recording.leads.find((l) => l.lead === lead)?.samples;
  const seconds = samples ? samples.length / recording.sampleRateHz : 0;
  const rowMm = Math.max(20, 4 * scale.gainMmPerMv);
  const width = Math.round(seconds * scale.speedMmPerS * pxPerMm);
  const height = Math.round(rowMm * pxPerMm);

  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx || !samples) return;
    const zoomed: PaperScale = { speedMmPerS: scale.speedMmPerS, gainMmPerMv: scale.gainMmPerMv, pxPerMm };
    drawPaperGrid(ctx, width, height, pxPerMm);
    ctx.strokeStyle = paperColors.trace;
    ctx.lineWidth = Math.max(1, pxPerMm * 0.25);
    drawTrace(ctx, (i) => (i < samples.length ? samples[i]! : Number.NaN), 0, samples.length, 0, height * 0.6, zoomed, recording.sampleRateHz, recording.resolutionUv);
  }, [samples, width, height, pxPerMm, scale.speedMmPerS, scale.gainMmPerMv, recording.sampleRateHz, recording.resolutionUv]);

  return <canvas ref={canvas} width={width} height={height} role="img" aria-label={label} data-testid="lead-zoom-canvas" data-lead={lead} style={{ width, height }} />;
}
