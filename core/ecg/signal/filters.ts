/**
 * ECG conditioning filters: baseline-wander removal (high-pass), mains notch and low-pass.
 *
 * Hand-written rather than taken from a library: no maintained, dependency-free JavaScript DSP
 * package in this project's tree does zero-phase IIR filtering, and each filter here is one
 * second-order section (RBJ "Audio EQ Cookbook" biquads, Butterworth Q = 1/√2) run forward and
 * backward. Running it twice cancels the phase, so QRS onsets, ST levels and T ends do not move —
 * AHA/ACC/HRS 2007 (Kligfield et al., Circulation 115:1306) accepts a 0.67 Hz high-pass only when it
 * is zero-phase ("bidirectional"); 0.5 Hz here stays below that.
 */

export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

const butterworthQ = Math.SQRT1_2;

function normalised(b0: number, b1: number, b2: number, a0: number, a1: number, a2: number): Biquad {
  return { b0: b0 / a0, b1: b1 / a0, b2: b2 / a0, a1: a1 / a0, a2: a2 / a0 };
}

function checkCutoff(cutoffHz: number, sampleRateHz: number): void {
  if (!(sampleRateHz > 0) || !(cutoffHz > 0) || cutoffHz >= sampleRateHz / 2) {
    throw new RangeError(`cutoff ${cutoffHz} Hz must lie between 0 and half of ${sampleRateHz} Hz`);
  }
}

export function lowPassBiquad(cutoffHz: number, sampleRateHz: number, q = butterworthQ): Biquad {
  checkCutoff(cutoffHz, sampleRateHz);
  const w0 = (2 * Math.PI * cutoffHz) / sampleRateHz;
  const cos = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * q);
  return normalised((1 - cos) / 2, 1 - cos, (1 - cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
}

export function highPassBiquad(cutoffHz: number, sampleRateHz: number, q = butterworthQ): Biquad {
  checkCutoff(cutoffHz, sampleRateHz);
  const w0 = (2 * Math.PI * cutoffHz) / sampleRateHz;
  const cos = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * q);
  return normalised((1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
}

/** A notch of quality `q` (centre / −3 dB bandwidth of one pass). */
export function notchBiquad(centreHz: number, sampleRateHz: number, q: number): Biquad {
  checkCutoff(centreHz, sampleRateHz);
  const w0 = (2 * Math.PI * centreHz) / sampleRateHz;
  const cos = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * q);
  return normalised(1, -2 * cos, 1, 1 + alpha, -2 * cos, 1 - alpha);
}

/**
 * One pass over `x` in place (transposed direct form II), forward or backward, the state started at
 * the steady state for a constant input equal to the first sample seen, so a signal that begins off
 * zero does not ring.
 */
function biquadPassInPlace(x: Float64Array, f: Biquad, backward: boolean): void {
  const n = x.length;
  if (n === 0) return;
  const { b0, b1, b2, a1, a2 } = f;
  const start = backward ? n - 1 : 0;
  const x0 = x[start] as number;
  const y0 = ((b0 + b1 + b2) / (1 + a1 + a2)) * x0;
  let s2 = b2 * x0 - a2 * y0;
  let s1 = y0 - b0 * x0;
  const step = backward ? -1 : 1;
  for (let i = start, k = 0; k < n; k++, i += step) {
    const v = x[i] as number;
    const y = b0 * v + s1;
    s1 = b1 * v - a1 * y + s2;
    s2 = b2 * v - a2 * y;
    x[i] = y;
  }
}

/** One causal pass of a biquad over `input`. */
export function biquadFilter(input: ArrayLike<number>, f: Biquad): Float64Array {
  const out = Float64Array.from(input);
  biquadPassInPlace(out, f, false);
  return out;
}

/**
 * Zero-phase filtering (forward, then backward — like MATLAB/SciPy `filtfilt`). The ends are padded
 * with an odd reflection of the signal so the start and end of a 10 s strip are usable.
 */
export function zeroPhaseFilter(
  input: ArrayLike<number>,
  sections: readonly Biquad[],
  padSamples: number,
  padding: 'odd' | 'even' = 'odd',
): Float64Array {
  const n = input.length;
  if (n === 0) return new Float64Array(0);
  const pad = Math.max(0, Math.min(n - 1, Math.round(padSamples)));
  const first = input[0] as number;
  const last = input[n - 1] as number;
  const work = new Float64Array(n + 2 * pad);
  // Odd reflection keeps level and slope continuous (best for a clean signal); even reflection
  // (a mirror) does not amplify a noisy end sample into a step, which matters for detection.
  const oddStart = padding === 'odd' ? 2 * first : 0;
  const oddEnd = padding === 'odd' ? 2 * last : 0;
  const sign = padding === 'odd' ? -1 : 1;
  for (let k = 0; k < pad; k++) {
    work[k] = oddStart + sign * (input[pad - k] as number);
    work[pad + n + k] = oddEnd + sign * (input[n - 2 - k] as number);
  }
  for (let i = 0; i < n; i++) work[pad + i] = input[i] as number;
  for (const section of sections) {
    biquadPassInPlace(work, section, false);
    biquadPassInPlace(work, section, true);
  }
  return work.slice(pad, pad + n);
}

/** Baseline-wander removal: zero-phase 2nd-order Butterworth high-pass (default 0.5 Hz). */
export function removeBaselineWander(samples: ArrayLike<number>, sampleRateHz: number, cutoffHz = 0.5): Float64Array {
  // Pad about three time constants of the high-pass so the reflection absorbs the start-up.
  return zeroPhaseFilter(samples, [highPassBiquad(cutoffHz, sampleRateHz)], (3 * sampleRateHz) / cutoffHz / Math.PI);
}

/** Mains-interference notch (50 Hz in China; 60 Hz elsewhere), zero-phase. */
export function notchFilter(samples: ArrayLike<number>, sampleRateHz: number, mainsHz = 50, q = 10): Float64Array {
  if (mainsHz >= sampleRateHz / 2) return Float64Array.from(samples);
  return zeroPhaseFilter(samples, [notchBiquad(mainsHz, sampleRateHz, q)], sampleRateHz / 2);
}

/** Muscle-noise low-pass (default 40 Hz, the usual monitoring bandwidth), zero-phase. */
export function lowPassFilter(samples: ArrayLike<number>, sampleRateHz: number, cutoffHz = 40): Float64Array {
  if (cutoffHz >= sampleRateHz / 2) return Float64Array.from(samples);
  return zeroPhaseFilter(samples, [lowPassBiquad(cutoffHz, sampleRateHz)], sampleRateHz / 10);
}

export interface ConditioningOptions {
  highPassHz?: number;
  lowPassHz?: number;
  /** Mains frequency to notch out; `null` for none. */
  notchHz?: number | null;
}

/** The chain used before measurement: 0.5 Hz high-pass, 50 Hz notch, 40 Hz low-pass. */
export function conditionEcg(samples: ArrayLike<number>, sampleRateHz: number, options: ConditioningOptions = {}): Float64Array {
  let x = removeBaselineWander(samples, sampleRateHz, options.highPassHz ?? 0.5);
  const notchHz = options.notchHz === undefined ? 50 : options.notchHz;
  if (notchHz !== null) x = notchFilter(x, sampleRateHz, notchHz);
  return lowPassFilter(x, sampleRateHz, options.lowPassHz ?? 40);
}
