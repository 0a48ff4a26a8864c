/**
 * ECG paper geometry (心电图记录纸): 1 mm small squares, 5 mm large squares, paper speed in mm/s
 * and gain in mm/mV (standard 25 mm/s, 10 mm/mV; IEC 60601-2-25 also names 12.5/50 mm/s and
 * 5/20 mm/mV). Pure numbers here; the canvases call these to place every line and sample.
 */
export const paperSpeedsMmPerS = [12.5, 25, 50] as const;
export type PaperSpeed = (typeof paperSpeedsMmPerS)[number];
export const gainsMmPerMv = [5, 10, 20] as const;
export type Gain = (typeof gainsMmPerMv)[number];

export interface PaperScale {
  speedMmPerS: number;
  gainMmPerMv: number;
  /** Device pixels per millimetre of paper. */
  pxPerMm: number;
}

export const standardScale = (pxPerMm: number): PaperScale => ({ speedMmPerS: 25, gainMmPerMv: 10, pxPerMm });

/** CSS pixels are 1/96 inch (CSS Values 4), so a CSS millimetre is 96 / 25.4 px. */
export const CSS_PX_PER_MM = 96 / 25.4;

/** Horizontal pixels for a time span. */
export const secondsToPx = (seconds: number, s: PaperScale): number => seconds * s.speedMmPerS * s.pxPerMm;
export const pxToSeconds = (px: number, s: PaperScale): number => px / (s.speedMmPerS * s.pxPerMm);
/** Vertical pixels for a voltage (positive is up on paper, so callers subtract from the baseline). */
export const microvoltsToPx = (uv: number, s: PaperScale): number => (uv / 1000) * s.gainMmPerMv * s.pxPerMm;

export interface GridLines {
  /** Positions of 1 mm lines that are not 5 mm lines. */
  minor: number[];
  /** Positions of 5 mm lines. */
  major: number[];
}

/** Line positions across `lengthPx`, starting at 0: every mm, every fifth one major. */
export function gridLines(lengthPx: number, pxPerMm: number): GridLines {
  const minor: number[] = [];
  const major: number[] = [];
  const count = Math.floor(lengthPx / pxPerMm + 1e-9);
  for (let mm = 0; mm <= count; mm++) (mm % 5 === 0 ? major : minor).push(mm * pxPerMm);
  return { minor, major };
}

/** The calibration pulse (定标信号): 1 mV high, 200 ms wide, drawn before each row. */
export const calibrationPulse = (s: PaperScale): { widthPx: number; heightPx: number } => ({
  widthPx: secondsToPx(0.2, s),
  heightPx: microvoltsToPx(1000, s),
});

export const paperColors = { paper: '#fff7f5', minor: '#f5c6c0', major: '#e58a80', trace: '#111111' } as const;

type Ctx = Pick<CanvasRenderingContext2D, 'fillStyle' | 'strokeStyle' | 'lineWidth' | 'fillRect' | 'beginPath' | 'moveTo' | 'lineTo' | 'stroke'>;

/** Paints the paper: background, then minor lines, then major lines over them. */
export function drawPaperGrid(ctx: Ctx, widthPx: number, heightPx: number, pxPerMm: number): void {
  ctx.fillStyle = paperColors.paper;
  ctx.fillRect(0, 0, widthPx, heightPx);
  const x = gridLines(widthPx, pxPerMm);
  const y = gridLines(heightPx, pxPerMm);
  const lines = (xs: number[], ys: number[]) => {
    ctx.beginPath();
    for (const p of xs) {
      ctx.moveTo(Math.round(p) + 0.5, 0);
      ctx.lineTo(Math.round(p) + 0.5, heightPx);
    }
    for (const p of ys) {
      ctx.moveTo(0, Math.round(p) + 0.5);
      ctx.lineTo(widthPx, Math.round(p) + 0.5);
    }
    ctx.stroke();
  };
  ctx.lineWidth = 1;
  ctx.strokeStyle = paperColors.minor;
  lines(x.minor, y.minor);
  ctx.strokeStyle = paperColors.major;
  lines(x.major, y.major);
}
