// `tts validate-targets`: latency targets checked against bench results, for CI gates.
import { TtsError } from '../engine/errors.js';
import type { ScenarioResult } from './results.js';
import type { ScenarioName } from './scenarios.js';

export interface Targets {
  p50?: number;
  p95?: number;
  p99?: number;
  mean?: number;
  /** P95 of the time to first audio (stream scenario), ms. */
  ttfa?: number;
  /** Lowest acceptable cache hit rate, 0…1. */
  hitRate?: number;
  /** Highest acceptable median real-time factor. */
  rtf?: number;
}

export interface TargetCheck {
  target: keyof Targets;
  scenario: ScenarioName;
  measured: number;
  /** 95 % interval of the measured statistic, where there is one. */
  ci?: [number, number];
  limit: number;
  /** How measured must relate to limit. */
  rule: '≤' | '≥';
  /** The target is not missed: met, or missed by less than the interval can resolve. */
  pass: boolean;
  /** met | within noise (the point estimate misses, the interval does not) | missed. */
  outcome: 'met' | 'within noise' | 'missed';
}

/** The scenarios needed to check these targets, latency ones measured on `latency`. */
export function scenariosFor(t: Targets, latency: ScenarioName): ScenarioName[] {
  const s = new Set<ScenarioName>();
  if (t.p50 !== undefined || t.p95 !== undefined || t.p99 !== undefined || t.mean !== undefined) s.add(latency);
  if (t.ttfa !== undefined) s.add('stream');
  if (t.hitRate !== undefined) s.add(latency === 'cached' || latency === 'cached-disk' ? latency : 'cached');
  if (t.rtf !== undefined) s.add(latency === 'stream' ? 'stream' : 'warm');
  return [...s];
}

export function checkTargets(t: Targets, results: ScenarioResult[], latency: ScenarioName): TargetCheck[] {
  const find = (names: ScenarioName[], what: string): ScenarioResult => {
    const r = names.map((n) => results.find((x) => x.scenario === n)).find(Boolean);
    if (!r) {
      throw new TtsError('BAD_INPUT', `The results have no ${names.join(' or ')} scenario, which ${what} needs.`, `Run \`tts bench --scenario ${names[0]}\` or drop that target.`);
    }
    return r;
  };
  const checks: TargetCheck[] = [];
  // A latency target is missed only when its whole interval is above the limit: a point estimate
  // just over the line on a noisy machine is "within noise", not a failure.
  const upTo = (target: keyof Targets, r: ScenarioResult, measured: number, limit: number, ci?: [number, number]): void => {
    const outcome = measured <= limit ? 'met' : ci && ci[0] <= limit ? 'within noise' : 'missed';
    checks.push({ target, scenario: r.scenario, measured, ...(ci ? { ci } : {}), limit, rule: '≤', pass: outcome !== 'missed', outcome });
  };
  const intervals = { p50: 'p50Ci95', p95: 'p95Ci95', mean: 'meanCi95' } as const;
  for (const key of ['p50', 'p95', 'p99', 'mean'] as const) {
    const limit = t[key];
    if (limit === undefined) continue;
    const r = find([latency], `--${key}`);
    upTo(key, r, r.stats[key], limit, key === 'p99' ? undefined : r.stats[intervals[key]]);
  }
  if (t.ttfa !== undefined) {
    const r = find(['stream'], '--ttfa');
    upTo('ttfa', r, r.stats.p95, t.ttfa, r.stats.p95Ci95);
  }
  if (t.hitRate !== undefined) {
    // The latency scenario's own hit rate when it has one, else the cached scenarios'.
    const withRate = results.filter((x) => x.hitRate !== undefined).map((x) => x.scenario);
    const r = find(withRate.includes(latency) ? [latency] : ['cached', 'cached-disk'], '--hit-rate');
    if (r.hitRate === undefined) throw new TtsError('BAD_INPUT', `The ${r.scenario} results record no cache hit rate.`, 'Use the cached scenario for --hit-rate.');
    const pass = r.hitRate >= t.hitRate;
    checks.push({ target: 'hitRate', scenario: r.scenario, measured: r.hitRate, limit: t.hitRate, rule: '≥', pass, outcome: pass ? 'met' : 'missed' });
  }
  if (t.rtf !== undefined) {
    const r = find(latency === 'stream' ? ['stream', 'warm'] : ['warm', 'stream'], '--rtf');
    if (r.rtf === undefined) throw new TtsError('BAD_INPUT', `The ${r.scenario} results record no real-time factor.`, 'Use the warm or stream scenario for --rtf.');
    upTo('rtf', r, r.rtf, t.rtf);
  }
  return checks;
}
