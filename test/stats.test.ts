// The latency statistics behind `tts bench`, checked against numpy/scipy reference values
// (test/fixtures/stats/*.json, made by scripts/stats-fixtures.py), plus the properties that have no
// reference: bootstrap determinism, outliers, argument ranges, degenerate samples.
//
// Where scipy 1.10 is itself inexact (shapiro runs in float32; t.ppf is good to a few 1e-9), the
// fixtures also hold an exact (mpmath) or double-precision value. We are then held to that value
// tightly, and to scipy within the usual tolerance plus scipy's own recorded error.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ss from 'simple-statistics';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  QUANTILE_DEFINITION,
  bootstrapInterval,
  mannWhitneyU,
  normalCdf,
  normalQuantile,
  quantile,
  shapiroWilk,
  studentTCdf,
  studentTInterval,
  studentTQuantile,
  summarize,
} from '../src/bench/stats.js';

interface Pair {
  scipy: [number, number];
  exact: [number, number];
}
interface Dataset {
  name: string;
  n: number;
  x: number[];
  mean: number;
  sd: number | null;
  quantiles: Array<[number, number]>;
  shapiro?: { w: number; p: number };
  shapiro64?: { w: number; p: number };
  shapiroScipy?: { w: number; p: number; scipy: string };
  tInterval?: Record<string, Pair>;
  outliers: { lowerFence: number; upperFence: number; low: number[]; high: number[] };
}
interface Reference {
  scipy: number;
  exact: number;
}
interface Distributions {
  normalPpf: Array<Reference & { p: number }>;
  normalCdf: Array<Reference & { z: number }>;
  tPpf: Array<Reference & { p: number; df: number }>;
  tCdf: Array<Reference & { t: number; df: number }>;
}
interface MannWhitneyCase {
  name: string;
  a: number[];
  b: number[];
  u: number;
  p: number;
}

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/stats/', import.meta.url));
const load = <T>(file: string): T => JSON.parse(readFileSync(FIXTURES + file, 'utf8')) as T;
const datasets = load<{ datasets: Dataset[] }>('samples.json').datasets;
const dist = load<Distributions>('distributions.json');
const mwCases = load<{ cases: MannWhitneyCase[] }>('mann-whitney.json').cases;
const dataset = (name: string): Dataset => {
  const d = datasets.find((e) => e.name === name);
  if (!d) throw new Error(`no fixture data set ${name}`);
  return d;
};

// Tolerances from the acceptance criteria, and the tighter ones we meet against exact references.
const REL = 1e-9;
const EXACT_REL = 1e-12;
const SW_W = 1e-6;
const SW_P = 1e-4;

const relErr = (actual: number, expected: number): number =>
  actual === expected ? 0 : Math.abs(actual - expected) / Math.abs(expected);

function near(actual: number, expected: number, tol: number, what: string, scale = Math.abs(expected)): void {
  const err = Math.abs(actual - expected);
  assert.ok(err <= tol * scale || actual === expected, `${what}: got ${actual}, expected ${expected} (error ${err}, allowed ${tol * scale})`);
}

// ---------------------------------------------------------------------------------------------
// Quantiles, mean, SD

test('quantile matches numpy linear (type 7) on every data set and level', () => {
  for (const d of datasets) {
    for (const [q, expected] of d.quantiles) near(quantile(d.x, q), expected, REL, `${d.name} q=${q}`);
  }
});

test('quantile takes unsorted input, leaves it untouched, and rejects bad levels', () => {
  const x = [5, 1, 4, 2, 3];
  assert.is(quantile(x, 0.5), 3);
  assert.is(quantile(x, 0.25), 2);
  assert.is(quantile(x, 0.1), 1.4);
  assert.equal(x, [5, 1, 4, 2, 3]);
  assert.is(quantile([7], 0.9), 7);
  assert.ok(Number.isNaN(quantile([], 0.5)));
  assert.throws(() => quantile(x, 1.5), RangeError);
  assert.throws(() => quantile(x, -0.1), RangeError);
  assert.throws(() => quantile([1, NaN, 2], 0.5), RangeError);
  assert.match(QUANTILE_DEFINITION, /type 7/);
  assert.match(QUANTILE_DEFINITION, /numpy/);
});

