/**
 * Einthoven and Goldberger: the four limb leads an 8-channel front end does not measure follow from
 * I and II (III = II − I, aVR = −(I+II)/2, aVL = I − II/2, aVF = II − I/2). Used by the synthesizer
 * and by every acquisition driver, so a recorded and a synthesized tracing derive them identically.
 *
 * Samples are integers: III is exact; the augmented leads are rounded half away from zero, so each
 * identity holds to within half a sample unit (|2·aVR + I + II| ≤ 1).
 */
const halfAwayFromZero = (twice: number): number => (twice >= 0 ? (twice + 1) >> 1 : -((-twice + 1) >> 1));

export interface DerivedLimbLeads {
  III: Int32Array;
  aVR: Int32Array;
  aVL: Int32Array;
  aVF: Int32Array;
}

export function deriveLimbLeads(leadI: Int32Array, leadII: Int32Array): DerivedLimbLeads {
  const n = Math.min(leadI.length, leadII.length);
  const III = new Int32Array(n);
  const aVR = new Int32Array(n);
  const aVL = new Int32Array(n);
  const aVF = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const i = leadI[k]!;
    const ii = leadII[k]!;
    III[k] = ii - i;
    aVR[k] = halfAwayFromZero(-(i + ii));
    aVL[k] = halfAwayFromZero(2 * i - ii);
    aVF[k] = halfAwayFromZero(2 * ii - i);
  }
  return { III, aVR, aVL, aVF };
}
