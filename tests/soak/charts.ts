/**
 * SVG charts of a soak report, drawn by hand (a few dozen lines; no chart library in the project):
 * the latency distributions as cumulative curves on a log time axis, and the hub's memory and open
 * file descriptors over the run.
 */
import type { SoakReport } from './soak.ts';

const W = 720;
const H = 320;
const M = { left: 60, right: 20, top: 30, bottom: 45 };
const colors = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function frame(title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="13">${esc(title)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** Cumulative share of samples at or under each latency, log scale from 10 ms to the largest. */
export function latencyChart(report: SoakReport): string {
  const series = Object.entries(report.samples ?? {}).filter(([, v]) => v.length > 0);
  const max = Math.max(1000, ...series.flatMap(([, v]) => v));
  const lo = Math.log10(10);
  const hi = Math.log10(max);
  const x = (ms: number) => M.left + ((Math.log10(Math.max(10, ms)) - lo) / (hi - lo)) * (W - M.left - M.right);
  const y = (share: number) => H - M.bottom - share * (H - M.top - M.bottom);
  const body: string[] = [];
  for (let d = 1; d <= Math.ceil(hi); d++) {
    const v = 10 ** d;
    body.push(`<line x1="${x(v)}" y1="${y(0)}" x2="${x(v)}" y2="${y(1)}" stroke="#ddd"/>`, `<text x="${x(v)}" y="${y(0) + 15}" text-anchor="middle">${v >= 1000 ? `${v / 1000} s` : `${v} ms`}</text>`);
  }
  for (const share of [0, 0.5, 0.95, 1]) body.push(`<line x1="${M.left}" y1="${y(share)}" x2="${W - M.right}" y2="${y(share)}" stroke="#ddd"/>`, `<text x="${M.left - 6}" y="${y(share) + 4}" text-anchor="end">${share * 100} %</text>`);
  series.forEach(([name, values], i) => {
    const sorted = [...values].sort((a, b) => a - b);
    const points = sorted.map((v, k) => `${x(v).toFixed(1)},${y((k + 1) / sorted.length).toFixed(1)}`);
    body.push(`<polyline fill="none" stroke="${colors[i % colors.length]}" stroke-width="1.5" points="${x(sorted[0]!).toFixed(1)},${y(0)} ${points.join(' ')}"/>`);
    body.push(`<text x="${M.left + 8}" y="${M.top + 14 + 14 * i}" fill="${colors[i % colors.length]}">${esc(`${name} (${values.length})`)}</text>`);
  });
  body.push(`<text x="${W / 2}" y="${H - 8}" text-anchor="middle">latency (log scale); y: share of samples at or under it</text>`);
  return frame(`Soak latencies under faults — ${report.options.clinics} clinics × ${report.options.workstations} PCs, ${report.options.minutes} min day, ${report.faults.total} faults`, body);
}

/** Hub resident memory (MiB) and open file descriptors over the run. */
export function healthChart(report: SoakReport): string {
  const s = report.series.filter((p) => p.hubRssMiB > 0);
  const tMax = Math.max(1, ...s.map((p) => p.t));
  const rssMax = Math.max(1, ...s.map((p) => p.hubRssMiB)) * 1.1;
  const fdMax = Math.max(1, ...s.map((p) => p.hubOpenFds)) * 1.1;
  const x = (t: number) => M.left + (t / tMax) * (W - M.left - M.right);
  const y = (share: number) => H - M.bottom - share * (H - M.top - M.bottom);
  const body: string[] = [];
  for (const share of [0, 0.25, 0.5, 0.75, 1]) {
    body.push(`<line x1="${M.left}" y1="${y(share)}" x2="${W - M.right}" y2="${y(share)}" stroke="#ddd"/>`);
    body.push(`<text x="${M.left - 6}" y="${y(share) + 4}" text-anchor="end" fill="${colors[0]}">${Math.round(share * rssMax)}</text>`);
    body.push(`<text x="${W - M.right + 2}" y="${y(share) + 4}" fill="${colors[1]}" font-size="9">${Math.round(share * fdMax)}</text>`);
  }
  for (let k = 0; k <= 4; k++) body.push(`<text x="${x((k * tMax) / 4)}" y="${y(0) + 15}" text-anchor="middle">${((k * tMax) / 4 / 60).toFixed(1)} min</text>`);
  body.push(`<polyline fill="none" stroke="${colors[0]}" stroke-width="1.5" points="${s.map((p) => `${x(p.t).toFixed(1)},${y(p.hubRssMiB / rssMax).toFixed(1)}`).join(' ')}"/>`);
  body.push(`<polyline fill="none" stroke="${colors[1]}" stroke-width="1.5" points="${s.map((p) => `${x(p.t).toFixed(1)},${y(p.hubOpenFds / fdMax).toFixed(1)}`).join(' ')}"/>`);
  body.push(`<text x="${M.left + 8}" y="${M.top + 14}" fill="${colors[0]}">hub resident memory, MiB (left)</text>`, `<text x="${M.left + 8}" y="${M.top + 28}" fill="${colors[1]}">hub open file descriptors (right)</text>`);
  body.push(`<text x="${W / 2}" y="${H - 8}" text-anchor="middle">time since the run started (restarts show as drops)</text>`);
  return frame('Hub health over the soak', body);
}
