/**
 * Urgent studies, capture to signed report, per clinic: the median as a solid bar, the p90 as a
 * paler bar behind it, and the chest-pain standard's 10 minutes as a dashed line. A bar within the
 * target is green, one over it red, so colour says what the length says. Plain SVG: one
 * small chart does not need a charting library.
 */
import { useTranslation } from 'react-i18next';
import type { TurnaroundSummary } from '../../../sync/protocol/turnaround.ts';
import { formatDuration } from './format-duration.ts';

/** 胸痛中心: the first ECG read within 10 minutes. */
export const URGENT_TARGET_MS = 10 * 60_000;

const targetClass = (ms: number) => (ms <= URGENT_TARGET_MS ? 'within-target' : 'over-target');

const WIDTH = 640;
const LABEL = 150;
const ROW = 30;
const BAR = 16;
const AXIS = 24;

export function TurnaroundChart({ clinics }: { clinics: TurnaroundSummary['byClinic'] }) {
  const { t } = useTranslation();
  const rows = clinics.map((c) => ({ id: c.clinicId, name: c.clinicName, stats: c.byPriority.urgent.intervals.capturedToSigned }));
  const max = Math.max(URGENT_TARGET_MS, ...rows.map((r) => r.stats.p90Ms ?? 0)) * 1.1;
  const x = (ms: number) => LABEL + (ms / max) * (WIDTH - LABEL - 10);
  const height = rows.length * ROW + AXIS;
  return (
    <figure className="turnaround-chart">
      <figcaption>{t('turnaround.chartTitle')}</figcaption>
      {rows.length === 0 ? (
        <p className="muted">{t('turnaround.noStudies')}</p>
      ) : (
        <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-label={t('turnaround.chartTitle')} data-testid="turnaround-chart">
          {rows.map((r, i) => {
            const y = i * ROW + (ROW - BAR) / 2;
            return (
              <g key={r.id} data-clinic={r.id}>
                <text x={LABEL - 8} y={y + BAR - 3} textAnchor="end" className="turnaround-chart-label">
                  {r.name}
                </text>
                {r.stats.p90Ms !== null && (
                  <rect x={LABEL} y={y} width={x(r.stats.p90Ms) - LABEL} height={BAR} className={`turnaround-bar-p90 ${targetClass(r.stats.p90Ms)}`}>
                    <title>{`${t('turnaround.p90')} ${formatDuration(t, r.stats.p90Ms)}`}</title>
                  </rect>
                )}
                {r.stats.medianMs !== null && (
                  <rect
                    x={LABEL}
                    y={y + 3}
                    width={x(r.stats.medianMs) - LABEL}
                    height={BAR - 6}
                    className={`turnaround-bar-median ${targetClass(r.stats.medianMs)}`}
                    data-within-target={r.stats.medianMs <= URGENT_TARGET_MS}
                  >
                    <title>{`${t('turnaround.median')} ${formatDuration(t, r.stats.medianMs)}`}</title>
                  </rect>
                )}
                {r.stats.count === 0 && (
                  <text x={LABEL + 4} y={y + BAR - 3} className="turnaround-chart-none">
                    {t('turnaround.noSignedUrgent')}
                  </text>
                )}
              </g>
            );
          })}
          <line x1={x(URGENT_TARGET_MS)} x2={x(URGENT_TARGET_MS)} y1={0} y2={rows.length * ROW} className="turnaround-target" />
          <text x={x(URGENT_TARGET_MS)} y={height - 6} textAnchor="middle" className="turnaround-chart-label">
            {t('turnaround.target', { minutes: URGENT_TARGET_MS / 60_000 })}
          </text>
        </svg>
      )}
      <p className="turnaround-legend muted">
        <span className="swatch swatch-median within-target" /> {t('turnaround.median')} <span className="swatch swatch-p90 within-target" /> {t('turnaround.p90')} ·{' '}
        <span className="swatch swatch-median within-target" /> {t('turnaround.withinTarget')} <span className="swatch swatch-median over-target" /> {t('turnaround.overTarget')}
      </p>
    </figure>
  );
}
