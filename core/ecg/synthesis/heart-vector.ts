/**
 * The cardiac dipole as a sum of Gaussian events, after
 *   P. E. McSharry, G. D. Clifford, L. Tarassenko, L. A. Smith, "A dynamical model for generating
 *   synthetic electrocardiogram signals", IEEE Trans. Biomed. Eng. 50(3):289–294, 2003 (ECGSYN), and
 *   R. Sameni, G. D. Clifford, C. Jutten, M. B. Shamsollahi, "Multichannel ECG and noise modeling:
 *   application to maternal and fetal ECG signals", EURASIP J. Adv. Signal Process. 2007:043407,
 *   which extends ECGSYN to a 3-D heart vector d(t) = (x, y, z) with one Gaussian set per axis.
 *
 * In those models each axis obeys dz/dt = −Σᵢ aᵢ ω Δθᵢ / bᵢ² · exp(−Δθᵢ² / 2bᵢ²) on a limit cycle whose
 * phase θ turns at ω = 2π/RR; its exact solution is the Gaussian sum z(θ) = Σᵢ aᵢ exp(−Δθᵢ² / 2bᵢ²).
 * We evaluate that closed form directly and express each event's phase θᵢ and width bᵢ as a time
 * offset and width relative to its own R peak (θ = ω·t). ECGSYN rescales θᵢ and bᵢ with heart rate
 * (its `hrfact`) so that QT shortens while QRS does not; expressing them in time lets us do that
 * explicitly: QRS fixed, PR nearly fixed, QT by Bazett's √RR. Amplitudes are in millivolts.
 *
 * Axes: x points to the patient's left, y to the feet (inferior), z forward (anterior).
 */
export interface Vector3 {
  x: number;
  y: number;
  z: number;
}

export interface GaussianEvent {
  /** P, Q, R, S, T−, T+, ST (injury current), … for debugging and tests. */
  wave: string;
  /** Seconds from this beat's R peak. */
  offsetS: number;
  /** Gaussian standard deviation, seconds. */
  widthS: number;
  /** Peak dipole, mV. */
  amplitude: Vector3;
}

export type BeatKind = 'sinus' | 'sinus-without-p' | 'ventricular';
export type Injury = 'none' | 'anterior' | 'inferior';

const scale = (v: Vector3, k: number): Vector3 => ({ x: v.x * k, y: v.y * k, z: v.z * k });

/** Sinus P wave: activation from the SA node, down and to the left (+60° in the frontal plane). */
const pWave: Vector3 = { x: 0.07, y: 0.11, z: 0.02 };
/** Septal activation, left to right and forward: small q in I/V6, small r in V1. */
const septal: Vector3 = { x: -0.1, y: 0.05, z: 0.3 };
/** Main ventricular activation: axis about +48°, slightly posterior. */
const rWave: Vector3 = { x: 0.85, y: 0.95, z: -0.1 };
/** Terminal activation of the basal walls, rightward and superior. */
const sWave: Vector3 = { x: -0.2, y: -0.3, z: -0.25 };
/** Repolarisation, concordant with the QRS axis. */
const tWave: Vector3 = { x: 0.22, y: 0.2, z: 0.1 };

/**
 * Injury currents of acute transmural ischaemia point toward the injured wall: forward (and up, as
 * in proximal LAD occlusion) for the anterior wall, down and to the right (RCA) for the inferior wall.
 * Leads facing the wall show ST elevation, the opposite leads reciprocal depression.
 */
const injuryVectors: Record<Exclude<Injury, 'none'>, Vector3> = {
  anterior: { x: 0.1, y: -0.5, z: 1.0 },
  inferior: { x: -0.25, y: 1.0, z: -0.1 },
};
const injuryAmplitudeMv: Record<Exclude<Injury, 'none'>, number> = { anterior: 0.18, inferior: 0.165 };