test('summarize: n, mean, sample SD, min/max, percentiles and CV match numpy', () => {
  for (const d of datasets) {
    const s = summarize(d.x, { resamples: 50 });
    const q = (level: number): number => d.quantiles.find(([l]) => l === level)![1];
    assert.is(s.n, d.n);
    near(s.mean, d.mean, REL, `${d.name} mean`);
    if (d.sd !== null) near(s.sd, d.sd, REL, `${d.name} sd`, Math.max(Math.abs(d.sd), 1e-300));
    assert.is(s.min, q(0));
    assert.is(s.max, q(1));
    near(s.p50, q(0.5), REL, `${d.name} p50`);
    near(s.p75, q(0.75), REL, `${d.name} p75`);
    near(s.p90, q(0.9), REL, `${d.name} p90`);
    near(s.p95, q(0.95), REL, `${d.name} p95`);
    near(s.p99, q(0.99), REL, `${d.name} p99`);
    if (d.sd !== null) near(s.cv, d.sd / d.mean, REL, `${d.name} cv`);
  }
});

test('summarize degrades gracefully for 0, 1 and 2 samples', () => {
  const empty = summarize([]);
  assert.is(empty.n, 0);
  assert.ok(Number.isNaN(empty.mean) && Number.isNaN(empty.p50) && Number.isNaN(empty.sd));
  assert.ok(empty.p50Ci95.every(Number.isNaN));
  const one = summarize([12]);
  assert.is(one.mean, 12);
  assert.is(one.p95, 12);
  assert.ok(Number.isNaN(one.sd));
  assert.ok(one.meanCi95.every(Number.isNaN));
  assert.equal(one.p50Ci95, [12, 12]);
  const two = summarize([10, 14]);
  assert.is(two.sd, Math.SQRT2 * 2);
  assert.ok(two.meanCi95.every(Number.isFinite));
  for (const s of [empty, one, two]) assert.is(s.normality, null);
});

// ---------------------------------------------------------------------------------------------
// Student t interval

test('studentTInterval matches scipy t.interval and the exact interval (levels 0.9, 0.95, 0.99)', () => {
  let checked = 0;
  for (const d of datasets) {
    if (!d.tInterval) continue;
    for (const [level, ref] of Object.entries(d.tInterval)) {
      const got = studentTInterval(d.x, Number(level));
      const halfWidth = (ref.exact[1] - ref.exact[0]) / 2;
      for (const i of [0, 1] as const) {
        // Relative to the larger of endpoint and half-width: an endpoint near zero has no relative scale of its own.
        const scale = Math.max(Math.abs(ref.exact[i]), halfWidth);
        near(got[i], ref.exact[i], EXACT_REL, `${d.name} ${level} exact[${i}]`, scale);
        const scipyOwnError = Math.abs(ref.scipy[i] - ref.exact[i]);
        near(got[i], ref.scipy[i], REL + scipyOwnError / scale, `${d.name} ${level} scipy[${i}]`, scale);
      }
      checked++;
    }
  }
  assert.ok(checked > 80);
});

test('summarize.meanCi95 is the 0.95 t-interval; fewer than two samples give NaN', () => {
  const d = dataset('lognormal-100');
  assert.equal(summarize(d.x, { resamples: 10 }).meanCi95, studentTInterval(d.x, 0.95));
  assert.equal(studentTInterval(d.x), studentTInterval(d.x, 0.95));
  assert.ok(studentTInterval([3]).every(Number.isNaN));
  assert.equal(studentTInterval([4, 4, 4]), [4, 4]);
  assert.throws(() => studentTInterval(d.x, 1), RangeError);
});

// ---------------------------------------------------------------------------------------------
// Shapiro–Wilk

test('shapiroWilk agrees with a double-precision evaluation of AS R94 (W to 1e-12, p to 1e-9)', () => {
  for (const d of datasets) {
    if (!d.shapiro64) continue;
    const r = shapiroWilk(d.x);
    near(r.w, d.shapiro64.w, EXACT_REL, `${d.name} W`, 1);
    near(r.p, d.shapiro64.p, REL, `${d.name} p`, Math.max(d.shapiro64.p, 1e-300));
  }
});

