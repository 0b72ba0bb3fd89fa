// One-call summary of a latency sample for `tts bench`: location, spread, percentiles with their
// uncertainty, a normality check that says which of those intervals to believe, and Tukey outliers.
import * as ss from 'simple-statistics';
import { bootstrapIntervals } from './bootstrap.js';
import { quantileSorted, sortedCopy } from './quantile.js';
import { SHAPIRO_MAX_N, SHAPIRO_MIN_N, shapiroWilk, type Shapiro } from './shapiro-wilk.js';
import { studentTInterval } from './t-interval.js';

export interface Normality extends Shapiro {
  /** p ≥ 0.05: no evidence against normality at the 5 % level. */
  normal: boolean;
  /** One sentence on whether the mean's t-interval can be trusted. */
  verdict: string;
}

/** Tukey's fences at 1.5 × IQR beyond P25 and P75, and the samples outside them (ascending). */
export interface Outliers {
  low: number[];
  high: number[];
  lowerFence: number;
  upperFence: number;
}

export interface Summary {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1 denominator). */
  sd: number;
  min: number;
  max: number;
  p50: number;
  p75: number;
  p90: number;
  p95: number;
  p99: number;
  /** Coefficient of variation, sd / mean. */
  cv: number;
  /** Student t interval of the mean ([NaN, NaN] for n < 2). */
  meanCi95: [number, number];
  /** Bootstrap percentile interval of the median. */
  p50Ci95: [number, number];
  /** Bootstrap percentile interval of P95. */
  p95Ci95: [number, number];
  /** Shapiro–Wilk verdict; null outside its valid range 3 ≤ n ≤ 5000. */
  normality: Normality | null;
  outliers: Outliers;
}

export interface SummaryOptions {
  /** Bootstrap seed (default 1). */
  seed?: number;
  /** Bootstrap resamples (default 2000). */
  resamples?: number;
}

const ALPHA = 0.05;
// Below this many samples Shapiro–Wilk has little power against skew, so passing it says little.
const LOW_POWER_N = 20;

export function summarize(samples: number[], opts: SummaryOptions = {}): Summary {
  const { seed = 1, resamples = 2000 } = opts;
  const sorted = sortedCopy(samples);
  const n = sorted.length;
  const q = (level: number): number => quantileSorted(sorted, level);
  const mean = n > 0 ? ss.mean(samples) : NaN;
  const sd = n > 1 ? ss.sampleStandardDeviation(samples) : NaN;
  // Resamples arrive sorted, so the quantiles need no sort of their own.
  const [p50Ci95, p95Ci95] = bootstrapIntervals(
    samples,
    [(xs) => quantileSorted(xs, 0.5), (xs) => quantileSorted(xs, 0.95)],
    { seed, resamples },
  ) as [[number, number], [number, number]];
  return {
    n,
    mean,
    sd,
    min: n > 0 ? (sorted[0] as number) : NaN,
    max: n > 0 ? (sorted[n - 1] as number) : NaN,
    p50: q(0.5),
    p75: q(0.75),
    p90: q(0.9),
    p95: q(0.95),
    p99: q(0.99),
    cv: sd / mean,
    meanCi95: studentTInterval(samples),
    p50Ci95,
    p95Ci95,
    normality: n >= SHAPIRO_MIN_N && n <= SHAPIRO_MAX_N ? normality(samples, sorted) : null,
    outliers: tukeyOutliers(sorted),
  };
}

function normality(samples: number[], sorted: Float64Array): Normality {
  const { w, p } = shapiroWilk(samples);
  const normal = p >= ALPHA;
  const n = samples.length;
  let verdict: string;
  if (sorted[0] === sorted[n - 1]) {
    verdict = `All ${n} samples are equal: there is no spread to test, and every interval is that one value.`;
  } else if (normal) {
    const caveat = n < LOW_POWER_N ? `; with only ${n} samples the test can miss skew` : '';
    verdict = `Consistent with a normal distribution (${formatP(p)}${caveat}): the mean and its t-interval are meaningful.`;
  } else {
    verdict = `Not normal (${formatP(p)}): rely on the median and the bootstrap intervals, not the mean's t-interval.`;
  }
  return { w, p, normal, verdict };
}

/** "p = 0.41", "p = 0.0031", "p < 0.001"; never rounds across the 0.05 threshold. */
function formatP(p: number): string {
  if (p < 0.001) return 'p < 0.001';
  let text = p.toPrecision(2);
  if (Number(text) >= ALPHA !== p >= ALPHA) text = p.toPrecision(4);
  return `p = ${Number(text)}`;
}

function tukeyOutliers(sorted: Float64Array): Outliers {
  const p25 = quantileSorted(sorted, 0.25);
  const p75 = quantileSorted(sorted, 0.75);
  const iqr = p75 - p25;
  const lowerFence = p25 - 1.5 * iqr;
  const upperFence = p75 + 1.5 * iqr;
  const values = Array.from(sorted);
  return {
    low: values.filter((v) => v < lowerFence),
    high: values.filter((v) => v > upperFence),
    lowerFence,
    upperFence,
  };
}
