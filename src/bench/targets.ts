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
  limit: number;
  /** How measured must relate to limit. */
  rule: '≤' | '≥';
  pass: boolean;
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
  const upTo = (target: keyof Targets, r: ScenarioResult, measured: number, limit: number): void => {
    checks.push({ target, scenario: r.scenario, measured, limit, rule: '≤', pass: measured <= limit });
  };
  for (const key of ['p50', 'p95', 'p99', 'mean'] as const) {
    const limit = t[key];
    if (limit === undefined) continue;
    const r = find([latency], `--${key}`);
    upTo(key, r, r.stats[key], limit);
  }
  if (t.ttfa !== undefined) {
    const r = find(['stream'], '--ttfa');
    upTo('ttfa', r, r.stats.p95, t.ttfa);
  }
  if (t.hitRate !== undefined) {
    // The latency scenario's own hit rate when it has one, else the cached scenarios'.
    const withRate = results.filter((x) => x.hitRate !== undefined).map((x) => x.scenario);
    const r = find(withRate.includes(latency) ? [latency] : ['cached', 'cached-disk'], '--hit-rate');
    if (r.hitRate === undefined) throw new TtsError('BAD_INPUT', `The ${r.scenario} results record no cache hit rate.`, 'Use the cached scenario for --hit-rate.');
    checks.push({ target: 'hitRate', scenario: r.scenario, measured: r.hitRate, limit: t.hitRate, rule: '≥', pass: r.hitRate >= t.hitRate });
  }
  if (t.rtf !== undefined) {
    const r = find(latency === 'stream' ? ['stream', 'warm'] : ['warm', 'stream'], '--rtf');
    if (r.rtf === undefined) throw new TtsError('BAD_INPUT', `The ${r.scenario} results record no real-time factor.`, 'Use the warm or stream scenario for --rtf.');
    upTo('rtf', r, r.rtf, t.rtf);
  }
  return checks;
}
