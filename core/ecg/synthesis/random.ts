/**
 * A small seeded pseudo-random generator, so that a synthetic ECG is the same on every machine for
 * the same seed (tests and detector evaluations depend on that). Hand-written rather than a library
 * because it is 20 lines and `Math.random` cannot be seeded.
 *
 * sfc32 (Chris Doty-Humphrey's "small fast counting" generator, PractRand-clean), seeded through
 * splitmix32 so that nearby seeds give unrelated streams.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** An independent generator derived from this one (for a separate noise source). */
  fork(): Random;
}

const splitmix32 = (state: number): [number, number] => {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [next, (z ^ (z >>> 16)) >>> 0];
};

export function createRandom(seed: number): Random {
  const [s1, a0] = splitmix32(seed | 0);
  const [s2, b0] = splitmix32(s1);
  const [s3, c0] = splitmix32(s2);
  const [, d0] = splitmix32(s3);
  let a = a0;
  let b = b0;
  let c = c0;
  let d = d0;
  let spare: number | undefined;

  const nextUint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) nextUint32(); // discard the first outputs, as the reference does

  const random: Random = {
    next: () => nextUint32() / 4294967296,
    uniform: (min, max) => min + (max - min) * random.next(),
    normal() {
      if (spare !== undefined) {
        const value = spare;
        spare = undefined;
        return value;
      }
      let u = random.next();
      while (u === 0) u = random.next();
      const v = random.next();
      const radius = Math.sqrt(-2 * Math.log(u));
      spare = radius * Math.sin(2 * Math.PI * v);
      return radius * Math.cos(2 * Math.PI * v);
    },
    fork: () => createRandom(nextUint32()),
  };
  return random;
}
