// The Shapiro–Wilk test of normality, following Royston's algorithm AS R94 (Applied Statistics 44(4),
// 1995), the algorithm behind scipy.stats.shapiro and R's shapiro.test: approximate coefficients from
// normal scores (exact for n = 3), W as a squared correlation, and the p-value from Royston's normalizing
// transformations of W. Computed here in double precision throughout; scipy 1.10 runs the Fortran
// original in single precision, so its W differs from ours by float32 rounding (up to a few 1e-6).
// Checked against R 4.2's shapiro.test (also double precision): W agrees to about 1e-14.
import { normalCdf, normalQuantile } from './distributions.js';
import { sortedCopy } from './quantile.js';

export interface Shapiro {
  w: number;
  p: number;
}

export const SHAPIRO_MIN_N = 3;
export const SHAPIRO_MAX_N = 5000;

// Royston's published polynomial coefficients, lowest order first.
const C1 = [0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056]; // a_n correction, in 1/√n
const C2 = [0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633]; // a_(n−1) correction, in 1/√n
const C3 = [0.544, -0.39978, 0.025054, -6.714e-4]; // mean, n ≤ 11, in n
const C4 = [1.3822, -0.77857, 0.062767, -0.0020322]; // log sd, n ≤ 11, in n
const C5 = [-1.5861, -0.31082, -0.083751, 0.0038915]; // mean, n ≥ 12, in log n
const C6 = [-0.4803, -0.082676, 0.0030302]; // log sd, n ≥ 12, in log n
const G = [-2.273, 0.459]; // γ bound for n ≤ 11, in n
// The p-value the algorithm reports when W is below the range of its n ≤ 11 transformation.
const SMALL_P = 1e-19;

function poly(c: readonly number[], x: number): number {
  let r = 0;
  for (let i = c.length - 1; i >= 0; i--) r = r * x + (c[i] as number);
  return r;
}

/** The n/2 coefficients a_n, a_(n−1), … (the largest first); the rest follow by antisymmetry. */
export function shapiroCoefficients(n: number): Float64Array {
  const half = Math.floor(n / 2);
  const a = new Float64Array(half);
  if (n === 3) {
    a[0] = Math.SQRT1_2;
    return a;
  }
  // m_i: approximate expected normal order statistics (Blom scores), as the algorithm specifies.
  const m = new Float64Array(half);
  let sumM2 = 0;
  for (let i = 0; i < half; i++) {
    m[i] = -normalQuantile((i + 1 - 0.375) / (n + 0.25)); // positive: the upper scores
    sumM2 += (m[i] as number) ** 2;
  }
  sumM2 *= 2;
  const u = 1 / Math.sqrt(n);
  const m1 = m[0] as number;
  const a1 = poly(C1, u) + m1 / Math.sqrt(sumM2);
  let first: number; // index of the first coefficient that is a plain rescaled score
  let scale: number;
  if (n > 5) {
    const m2 = m[1] as number;
    const a2 = poly(C2, u) + m2 / Math.sqrt(sumM2);
    scale = Math.sqrt((sumM2 - 2 * m1 * m1 - 2 * m2 * m2) / (1 - 2 * a1 * a1 - 2 * a2 * a2));
    a[1] = a2;
    first = 2;
  } else {
    scale = Math.sqrt((sumM2 - 2 * m1 * m1) / (1 - 2 * a1 * a1));
    first = 1;
  }
  a[0] = a1;
  for (let i = first; i < half; i++) a[i] = (m[i] as number) / scale;
  return a;
}

/**
 * Shapiro–Wilk W and its p-value for 3 ≤ n ≤ 5000 samples (throws RangeError otherwise).
 * Constant samples (zero range) have no defined W; like scipy's implementation we return W = 1, p = 1,
 * i.e. "no evidence against normality", since every interval then collapses to the single value anyway.
 */
export function shapiroWilk(x: number[]): Shapiro {
  const n = x.length;
  if (n < SHAPIRO_MIN_N || n > SHAPIRO_MAX_N) {
    throw new RangeError(`Shapiro–Wilk needs ${SHAPIRO_MIN_N} to ${SHAPIRO_MAX_N} samples (got ${n})`);
  }
  const sorted = sortedCopy(x);
  const lowest = sorted[0] as number;
  const range = (sorted[n - 1] as number) - lowest;
  if (range === 0) return { w: 1, p: 1 };

  const a = shapiroCoefficients(n);
  const half = a.length;
  // Full antisymmetric coefficient vector in ascending order: −a_n … (0) … a_n.
  const coef = (i: number): number => (i < half ? -(a[i] as number) : i >= n - half ? (a[n - 1 - i] as number) : 0);

  // W is the squared correlation of the sorted data with the coefficients. Centering both and scaling
  // the data by its range keeps the sums well conditioned; 1 − W is formed directly, as the algorithm
  // recommends, so W close to 1 does not lose its last digits.
  let meanA = 0;
  let meanX = 0;
  for (let i = 0; i < n; i++) {
    meanA += coef(i);
    meanX += ((sorted[i] as number) - lowest) / range;
  }
  meanA /= n;
  meanX /= n;
  let ssa = 0;
  let ssx = 0;
  let sax = 0;
  for (let i = 0; i < n; i++) {
    const da = coef(i) - meanA;
    const dx = ((sorted[i] as number) - lowest) / range - meanX;
    ssa += da * da;
    ssx += dx * dx;
    sax += da * dx;
  }
  const root = Math.sqrt(ssa * ssx);
  const w1 = Math.max(0, ((root - sax) * (root + sax)) / (ssa * ssx)); // rounding can dip below 0
  const w = 1 - w1;
  return { w, p: shapiroP(w, w1, n) };
}

function shapiroP(w: number, w1: number, n: number): number {
  if (n === 3) {
    // Exact for n = 3: p = (6/π)(asin √W − asin √(3/4)); W cannot fall below 3/4, so the clamp only
    // absorbs rounding.
    return Math.max(0, (6 / Math.PI) * (Math.asin(Math.sqrt(w)) - Math.PI / 3));
  }
  let y = Math.log(w1);
  let mean: number;
  let sd: number;
  if (n <= 11) {
    const gamma = poly(G, n);
    if (y >= gamma) return SMALL_P;
    y = -Math.log(gamma - y);
    mean = poly(C3, n);
    sd = Math.exp(poly(C4, n));
  } else {
    const ln = Math.log(n);
    mean = poly(C5, ln);
    sd = Math.exp(poly(C6, ln));
  }
  // Upper tail of the normalized statistic, computed as a lower tail to keep small p-values exact.
  return normalCdf(-(y - mean) / sd);
}
