// The relative regression gate: is the new run slower than the baseline by more than a threshold?
// Each statistic (median, P95) gets the ratio new ÷ base and a seeded bootstrap confidence interval
// of that ratio. The gate fires only when the WHOLE interval lies beyond 1 + threshold, so noise
// that the samples cannot rule out never fails a build. Interleaved A/B runs are paired (run i of A
// next to run i of B), and resampling the pairs together cancels the drift of a shared machine.
import { mulberry32 } from './stats/prng.js';
import { quantileSorted } from './stats/quantile.js';

export type GateStat = 'p50' | 'p95';
export const GATE_LEVELS: Record<GateStat, number> = { p50: 0.5, p95: 0.95 };

/** Fewest samples for a percentile to be more than (an interpolation towards) the slowest one. */
export function minSamplesFor(q: number): number {
  return Math.ceil(1 / (1 - q) - 1e-9);
}

/**
 * Fewest samples per side for a percentile to be gated: two samples above it, so that its bootstrap
 * interval is not just the spread of the one or two slowest runs (P95: 40, P99: 200).
 */
export function minSamplesToGate(q: number): number {
  return Math.ceil(2 / (1 - q) - 1e-9);
}

export interface RatioEstimate {
  stat: GateStat;
  base: number;
  current: number;
  /** current ÷ base; above 1 is slower. Paired p50: the Hodges–Lehmann estimate of the per-pair ratio. */
  ratio: number;
  /** Bootstrap percentile interval of the ratio at `level`. */
  ci: [number, number];
  /** The statistic is too poorly resolved at this n to gate on (see minSamplesToGate). */
  tooFewSamples: boolean;
}

export interface RatioOptions {
  /** Resample (base[i], current[i]) together: the runs were interleaved. */
  paired?: boolean;
  seed?: number;
  resamples?: number;
  level?: number;
}

/**
 * Hodges–Lehmann estimate of location: the median of all pairwise means (x[i] + x[j]) / 2, i ≤ j
 * (the Walsh averages). As robust as the median, but nearly as efficient as the mean.
 */
export function hodgesLehmann(x: ArrayLike<number>): number {
  const n = x.length;
  const walsh = new Float64Array((n * (n + 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) walsh[k++] = (x[i]! + x[j]!) / 2;
  return quantileSorted(walsh.sort(), 0.5);
}

/**
 * Ratio of current to base for each statistic, with bootstrap intervals from one set of resamples.
 * Paired runs compare the median as the typical per-pair ratio current[i] ÷ base[i] (Hodges–Lehmann
 * on the log ratios): a burst of load that slows both runs of a pair cancels out of its ratio.
 */
export function ratioIntervals(base: number[], current: number[], stats: GateStat[] = ['p50', 'p95'], o: RatioOptions = {}): RatioEstimate[] {
  const { paired = false, seed = 1, resamples = 2000, level = 0.95 } = o;
  if (base.length === 0 || current.length === 0) throw new RangeError('a ratio needs samples on both sides');
  if (paired && base.length !== current.length) throw new RangeError('paired samples must have the same length');
  const random = mulberry32(seed);
  const sorted = (xs: ArrayLike<number>): Float64Array => Float64Array.from(xs).sort();
  const sb = sorted(base);
  const sc = sorted(current);
  const rb = new Float64Array(base.length);
  const rc = new Float64Array(current.length);
  const logRatios = paired ? base.map((b, i) => Math.log(current[i]! / b)) : [];
  const rr = new Float64Array(logRatios.length);
  const pairedMedian = (s: GateStat): boolean => paired && s === 'p50';
  const ratios = stats.map(() => new Float64Array(resamples));
  for (let r = 0; r < resamples; r++) {
    if (paired) {
      for (let i = 0; i < base.length; i++) {
        const k = Math.floor(random() * base.length);
        rb[i] = base[k]!;
        rc[i] = current[k]!;
        rr[i] = logRatios[k]!;
      }
    } else {
      for (let i = 0; i < base.length; i++) rb[i] = base[Math.floor(random() * base.length)]!;
      for (let i = 0; i < current.length; i++) rc[i] = current[Math.floor(random() * current.length)]!;
    }
    rb.sort();
    rc.sort();
    stats.forEach((s, j) => {
      ratios[j]![r] = pairedMedian(s) ? Math.exp(hodgesLehmann(rr)) : quantileSorted(rc, GATE_LEVELS[s]) / quantileSorted(rb, GATE_LEVELS[s]);
    });
  }
  const n = Math.min(base.length, current.length);
  return stats.map((s, j) => {
    const v = ratios[j]!.sort();
    const b = quantileSorted(sb, GATE_LEVELS[s]);
    const c = quantileSorted(sc, GATE_LEVELS[s]);
    return {
      stat: s,
      base: b,
      current: c,
      ratio: pairedMedian(s) ? Math.exp(hodgesLehmann(logRatios)) : c / b,
      ci: [quantileSorted(v, (1 - level) / 2), quantileSorted(v, (1 + level) / 2)],
      tooFewSamples: n < minSamplesToGate(GATE_LEVELS[s]),
    };
  });
}

export type GateVerdict = 'slower' | 'faster' | 'within threshold' | 'inconclusive' | 'not gated';

export interface GateCheck extends RatioEstimate {
  verdict: GateVerdict;
  /** This check fails the gate (exit 1). */
  fires: boolean;
}

/**
 * The verdict on one ratio for a threshold such as 0.10 (10 % slower):
 *   slower            the whole interval is above 1 + threshold (fires)
 *   faster            the whole interval is below 1 / (1 + threshold)
 *   within threshold  the whole interval is inside [1 / (1 + threshold), 1 + threshold]
 *   inconclusive      the interval straddles a bound: the samples cannot tell
 *   not gated         too few samples for this percentile
 */
export function judge(e: RatioEstimate, threshold: number): GateCheck {
  const hi = 1 + threshold;
  const lo = 1 / hi;
  let verdict: GateVerdict;
  if (e.tooFewSamples) verdict = 'not gated';
  else if (e.ci[0] > hi) verdict = 'slower';
  else if (e.ci[1] < lo) verdict = 'faster';
  else if (e.ci[0] >= lo && e.ci[1] <= hi) verdict = 'within threshold';
  else verdict = 'inconclusive';
  return { ...e, verdict, fires: verdict === 'slower' };
}

/** "10%", "10 %", "0.1" → 0.1; undefined for anything else. */
export function parseThreshold(input: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(input);
  if (!m) return undefined;
  const v = Number(m[1]);
  const t = m[2] ? v / 100 : v;
  return t > 0 && t < 10 ? t : undefined;
}

/**
 * How small a change these samples can resolve: the half-width of the median ratio's interval,
 * relative (0.05 = changes under about ±5 % look like noise).
 */
export function resolvableChange(e: RatioEstimate): number {
  return (e.ci[1] - e.ci[0]) / 2 / e.ratio;
}