test('shapiroWilk agrees with scipy.stats.shapiro (W within 1e-6, p within 1e-4, beyond scipy float32 rounding)', () => {
  let checked = 0;
  for (const d of datasets) {
    if (!d.shapiro || !d.shapiro64) continue;
    const r = shapiroWilk(d.x);
    const wRounding = Math.abs(d.shapiro.w - d.shapiro64.w);
    const pRounding = Math.abs(d.shapiro.p - d.shapiro64.p);
    near(r.w, d.shapiro.w, SW_W + wRounding, `${d.name} W vs scipy`, 1);
    near(r.p, d.shapiro.p, SW_P + pRounding, `${d.name} p vs scipy`, 1);
    // Where scipy's float32 rounding is small, the plain tolerances hold without any allowance.
    if (wRounding < 5e-7) near(r.w, d.shapiro.w, SW_W, `${d.name} W vs scipy (no allowance)`, 1);
    if (pRounding < 5e-5) near(r.p, d.shapiro.p, SW_P, `${d.name} p vs scipy (no allowance)`, 1);
    checked++;
  }
  assert.ok(checked >= 29, `${checked} data sets`);
});

test('shapiroWilk agrees with double-precision scipy.stats.shapiro (>= 1.11): W within 1e-6, p within 1e-4, no allowance', () => {
  let checked = 0;
  for (const d of datasets) {
    if (!d.shapiroScipy) continue;
    const r = shapiroWilk(d.x);
    assert.ok(Math.abs(r.w - d.shapiroScipy.w) <= SW_W, `${d.name} W ${r.w} vs scipy ${d.shapiroScipy.scipy} ${d.shapiroScipy.w}`);
    assert.ok(Math.abs(r.p - d.shapiroScipy.p) <= SW_P, `${d.name} p ${r.p} vs scipy ${d.shapiroScipy.scipy} ${d.shapiroScipy.p}`);
    checked++;
  }
  assert.ok(checked >= 30, `${checked} data sets`);
});

test('shapiroWilk: n = 3 is exact, with p = 0 at the minimum W = 3/4 and p = 1 for equal spacing', () => {
  const equal = shapiroWilk([1, 2, 3]);
  near(equal.w, 1, 1e-15, 'W', 1);
  near(equal.p, 1, 1e-7, 'p', 1);
  const min = shapiroWilk([0, 0, 1]);
  near(min.w, 0.75, 1e-15, 'W', 1);
  assert.ok(min.p >= 0 && min.p < 1e-7, `p = ${min.p}`);
  // p = (6/π)(asin √W − π/3) exactly.
  const r = shapiroWilk([10, 11, 30]);
  near(r.p, (6 / Math.PI) * (Math.asin(Math.sqrt(r.w)) - Math.PI / 3), 1e-15, 'p', 1);
});

test('shapiroWilk rejects n outside 3..5000 with RangeError and returns W = p = 1 for constant data', () => {
  assert.throws(() => shapiroWilk([]), RangeError);
  assert.throws(() => shapiroWilk([1, 2]), RangeError);
  const big = dataset('normal-5000').x;
  assert.throws(() => shapiroWilk([...big, 120]), RangeError);
  assert.not.throws(() => shapiroWilk(big));
  assert.equal(shapiroWilk([7, 7, 7, 7]), { w: 1, p: 1 });
});

test('shapiroWilk does not depend on order, location or scale', () => {
  const x = dataset('lognormal-100').x;
  const base = shapiroWilk(x);
  const moved = shapiroWilk([...x].reverse().map((v) => 3.5 * v - 1000));
  near(moved.w, base.w, 1e-13, 'W', 1);
  near(moved.p, base.p, 1e-9, 'p');
});

test('summarize.normality: null outside 3..5000, p >= 0.05 decides, verdict is one sentence', () => {
  assert.is(summarize([1, 2]).normality, null);
  const big = dataset('normal-5000').x;
  assert.is(summarize([...big, 100], { resamples: 5 }).normality, null);
  for (const d of datasets) {
    if (d.n < 3 || !d.shapiro64) continue;
    const nm = summarize(d.x, { resamples: 5 }).normality;
    assert.ok(nm, d.name);
    assert.is(nm.normal, nm.p >= 0.05, d.name);
    assert.is(nm.w, shapiroWilk(d.x).w);
    assert.is(nm.verdict.split(/[.!?](\s|$)/).filter((s) => s.trim()).length, 1, nm.verdict);
    assert.match(nm.verdict, nm.normal ? /^Consistent with a normal distribution/ : /^Not normal/);
  }
  const normal = summarize(dataset('normal-500').x, { resamples: 5 }).normality!;
  assert.is(normal.verdict, 'Consistent with a normal distribution (p = 0.57): the mean and its t-interval are meaningful.');
  const skewed = summarize(dataset('lognormal-500').x, { resamples: 5 }).normality!;
  assert.is(skewed.verdict, "Not normal (p < 0.001): rely on the median and the bootstrap intervals, not the mean's t-interval.");
  const ties = summarize(dataset('ties-normal-500').x, { resamples: 5 }).normality!;
  assert.match(ties.verdict, /^Not normal \(p = 0\.015\)/);
  assert.match(summarize([5, 5, 5], { resamples: 5 }).normality!.verdict, /All 3 samples are equal/);
  assert.match(summarize(dataset('normal-11').x, { resamples: 5 }).normality!.verdict, /only 11 samples/);
});