/**
 * A premature ventricular beat from the right ventricular outflow tract: slow cell-to-cell conduction
 * makes a wide QRS (left bundle branch block pattern, inferior axis) and a discordant T wave.
 */
const pvcMain: Vector3 = { x: 0.6, y: 1.1, z: -1.0 };
const pvcLate: Vector3 = { x: 0.3, y: 0.4, z: -0.5 };
const pvcT: Vector3 = { x: -0.3, y: -0.35, z: 0.35 };

/**
 * The events of one beat. `precedingRrS` is the interval that ended at this beat (it sets the QT);
 * the P wave offset shortens slightly with rate as in ECGSYN (its hrfact² on θ_P).
 */
export function beatEvents(kind: BeatKind, precedingRrS: number, injury: Injury): GaussianEvent[] {
  const rr = Math.min(Math.max(precedingRrS, 0.3), 2.5);
  const qt = Math.sqrt(rr); // Bazett: QT ∝ √RR
  const events: GaussianEvent[] = [];
  if (kind === 'ventricular') {
    events.push(
      { wave: 'R', offsetS: 0, widthS: 0.024, amplitude: pvcMain },
      { wave: 'R′', offsetS: 0.05, widthS: 0.026, amplitude: pvcLate },
      { wave: 'T', offsetS: 0.3 * qt, widthS: 0.06 * qt, amplitude: pvcT },
    );
    return events;
  }
  if (kind === 'sinus') {
    events.push({ wave: 'P', offsetS: -0.16 * Math.pow(rr, 0.25), widthS: 0.022, amplitude: pWave });
  }
  events.push(
    { wave: 'Q', offsetS: -0.025, widthS: 0.01, amplitude: septal },
    { wave: 'R', offsetS: 0, widthS: 0.011, amplitude: rWave },
    { wave: 'S', offsetS: 0.028, widthS: 0.011, amplitude: sWave },
    // Two Gaussians make the T wave asymmetric (slow upstroke, faster return), as Sameni et al. do.
    { wave: 'T−', offsetS: 0.24 * qt, widthS: 0.05 * qt, amplitude: scale(tWave, 0.4) },
    { wave: 'T+', offsetS: 0.29 * qt, widthS: 0.03 * qt, amplitude: scale(tWave, 0.75) },
  );
  if (injury !== 'none') {
    // A plateau from the J point into the T wave: three overlapping Gaussians two widths apart.
    const v = scale(injuryVectors[injury], injuryAmplitudeMv[injury]);
    events.push(
      { wave: 'ST', offsetS: 0.06, widthS: 0.03, amplitude: v },
      { wave: 'ST', offsetS: 0.12, widthS: 0.03, amplitude: v },
      { wave: 'ST', offsetS: 0.12 + 0.08 * qt, widthS: 0.03, amplitude: scale(v, 0.8) },
    );
  }
  return events;
}

/**
 * Lead vectors of the precordial electrodes (unit direction × proximity gain), in the horizontal
 * plane from V1 (right of the sternum, anterior) round to V6 (mid-axillary, left). Their potentials
 * are relative to Wilson's central terminal.
 */
const precordial = (angleDeg: number, gain: number): Vector3 => {
  const a = (angleDeg * Math.PI) / 180;
  return { x: gain * Math.cos(a), y: 0, z: gain * Math.sin(a) };
};
export const precordialLeadVectors = {
  V1: precordial(115, 1.0),
  V2: precordial(95, 1.6),
  V3: precordial(75, 1.6),
  V4: precordial(55, 1.4),
  V5: precordial(30, 1.1),
  V6: precordial(5, 0.9),
} as const;

/** Einthoven's triangle in the frontal plane: lead I at 0°, lead II at +60°. */
export const limbLeadVectors = {
  I: { x: 1, y: 0, z: 0 },
  II: { x: 0.5, y: Math.sqrt(3) / 2, z: 0 },
} as const;

export const dot = (a: Vector3, b: Vector3): number => a.x * b.x + a.y * b.y + a.z * b.z;
