// The Student t confidence interval of the mean: mean ± t(1 − α/2, n − 1) · s/√n. Only trustworthy
// when the mean's sampling distribution is close to normal, which summarize() checks separately.
import * as ss from 'simple-statistics';
import { studentTQuantile } from './distributions.js';

/** Interval of the mean at the given level (default 0.95); [NaN, NaN] for fewer than two samples. */
export function studentTInterval(x: number[], level = 0.95): [number, number] {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1) (got ${level})`);
  const n = x.length;
  if (n < 2) return [NaN, NaN];
  const mean = ss.mean(x);
  const halfWidth = (studentTQuantile((1 + level) / 2, n - 1) * ss.sampleStandardDeviation(x)) / Math.sqrt(n);
  return [mean - halfWidth, mean + halfWidth];
}
