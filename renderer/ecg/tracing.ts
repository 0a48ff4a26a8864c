/**
 * Draws ECG traces on the paper grid: the review's 3×4 layout with a lead II rhythm strip (the
 * conventional 12-lead report: each column 2.5 s, the rhythm strip the whole 10 s), and the live
 * view's two columns of six leads scrolling with the newest sample at the right edge.
 */
import type { EcgRecording } from '../../core/ecg/recording.ts';
import type { LeadRingBuffer } from './ring-buffer.ts';
import { calibrationPulse, microvoltsToPx, paperColors, secondsToPx, type PaperScale } from './paper-grid.ts';

/** The standard 3×4 arrangement (rows of I/aVR/V1/V4 …), 2.5 s per column. */
export const reviewRows = [
  ['I', 'aVR', 'V1', 'V4'],
  ['II', 'aVL', 'V2', 'V5'],
  ['III', 'aVF', 'V3', 'V6'],
] as const;
export const rhythmStripLead = 'II';
export const liveColumns = [
  ['I', 'II', 'III', 'aVR', 'aVL', 'aVF'],
  ['V1', 'V2', 'V3', 'V4', 'V5', 'V6'],
] as const;

type Ctx = Pick<
  CanvasRenderingContext2D,
  'fillStyle' | 'strokeStyle' | 'lineWidth' | 'font' | 'fillText' | 'fillRect' | 'clearRect' | 'beginPath' | 'moveTo' | 'lineTo' | 'stroke'
>;

/** Reads sample i (NaN where there is none). */
type SampleSource = (i: number) => number;

/**
 * One lead from sample `from` (inclusive) to `to` (exclusive), x from `x0`, around `baselineY`.
 * Where several samples share a pixel column the column's min and max are drawn, so a QRS spike is
 * never thinned away at 12.5 mm/s; NaN lifts the pen (a gap, not a line across it).
 */
