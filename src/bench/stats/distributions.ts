// The standard normal and Student t distributions: CDFs and inverse CDFs (quantile functions).
// The inverses polish a rough starting value with Newton/Halley steps on the CDF, so they are as
// accurate as the CDFs themselves (about 1e-14 relative or better, tails included) rather than as
// accurate as a fixed rational approximation.
import { gaussLegendre } from './quadrature.js';
import { erf, erfc, incompleteBeta, lnBeta } from './special.js';

const SQRT2 = Math.SQRT2;
const SQRT_2PI = Math.sqrt(2 * Math.PI);

export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / SQRT2);
}

function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / SQRT_2PI;
}

export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  // 1 − p is exact for p ≥ 0.5, so solving in the lower tail loses nothing and keeps the tail exact.
  return p < 0.5 ? lowerNormalQuantile(p) : -lowerNormalQuantile(1 - p);
}

function lowerNormalQuantile(p: number): number {
  // Near the centre the residual is taken against the central mass d = 1/2 − p (exact) rather than
  // against p, so that a quantile of 1e-9 keeps its relative precision.
  const central = p > 0.25;
  const d = 0.5 - p;
  let x: number;
  if (central) {
    x = -d * SQRT_2PI;
  } else {
    // Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4) as the starting value.
    const t = Math.sqrt(-2 * Math.log(p));
    x = -(t - (2.515517 + t * (0.802853 + t * 0.010328)) / (1 + t * (1.432788 + t * (0.189269 + t * 0.001308))));
  }
  for (let i = 0; i < 20; i++) {
    const pdf = normalPdf(x);
    if (pdf === 0) break;
    const residual = central ? d - 0.5 * erf(-x / SQRT2) : normalCdf(x) - p;
    const dx = residual / pdf;
    // Halley's step: the normal density's log-derivative is −x, so the correction is cheap. It
    // converges cubically, so a step this small leaves an error far below rounding.
    const step = dx / (1 + (x * dx) / 2);
    x -= step;
    if (!(Math.abs(step) > 1e-10 * Math.abs(x))) break;
  }
  return x;
}

// With many degrees of freedom the incomplete-beta continued fraction loses digits (its terms approach
// −1 and cancel: about 1e-13 relative at df = 1e4, 1e-9 at 1e8), so above this the t probabilities
// are integrated numerically instead, which holds about 1e-14 at any df.
const QUADRATURE_DF = 1000;

/** P(T > |t|) and P(0 < T < |t|) for Student's t with df degrees of freedom, each to full relative precision. */
function tHalves(t: number, df: number): { tail: number; central: number } {
  const u2 = (t * t) / df;
  if (u2 === Infinity) {
    // |t| beyond 1e154: P(T > |t|) = |t/√df|^(−df) / (df·B(df/2, 1/2)) to within a relative 1/u², i.e. exactly.
    const tail = Math.exp(-df * (Math.log(Math.abs(t)) - 0.5 * Math.log(df)) - lnBeta(df / 2, 0.5)) / df;
    return { tail, central: 0.5 - tail };
  }
  if (df > QUADRATURE_DF) return tHalvesByQuadrature(Math.abs(t), df);
  // P(|T| > |t|) = I_x(df/2, 1/2) with x = df/(df + t²).
  const [i, iComplement] = incompleteBeta(df / 2, 0.5, 1 / (1 + u2), u2 / (1 + u2));
  return { tail: 0.5 * i, central: 0.5 * iComplement };
}

// The smaller half is integrated directly (so it keeps its relative precision) and the other is its
// complement; the larger is at least 0.02, so it loses nothing measurable.
function tHalvesByQuadrature(t: number, df: number): { tail: number; central: number } {
  if (t <= 2) {
    let central = 0;
    for (let a = 0; a < t; a += 0.5) central += gaussLegendre((s) => tPdf(s, df), a, Math.min(a + 0.5, t));
    return { tail: 0.5 - central, central };
  }
  // P(T > t) = f(t) ∫₀^∞ exp(h(v)) dv with h(v) = ln f(t + v) − ln f(t) ≤ 0, written so that it
  // neither underflows nor cancels. Panels follow h's initial decay length and stop once e^h < 1e-20.
  const k = (df + 1) / 2;
  const h = (v: number): number => -k * Math.log1p((v * (2 * t + v)) / (df + t * t));
  const width = Math.min(1, (df + t * t) / (2 * k * t));
  let integral = 0;
  for (let a = 0; h(a) > -46; a += width) integral += gaussLegendre((v) => Math.exp(h(v)), a, a + width);
  const tail = tPdf(t, df) * integral;
  return { tail, central: 0.5 - tail };
}

