// Sample quantiles by one fixed, documented definition, so every percentile the benchmark prints
// means the same thing as numpy's and R's default and can be checked against them.

export const QUANTILE_DEFINITION =
  'Quantiles use linear interpolation between order statistics (Hyndman & Fan type 7, the default of numpy and R): ' +
  'for sorted samples x[0..n−1] and h = (n−1)·q, Q(q) = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).';

/** Ascending numeric copy; throws on values that would make the order meaningless. */
export function sortedCopy(samples: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(samples);
  for (const v of out) {
    if (!Number.isFinite(v)) throw new RangeError(`samples must be finite numbers (got ${v})`);
  }
  return out.sort(); // typed arrays sort numerically
}

/** Type 7 quantile of already-sorted samples; NaN for no samples. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile level must be in [0, 1] (got ${q})`);
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const i = Math.floor(h);
  const lower = sorted[i] as number;
  if (i + 1 >= n) return lower;
  const upper = sorted[i + 1] as number;
  const frac = h - i;
  // Interpolating from the nearer end keeps the result inside [lower, upper] despite rounding.
  return frac < 0.5 ? lower + frac * (upper - lower) : upper - (1 - frac) * (upper - lower);
}

export function quantile(samples: number[], q: number): number {
  return quantileSorted(sortedCopy(samples), q);
}
