/**
 * Frontal-plane QRS axis (电轴) from the net QRS deflections of leads I and aVF.
 *
 * In the hexaxial reference system lead I lies at 0° and aVF at +90°, so with net amplitudes
 * (R minus the deepest Q/S, i.e. the largest positive plus the largest negative deflection from the
 * isoelectric level) the axis is atan2(net aVF, net I). When aVF was not recorded it follows from
 * Goldberger's relation aVF = II − I/2.
 */

/** Net QRS deflection: largest excursion above plus largest below the level, over [from, to]. */
export function netQrsAmplitude(samples: Float64Array, from: number, to: number, level: number): number {
  let high = 0;
  let low = 0;
  for (let i = Math.max(0, from); i <= Math.min(samples.length - 1, to); i++) {
    const v = (samples[i] as number) - level;
    if (v > high) high = v;
    if (v < low) low = v;
  }
  return high + low;
}

/** Axis in degrees, −180 < axis ≤ 180, or null when both net amplitudes are zero. */
export function frontalAxisDeg(netLeadI: number, netLeadAvf: number): number | null {
  if (netLeadI === 0 && netLeadAvf === 0) return null;
  return (Math.atan2(netLeadAvf, netLeadI) * 180) / Math.PI;
}

export type AxisCategory = 'normal' | 'left' | 'right' | 'extreme';

/** −30° to +90° normal (AHA/ACCF/HRS 2009 recommendations, part I), beyond: deviation. */
export function axisCategory(axisDeg: number): AxisCategory {
  if (axisDeg >= -30 && axisDeg <= 90) return 'normal';
  if (axisDeg < -30 && axisDeg >= -90) return 'left';
  if (axisDeg > 90 && axisDeg <= 180) return 'right';
  return 'extreme';
}
