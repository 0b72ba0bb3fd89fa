// Special functions behind the normal and Student t distributions: the complementary error function
// and the regularized incomplete beta function. Both are evaluated so that small results keep their
// relative precision (a tail probability of 1e-20 is returned as such, not rounded into 0 or 1 − x),
// which is what lets the quantile functions reach full double precision in the tails.
import * as ss from 'simple-statistics';

const SQRT_PI = Math.sqrt(Math.PI);
const EPS = 1e-16;
const TINY = 1e-300;

/** erfc(x) = 1 − erf(x), with full relative precision for large positive x. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 0;
  if (x < 0) return 2 - erfc(-x);
  // Below 1 the power series for erf has only positive terms (no cancellation) and erfc ≥ 0.157, so
  // 1 − erf costs nothing measurable; from 1 up the continued fraction converges within 200 terms.
  return x < 1 ? 1 - erfSeries(x) : erfcContinuedFraction(x);
}

/** erf(x), with full relative precision for small |x|. */
export function erf(x: number): number {
  if (x < 0) return -erf(-x);
  return x < 1 ? erfSeries(x) : 1 - erfcContinuedFraction(x);
}

// erf(x) = 2/√π · e^(−x²) · Σ (2x²)ⁿ x / (1·3·…·(2n+1))  (Abramowitz & Stegun 7.1.6).
function erfSeries(x: number): number {
  const x2 = 2 * x * x;
  let term = x;
  let sum = x;
  for (let k = 1; k < 200; k++) {
    term *= x2 / (2 * k + 1);
    sum += term;
    if (term < sum * EPS) break;
  }
  return (2 / SQRT_PI) * Math.exp(-x * x) * sum;
}

// erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))  (A&S 7.1.14), evaluated with the
// modified Lentz method.
function erfcContinuedFraction(x: number): number {
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = Math.abs(d) < TINY ? TINY : d;
    c = x + a / c;
    c = Math.abs(c) < TINY ? TINY : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.exp(-x * x) / SQRT_PI / f;
}

// Stirling's remainder δ(x) = lnΓ(x) − [(x − ½) ln x − x + ½ ln 2π] by its asymptotic series;
// for x ≥ 10 the terms below reach double precision.
function stirlingRemainder(x: number): number {
  const x2 = 1 / (x * x);
  return (
    (1 / x) *
    (1 / 12 - x2 * (1 / 360 - x2 * (1 / 1260 - x2 * (1 / 1680 - x2 * (1 / 1188 - x2 * (691 / 360360 - x2 / 156))))))
  );
}

/** ln B(a, b). */
export function lnBeta(a: number, b: number): number {
  const small = Math.min(a, b);
  const big = Math.max(a, b);
  if (big < 10) return ss.gammaln(a) + ss.gammaln(b) - ss.gammaln(a + b);
  // lnΓ(big) − lnΓ(big + small) as a difference of Stirling expansions, so that two nearly equal
  // large logarithms are never subtracted (Student t with many degrees of freedom needs B(df/2, ½)).
  const ratio =
    -(big - 0.5) * Math.log1p(small / big) -
    small * Math.log(big + small) +
    small +
    stirlingRemainder(big) -
    stirlingRemainder(big + small);
  return ss.gammaln(small) + ratio;
}

/**
 * The regularized incomplete beta function as the pair [I_x(a, b), 1 − I_x(a, b)]. The caller passes
 * y = 1 − x separately so that neither argument is rounded by forming the other; of the two results,
 * the one on the side where the continued fraction converges is computed directly (keeping its
 * relative precision when it is tiny) and the other is its complement.
 */
export function incompleteBeta(a: number, b: number, x: number, y: number): [number, number] {
  if (x <= 0) return [0, 1];
  if (y <= 0) return [1, 0];
  // Logs from whichever of x and y is not close to 1, which keeps a·ln x exact for large a.
  const lnX = x < 0.5 ? Math.log(x) : Math.log1p(-y);
  const lnY = y < 0.5 ? Math.log(y) : Math.log1p(-x);
  const front = Math.exp(a * lnX + b * lnY - lnBeta(a, b));
  if (x < (a + 1) / (a + b + 2)) {
    const lower = (front * betaContinuedFraction(a, b, x)) / a;
    return [lower, 1 - lower];
  }
  const upper = (front * betaContinuedFraction(b, a, y)) / b;
  return [1 - upper, upper];
}

// The continued fraction of DLMF 8.17.22 for I_x(a, b) · a·B(a, b) / (x^a (1 − x)^b), with
// d(2m+1) = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1)) and d(2m) = m(b−m)x / ((a+2m−1)(a+2m)), by modified Lentz.
function betaContinuedFraction(a: number, b: number, x: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = Math.abs(d) < TINY ? TINY : d;
  d = 1 / d;
  let f = d;
  for (let m = 1; m < 100_000; m++) {
    const m2 = 2 * m;
    const even = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + even * d;
    d = Math.abs(d) < TINY ? TINY : d;
    c = 1 + even / c;
    c = Math.abs(c) < TINY ? TINY : c;
    d = 1 / d;
    f *= d * c;
    const odd = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + odd * d;
    d = Math.abs(d) < TINY ? TINY : d;
    c = 1 + odd / c;
    c = Math.abs(c) < TINY ? TINY : c;
    d = 1 / d;
    const delta = d * c;
    f *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return f;
}
