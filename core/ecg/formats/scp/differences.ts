/**
 * SCP-ECG section 6 difference encodings (EN 1064 5.9.2): 1 = first differences (d0 = x0,
 * dn = xn − xn−1), 2 = second differences (d0 = x0, d1 = x1, dn = xn − 2xn−1 + xn−2).
 * The first `order` samples are stored as they are.
 */
export function toDifferences(x: Int32Array, order: 0 | 1 | 2): Int32Array {
  if (order === 0) return x.slice();
  const d = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (i < order) d[i] = v;
    else if (order === 1) d[i] = v - (x[i - 1] as number);
    else d[i] = v - 2 * (x[i - 1] as number) + (x[i - 2] as number);
  }
  return d;
}

export function fromDifferences(d: Int32Array, order: 0 | 1 | 2): Int32Array {
  if (order === 0) return d;
  const x = new Int32Array(d.length);
  for (let i = 0; i < d.length; i++) {
    const v = d[i] as number;
    if (i < order) x[i] = v;
    else if (order === 1) x[i] = (x[i - 1] as number) + v;
    else x[i] = 2 * (x[i - 1] as number) - (x[i - 2] as number) + v;
  }
  return x;
}
