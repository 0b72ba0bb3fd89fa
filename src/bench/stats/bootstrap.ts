// Bootstrap percentile confidence intervals for any statistic (used for the median and P95, whose
// sampling distributions have no convenient closed form for skewed latency data).
import { mulberry32 } from './prng.js';
import { quantileSorted, sortedCopy } from './quantile.js';

export interface BootstrapOptions {
  /** PRNG seed (default 1); the same seed and data always give the same interval. */
  seed?: number;
  /** Number of resamples (default 2000). */
  resamples?: number;
  /** Confidence level (default 0.95). */
  level?: number;
}

/**
 * Percentile-method bootstrap interval of stat(x): the (1 − level)/2 and (1 + level)/2 type 7
 * quantiles of stat over `resamples` resamples drawn with replacement by a seeded PRNG, so the
 * result is deterministic. Each resample is handed to stat in ascending order (it is a multiset, so
 * any statistic worth bootstrapping is unaffected, and order statistics can skip sorting); stat must
 * not keep the array, which is reused. Returns [NaN, NaN] for no samples.
 */
export function bootstrapInterval(
  x: number[],
  stat: (xs: number[]) => number,
  opts: BootstrapOptions = {},
): [number, number] {
  return bootstrapIntervals(x, [stat], opts)[0] as [number, number];
}

/** Intervals for several statistics from one shared set of resamples (the same ones bootstrapInterval would draw). */
export function bootstrapIntervals(
  x: number[],
  stats: ReadonlyArray<(xs: number[]) => number>,
  opts: BootstrapOptions = {},
): Array<[number, number]> {
  const { seed = 1, resamples = 2000, level = 0.95 } = opts;
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1) (got ${level})`);
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new RangeError(`resamples must be a positive integer (got ${resamples})`);
  }
  const n = x.length;
  if (n === 0) return stats.map(() => [NaN, NaN]);
  const sorted = sortedCopy(x);
  const random = mulberry32(seed);
  // Drawing indices into the sorted data and expanding their counts yields each resample already
  // sorted, in O(n) rather than O(n log n).
  const counts = new Uint32Array(n);
  const resample = new Array<number>(n);
  const values = stats.map(() => new Float64Array(resamples));
  for (let r = 0; r < resamples; r++) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[Math.floor(random() * n)] += 1;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const v = sorted[i] as number;
      for (let c = counts[i] as number; c > 0; c--) resample[k++] = v;
    }
    stats.forEach((stat, s) => {
      (values[s] as Float64Array)[r] = stat(resample);
    });
  }
  return values.map((v) => {
    v.sort();
    return [quantileSorted(v, (1 - level) / 2), quantileSorted(v, (1 + level) / 2)];
  });
}