export function drawTrace(ctx: Ctx, sample: SampleSource, from: number, to: number, x0: number, baselineY: number, scale: PaperScale, sampleRateHz: number, resolutionUv: number): void {
  const pxPerSample = secondsToPx(1 / sampleRateHz, scale);
  const yOf = (v: number) => baselineY - microvoltsToPx(v * resolutionUv, scale);
  ctx.beginPath();
  let penDown = false;
  if (pxPerSample >= 0.5) {
    for (let i = from; i < to; i++) {
      const v = sample(i);
      if (Number.isNaN(v)) {
        penDown = false;
        continue;
      }
      const x = x0 + (i - from) * pxPerSample;
      if (penDown) ctx.lineTo(x, yOf(v));
      else ctx.moveTo(x, yOf(v));
      penDown = true;
    }
  } else {
    const perColumn = 1 / pxPerSample;
    const columns = Math.ceil((to - from) * pxPerSample);
    for (let c = 0; c < columns; c++) {
      let lo = Infinity;
      let hi = -Infinity;
      const end = Math.min(to, from + Math.floor((c + 1) * perColumn));
      for (let i = from + Math.floor(c * perColumn); i < end; i++) {
        const v = sample(i);
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (lo === Infinity) {
        penDown = false;
        continue;
      }
      const x = x0 + c;
      if (penDown) ctx.lineTo(x, yOf(lo));
      else ctx.moveTo(x, yOf(lo));
      if (hi !== lo) ctx.lineTo(x, yOf(hi));
      penDown = true;
    }
  }
  ctx.stroke();
}

function drawCalibration(ctx: Ctx, x: number, baselineY: number, scale: PaperScale): number {
  const { widthPx, heightPx } = calibrationPulse(scale);
  const unit = widthPx / 2;
  ctx.beginPath();
  ctx.moveTo(x, baselineY);
  ctx.lineTo(x + unit / 2, baselineY);
  ctx.lineTo(x + unit / 2, baselineY - heightPx);
  ctx.lineTo(x + unit / 2 + widthPx, baselineY - heightPx);
  ctx.lineTo(x + unit / 2 + widthPx, baselineY);
  ctx.lineTo(x + widthPx + unit, baselineY);
  ctx.stroke();
  return widthPx + unit;
}

/** Millimetres of paper the review layout needs: a 10 mm calibration margin, then 10 s. */
export function reviewPaperMm(scale: Pick<PaperScale, 'speedMmPerS' | 'gainMmPerMv'>, seconds = 10): { widthMm: number; heightMm: number; rowMm: number; marginMm: number } {
  const rowMm = Math.max(15, 2.5 * scale.gainMmPerMv);
  const marginMm = 10;
  return { widthMm: marginMm + seconds * scale.speedMmPerS, heightMm: 4 * rowMm, rowMm, marginMm };
}

/** The 3×4 layout and the lead II rhythm strip, on a canvas already painted with the paper grid. */
export function drawTwelveLeadReport(ctx: Ctx, recording: EcgRecording, scale: PaperScale): void {
  const seconds = Math.min(10, recording.leads[0]!.samples.length / recording.sampleRateHz);
  const { rowMm, marginMm } = reviewPaperMm(scale, seconds);
  const px = (mm: number) => mm * scale.pxPerMm;
  const byName = new Map(recording.leads.map((l) => [l.lead as string, l.samples]));
  const columnSamples = Math.round(2.5 * recording.sampleRateHz);
  ctx.strokeStyle = paperColors.trace;
  ctx.fillStyle = paperColors.trace;
  ctx.lineWidth = Math.max(1, scale.pxPerMm * 0.25);
  ctx.font = `${Math.round(px(3))}px sans-serif`;
  const rows = [...reviewRows.map((r) => [...r] as string[]), [rhythmStripLead]];
  rows.forEach((leads, row) => {
    const baselineY = px(rowMm * row + rowMm * 0.6);
    drawCalibration(ctx, px(1), baselineY, scale);
    leads.forEach((lead, column) => {
      const samples = byName.get(lead);
      const full = leads.length === 1;
      const from = full ? 0 : column * columnSamples;
      const to = full ? Math.round(seconds * recording.sampleRateHz) : from + columnSamples;
      const x0 = px(marginMm) + secondsToPx(from / recording.sampleRateHz, scale);
      ctx.fillText(lead, x0 + px(1), baselineY - px(rowMm * 0.4));
      if (samples) drawTrace(ctx, (i) => (i < samples.length ? samples[i]! : Number.NaN), from, Math.min(to, samples.length), x0, baselineY, scale, recording.sampleRateHz, recording.resolutionUv);
    });
  });
}

/** Layout of the live view in pixels for a canvas of the given size. */
export function liveLayout(widthPx: number, heightPx: number, scale: PaperScale): { columnWidthPx: number; rowHeightPx: number; visibleSamples: (sampleRateHz: number) => number } {
  const columnWidthPx = widthPx / liveColumns.length;
  const rowHeightPx = heightPx / liveColumns[0].length;
  const labelPx = scale.pxPerMm * 6;
  return {
    columnWidthPx,
    rowHeightPx,
    visibleSamples: (rate) => Math.max(1, Math.floor(((columnWidthPx - labelPx) / (scale.speedMmPerS * scale.pxPerMm)) * rate)),
  };
}

/** One live frame: every lead's newest window, right-aligned, on a cleared transparent canvas. */
export function drawLiveFrame(ctx: Ctx, buffer: LeadRingBuffer, widthPx: number, heightPx: number, scale: PaperScale, sampleRateHz: number, resolutionUv: number): void {
  ctx.clearRect(0, 0, widthPx, heightPx);
  const { columnWidthPx, rowHeightPx, visibleSamples } = liveLayout(widthPx, heightPx, scale);
  const visible = visibleSamples(sampleRateHz);
  const end = buffer.end;
  const from = end - visible;
  ctx.strokeStyle = paperColors.trace;
  ctx.fillStyle = paperColors.trace;
  ctx.lineWidth = Math.max(1, scale.pxPerMm * 0.3);
  ctx.font = `${Math.round(scale.pxPerMm * 3)}px sans-serif`;
  liveColumns.forEach((leads, column) => {
    leads.forEach((lead, row) => {
      const index = buffer.leads.indexOf(lead);
      const baselineY = rowHeightPx * (row + 0.6);
      const x0 = column * columnWidthPx;
      ctx.fillText(lead, x0 + scale.pxPerMm, rowHeightPx * row + scale.pxPerMm * 4);
      if (index < 0) return;
      const traceX = x0 + columnWidthPx - secondsToPx(visible / sampleRateHz, scale);
      drawTrace(ctx, (i) => buffer.at(index, i), from, end, traceX, baselineY, scale, sampleRateHz, resolutionUv);
    });
  });
}