function tPdf(t: number, df: number): number {
  return Math.exp(-((df + 1) / 2) * Math.log1p((t * t) / df) - lnBeta(df / 2, 0.5)) / Math.sqrt(df);
}

export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (df === Infinity) return normalCdf(t);
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const { tail, central } = tHalves(t, df);
  return t < 0 ? tail : 0.5 + central;
}

export function studentTQuantile(p: number, df: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1 || !(df > 0)) return NaN;
  if (df === Infinity) return normalQuantile(p);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  const q = p < 0.5 ? p : 1 - p; // exact
  const sign = p < 0.5 ? -1 : 1;
  const d = 0.5 - q; // exact
  // Closed forms (the Cauchy distribution and df = 2) need no iteration; each is written so that both
  // tails and the centre keep their relative precision.
  if (df === 1) return sign * (q < 0.25 ? 1 / Math.tan(Math.PI * q) : Math.tan(Math.PI * d));
  if (df === 2) return (sign * 2 * d) / Math.sqrt(2 * q * (1 - q));
  return sign * upperTQuantile(q, df);
}

/** The t > 0 with P(T > t) = q, for 0 < q < 1/2. */
function upperTQuantile(q: number, df: number): number {
  // With very few degrees of freedom the answer can lie beyond the largest double.
  if (tHalves(Number.MAX_VALUE, df).tail > q) return Infinity;
  // In the tail, Newton works on ln P(T > t) against ln t, where a power-law tail is a straight line
  // and a Gaussian one nearly so (on the raw scale Newton crawls there, by about 1/t a step). Near
  // the centre it works on the central mass P(0 < T < t) against d = 1/2 − q (exact), which keeps
  // the relative precision of small t when p is very close to 1/2.
  const useTail = q < 0.25;
  const d = 0.5 - q;
  let t = startingValue(q, df);
  let lo = 0;
  let hi = Infinity;
  for (let i = 0; i < 200; i++) {
    const h = tHalves(t, df);
    const pdf = tPdf(t, df);
    let r: number; // increasing in t; zero at the answer
    let next: number;
    if (useTail) {
      r = Math.log(q) - Math.log(h.tail);
      next = t * Math.exp(-r / ((t * pdf) / h.tail));
    } else {
      r = h.central - d;
      next = t - r / pdf;
    }
    if (r === 0) return t;
    if (r < 0) lo = t;
    else hi = t;
    // Newton converges quadratically, so once a step is this small the result is exact to rounding.
    if (Math.abs(next - t) <= 1e-12 * t) return next;
    if (next > lo && next < hi) {
      t = next;
    } else if (hi === Infinity) {
      // Newton left the bracket (the density can underflow far out): grow t quickly until the root
      // is bracketed.
      t = Math.min(Math.max(t * t, 2 * t, 1), Number.MAX_VALUE);
    } else {
      // Bisect, geometrically while the bracket spans orders of magnitude, as heavy tails do.
      t = lo > 0 && hi / lo > 4 ? Math.sqrt(lo * hi) : (lo + hi) / 2;
      if (hi - lo <= 1e-15 * hi) return t;
    }
  }
  return t;
}

function startingValue(q: number, df: number): number {
  // Cornish–Fisher expansion about the normal quantile (A&S 26.7.5), good unless df is small and q tiny.
  const z = -normalQuantile(q);
  const z2 = z * z;
  const cf =
    z +
    (z * (z2 + 1)) / (4 * df) +
    (z * (z2 * (5 * z2 + 16) + 3)) / (96 * df * df) +
    (z * (z2 * (z2 * (3 * z2 + 19) + 17) - 15)) / (384 * df * df * df);
  // Far in the tail P(T > t) ≈ (df/t²)^(df/2) / (df·B(df/2, 1/2)); solving that (in logs, as it can
  // be huge) covers the other case.
  const lnX = (2 / df) * (Math.log(q * df) + lnBeta(df / 2, 0.5)); // x = df/(df + t²)
  const tail = lnX < 0 ? Math.sqrt(df) * Math.exp(-0.5 * lnX) * Math.sqrt(-Math.expm1(lnX)) : cf;
  const guess = Math.min(Math.max(cf, tail), Number.MAX_VALUE);
  return guess > 0 ? guess : 1;
}
