/**
 * A small grouped bar chart in plain SVG: a few periods and one to three series are all the dashboard
 * draws, so a chart library (echarts is ~1 MB) would cost more than it gives. Each bar carries a
 * <title> with its exact value, and the chart an aria-label, so the numbers are readable without
 * the picture.
 */
export interface BarSeries {
  label: string;
  color: string;
  values: number[];
}

export interface BarChartProps {
  title: string;
  categories: string[];
  series: BarSeries[];
  format?: (value: number) => string;
  testId?: string;
}

const WIDTH = 560;
const HEIGHT = 200;
const PAD = { left: 44, right: 8, top: 12, bottom: 36 };

/** A round axis maximum (1, 2, 5 × 10^n) at or above the largest value. */
export const niceMax = (max: number): number => {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return ([1, 2, 5, 10].map((m) => m * power).find((m) => m >= max) ?? 10 * power);
};

export function BarChart({ title, categories, series, format = String, testId }: BarChartProps) {
  const top = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const groupW = plotW / Math.max(1, categories.length);
  const barW = Math.min(28, (groupW * 0.8) / Math.max(1, series.length));
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  return (
    <figure className="bar-chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={title} width="100%">
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(top * f)} y2={y(top * f)} stroke="#ddd" />
            <text x={PAD.left - 4} y={y(top * f) + 4} textAnchor="end" fontSize="11">
              {format(top * f)}
            </text>
          </g>
        ))}
        {categories.map((category, c) => {
          const groupX = PAD.left + c * groupW + (groupW - barW * series.length) / 2;
          return (
            <g key={category}>
              {series.map((s, i) => {
                const v = s.values[c] ?? 0;
                return (
                  <rect key={s.label} x={groupX + i * barW} y={y(v)} width={barW - 2} height={Math.max(0, PAD.top + plotH - y(v))} fill={s.color} data-value={v}>
                    <title>{`${category} ${s.label}: ${format(v)}`}</title>
                  </rect>
                );
              })}
              <text x={PAD.left + c * groupW + groupW / 2} y={HEIGHT - PAD.bottom + 14} textAnchor="middle" fontSize="11">
                {category}
              </text>
            </g>
          );
        })}
        {series.map((s, i) => (
          <g key={s.label} transform={`translate(${PAD.left + i * 150}, ${HEIGHT - 10})`}>
            <rect width="10" height="10" y="-9" fill={s.color} />
            <text x="14" fontSize="11">
              {s.label}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}