// ---------------------------------------------------------------------------------------------
// Normal and t distributions

test('normalQuantile and normalCdf match scipy (1e-9) and the exact values (1e-12), tails included', () => {
  for (const c of dist.normalPpf) {
    const got = normalQuantile(c.p);
    near(got, c.scipy, REL, `ppf(${c.p}) vs scipy`);
    near(got, c.exact, EXACT_REL, `ppf(${c.p}) vs exact`);
  }
  for (const c of dist.normalCdf) {
    const got = normalCdf(c.z);
    near(got, c.scipy, REL, `cdf(${c.z}) vs scipy`);
    near(got, c.exact, EXACT_REL, `cdf(${c.z}) vs exact`);
  }
  assert.is(normalQuantile(0.5), 0);
  assert.is(normalQuantile(0), -Infinity);
  assert.is(normalQuantile(1), Infinity);
  assert.ok(Number.isNaN(normalQuantile(1.5)));
  assert.is(normalCdf(0), 0.5);
});

test('studentTQuantile matches the exact values (1e-12) and scipy (1e-9 beyond scipy’s own error)', () => {
  let scipyInexact = 0;
  for (const c of dist.tPpf) {
    const got = studentTQuantile(c.p, c.df);
    near(got, c.exact, EXACT_REL, `t.ppf(${c.p}, ${c.df}) vs exact`);
    const scipyOwnError = relErr(c.scipy, c.exact);
    if (scipyOwnError > REL) scipyInexact++;
    near(got, c.scipy, REL + scipyOwnError, `t.ppf(${c.p}, ${c.df}) vs scipy`);
  }
  // Keep the allowance honest: it is needed for a minority of points only.
  assert.ok(scipyInexact < dist.tPpf.length / 5, `${scipyInexact} of ${dist.tPpf.length}`);
  assert.is(studentTQuantile(0.5, 7), 0);
  assert.is(studentTQuantile(0, 7), -Infinity);
  assert.is(studentTQuantile(1, 7), Infinity);
  assert.is(studentTQuantile(0.975, Infinity), normalQuantile(0.975));
  assert.ok(Number.isNaN(studentTQuantile(0.5, 0)));
});

test('studentTCdf matches scipy and the exact values, and inverts studentTQuantile', () => {
  for (const c of dist.tCdf) {
    const got = studentTCdf(c.t, c.df);
    near(got, c.scipy, REL, `t.cdf(${c.t}, ${c.df}) vs scipy`);
    near(got, c.exact, EXACT_REL, `t.cdf(${c.t}, ${c.df}) vs exact`);
  }
  for (const df of [1, 3, 9.5, 40, 1000]) {
    for (const p of [1e-8, 0.01, 0.3, 0.6, 0.999]) near(studentTCdf(studentTQuantile(p, df), df), p, 1e-12, `round trip p=${p} df=${df}`);
  }
});

// ---------------------------------------------------------------------------------------------
// Mann–Whitney U

test('mannWhitneyU matches scipy mannwhitneyu(asymptotic, two-sided, continuity) on every pair', () => {
  for (const c of mwCases) {
    const r = mannWhitneyU(c.a, c.b);
    assert.is(r.u, c.u, `${c.name} U`);
    near(r.p, c.p, REL, `${c.name} p`);
  }
});

test('mannWhitneyU: U of a and U of b add up to n1·n2, p is symmetric, empty samples throw', () => {
  const c = mwCases.find((e) => e.name === 'ties-25-35')!;
  const ab = mannWhitneyU(c.a, c.b);
  const ba = mannWhitneyU(c.b, c.a);
  assert.is(ab.u + ba.u, c.a.length * c.b.length);
  near(ba.p, ab.p, 1e-15, 'p');
  assert.throws(() => mannWhitneyU([], [1]), RangeError);
  assert.throws(() => mannWhitneyU([1], []), RangeError);
});

// ---------------------------------------------------------------------------------------------
// Bootstrap

