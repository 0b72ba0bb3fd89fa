// `tts bench --compare BASELINE.json`: did a scenario get faster or slower? Medians and P95s are
// compared, and a Mann–Whitney U test on the raw samples says whether the shift is more than noise.
import type { ResultFile, ScenarioResult } from './results.js';
import { mannWhitneyU } from './stats.js';

export const SIGNIFICANCE = 0.05;

export interface Comparison {
  scenario: string;
  baselineMedian: number;
  currentMedian: number;
  medianChange: number; // relative, e.g. -0.12 = 12 % faster
  baselineP95: number;
  currentP95: number;
  p95Change: number;
  mannWhitneyP: number;
  verdict: 'faster' | 'slower' | 'no significant change';
}

export function compare(current: ScenarioResult, baseline: ScenarioResult): Comparison {
  const { p } = mannWhitneyU(current.samples, baseline.samples);
  const cm = current.stats.p50;
  const bm = baseline.stats.p50;
  const verdict = p < SIGNIFICANCE ? (cm < bm ? 'faster' : 'slower') : 'no significant change';
  return {
    scenario: current.scenario,
    baselineMedian: bm,
    currentMedian: cm,
    medianChange: (cm - bm) / bm,
    baselineP95: baseline.stats.p95,
    currentP95: current.stats.p95,
    p95Change: (current.stats.p95 - baseline.stats.p95) / baseline.stats.p95,
    mannWhitneyP: p,
    verdict,
  };
}

/** Comparisons for every current scenario that a baseline file also measured. */
export function compareAll(current: ScenarioResult[], baselines: ResultFile[]): Comparison[] {
  const out: Comparison[] = [];
  for (const c of current) {
    const b = baselines.find((f) => f.result.scenario === c.scenario);
    if (b) out.push(compare(c, b.result));
  }
  return out;
}