test('bootstrapInterval is deterministic per seed and differs between seeds', () => {
  const x = dataset('lognormal-100').x;
  const mean = (xs: number[]): number => ss.mean(xs);
  const a = bootstrapInterval(x, mean, { seed: 42, resamples: 500 });
  const b = bootstrapInterval(x, mean, { seed: 42, resamples: 500 });
  const c = bootstrapInterval(x, mean, { seed: 43, resamples: 500 });
  assert.equal(a, b);
  assert.not.equal(a, c);
  assert.equal(bootstrapInterval(x, mean), bootstrapInterval(x, mean, { seed: 1, resamples: 2000, level: 0.95 }));
  const s1 = summarize(x);
  assert.equal(summarize(x), s1);
  assert.equal(summarize(x, { seed: 1, resamples: 2000 }), s1);
  assert.not.equal(summarize(x, { seed: 2 }).p95Ci95, s1.p95Ci95);
});

test('bootstrap intervals contain the sample statistic and widen with the level', () => {
  for (const name of ['normal-20', 'normal-100', 'lognormal-500', 'ties-lognormal-100', 'outliers-100', 'uniform-500']) {
    const x = dataset(name).x;
    const s = summarize(x);
    assert.ok(s.p50Ci95[0] <= s.p50 && s.p50 <= s.p50Ci95[1], `${name} median ${s.p50} in ${s.p50Ci95}`);
    assert.ok(s.p95Ci95[0] <= s.p95 && s.p95 <= s.p95Ci95[1], `${name} P95 ${s.p95} in ${s.p95Ci95}`);
    const m = ss.mean(x);
    const ci = bootstrapInterval(x, (xs) => ss.mean(xs));
    assert.ok(ci[0] < m && m < ci[1], `${name} mean ${m} in ${ci}`);
    const ci80 = bootstrapInterval(x, (xs) => ss.mean(xs), { level: 0.8 });
    assert.ok(ci[0] <= ci80[0] && ci80[1] <= ci[1], `${name} 80% ${ci80} inside 95% ${ci}`);
  }
});

test('bootstrapInterval hands stat sorted resamples of the right size and validates its options', () => {
  const x = [9, 3, 7, 1, 5];
  bootstrapInterval(
    x,
    (xs) => {
      assert.is(xs.length, x.length);
      for (let i = 1; i < xs.length; i++) assert.ok(xs[i - 1]! <= xs[i]!);
      for (const v of xs) assert.ok(x.includes(v));
      return xs[0]!;
    },
    { resamples: 20 },
  );
  assert.equal(bootstrapInterval([4], (xs) => xs[0]!), [4, 4]);
  assert.ok(bootstrapInterval([], (xs) => xs.length).every(Number.isNaN));
  assert.throws(() => bootstrapInterval(x, (xs) => xs[0]!, { resamples: 0 }), RangeError);
  assert.throws(() => bootstrapInterval(x, (xs) => xs[0]!, { level: 1.2 }), RangeError);
});

// ---------------------------------------------------------------------------------------------
// Outliers

test('outliers: Tukey fences match numpy on every data set', () => {
  for (const d of datasets) {
    const o = summarize(d.x, { resamples: 5 }).outliers;
    near(o.lowerFence, d.outliers.lowerFence, REL, `${d.name} lower fence`, Math.max(Math.abs(d.outliers.lowerFence), 1));
    near(o.upperFence, d.outliers.upperFence, REL, `${d.name} upper fence`, Math.max(Math.abs(d.outliers.upperFence), 1));
    assert.equal(o.low, d.outliers.low, `${d.name} low`);
    assert.equal(o.high, d.outliers.high, `${d.name} high`);
  }
});

test('outliers: the stalls and the fast call in a crafted run are found', () => {
  // P25 = 100, P75 = 104, IQR = 4: fences at 94 and 110.
  const x = [103, 101, 250, 100, 104, 102, 100, 104, 60, 103, 180, 102, 100];
  const o = summarize(x, { resamples: 5 }).outliers;
  assert.is(o.lowerFence, 94);
  assert.is(o.upperFence, 110);
  assert.equal(o.low, [60]);
  assert.equal(o.high, [180, 250]);
  const s = summarize(dataset('outliers-100').x, { resamples: 5 });
  assert.equal(s.outliers.low, [40]);
  assert.ok([160, 180, 240].every((v) => s.outliers.high.includes(v)));
  assert.equal(summarize([5, 5, 5, 5], { resamples: 5 }).outliers, { low: [], high: [], lowerFence: 5, upperFence: 5 });
});

test.run();
