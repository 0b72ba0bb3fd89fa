// `tts bench --compare BASELINE.json [--fail-if-slower 10%]` and `--ab`: how much slower or faster is
// this run than the baseline? The ratio of medians and of P95s with bootstrap intervals (./gate.ts);
// a Mann–Whitney p-value is kept as a second opinion. Results measured on a different model, scenario,
// text set or thread count are refused unless forced: their ratio would not mean what it says.
import { TtsError } from '../engine/errors.js';
import type { Fingerprint } from './fingerprint.js';
import { judge, ratioIntervals, resolvableChange, type GateCheck } from './gate.js';
import type { ResultFile, ScenarioResult } from './results.js';
import { mannWhitneyU } from './stats.js';

export interface Comparison {
  scenario: string;
  metric: GateMetric;
  /** The baseline's file, or its command for --ab. */
  baseline: string;
  /** The runs were interleaved and are compared pair by pair. */
  paired: boolean;
  n: { base: number; current: number };
  /** The slowdown that fails the gate (0.1 = 10 %); undefined when no gate was asked for. */
  threshold?: number;
  checks: GateCheck[];
  /** Half-width of the median ratio's interval, relative: changes below it cannot be told from noise. */
  resolvable: number;
  mannWhitneyP: number;
  /** The gate fails: some statistic is slower beyond the threshold across its whole interval. */
  fires: boolean;
}

/** What the gate compares: latency (the samples) or CPU time per sample (user + sys). */
export type GateMetric = 'latency' | 'cpu';

export interface CompareOptions {
  threshold?: number;
  metric?: GateMetric;
  paired?: boolean;
  seed?: number;
  /** Bootstrap resamples (default 2000). */
  resamples?: number;
  /** Where the baseline came from, for the report. */
  label?: string;
}

/** The series a comparison reads: the latency samples, or the CPU time of each sample. */
function series(r: ScenarioResult, metric: GateMetric, path: string): number[] {
  if (metric === 'latency') return r.samples;
  if (!r.resources?.cpuMs?.length) {
    throw new TtsError('BAD_INPUT', `The ${path} results of ${r.scenario} record no CPU time per sample.`, 'Gate on latency, or use a scenario that records CPU (warm, cached, stream, cold with GNU time, --ab on Linux).');
  }
  return r.resources.cpuMs;
}

export function compare(current: ScenarioResult, baseline: ScenarioResult, o: CompareOptions = {}): Comparison {
  const metric = o.metric ?? 'latency';
  const estimates = ratioIntervals(series(baseline, metric, 'baseline'), series(current, metric, 'current'), ['p50', 'p95'], { paired: o.paired ?? false, seed: o.seed ?? 1, ...(o.resamples ? { resamples: o.resamples } : {}) });
  const checks = estimates.map((e) => judge(e, o.threshold ?? 0));
  if (o.threshold === undefined) for (const c of checks) c.fires = false;
  return {
    scenario: current.scenario,
    metric,
    baseline: o.label ?? baseline.scenario,
    paired: o.paired ?? false,
    n: { base: baseline.samples.length, current: current.samples.length },
    ...(o.threshold !== undefined ? { threshold: o.threshold } : {}),
    checks,
    resolvable: resolvableChange(estimates[0]!),
    mannWhitneyP: mannWhitneyU(current.samples, baseline.samples).p,
    fires: checks.some((c) => c.fires),
  };
}

/** What differs between two runs in a way that makes their latencies incomparable. */
type Planned = Pick<ScenarioResult, 'scenario' | 'textSet' | 'texts'>;

export function incompatibilities(cur: { result: Planned; environment: Fingerprint }, base: ResultFile): string[] {
  const out: string[] = [];
  const a = base.environment;
  const b = cur.environment;
  if (base.result.scenario !== cur.result.scenario) out.push(`scenario ${base.result.scenario} ≠ ${cur.result.scenario}`);
  if (a.model?.sha256 && b.model?.sha256 && a.model.sha256 !== b.model.sha256) {
    out.push(`model sha256 ${a.model.sha256.slice(0, 12)}… (${a.model.id}) ≠ ${b.model.sha256.slice(0, 12)}… (${b.model.id})`);
  }
  if (base.result.textSet !== cur.result.textSet) out.push(`text set ${base.result.textSet} (${base.result.texts.length} texts) ≠ ${cur.result.textSet} (${cur.result.texts.length} texts)`);
  if (a.threads !== undefined && b.threads !== undefined && a.threads !== b.threads) out.push(`threads ${a.threads} ≠ ${b.threads}`);
  return out;
}

/**
 * This run's result (or planned scenario) that a baseline file is compared with. Throws a usage
 * error (with the fix) when the baseline matches no scenario of this run, or differs in model,
 * text set or threads, unless `force`.
 */
export function matchBaseline<T extends Planned>(current: T[], environment: Fingerprint, path: string, file: ResultFile, force = false): T {
  const same = current.find((c) => c.scenario === file.result.scenario);
  const c = same ?? (force && current.length === 1 ? current[0] : undefined);
  if (!c) {
    throw new TtsError(
      'BAD_INPUT',
      `The baseline ${path} measured the ${file.result.scenario} scenario, which this run does not.`,
      `Add --scenario ${file.result.scenario}, or --force to compare a single scenario with it anyway.`,
    );
  }
  const diff = incompatibilities({ result: c, environment }, file);
  if (diff.length && !force) {
    throw new TtsError(
      'BAD_INPUT',
      `Cannot compare with ${path}: it was measured differently (${diff.join('; ')}).`,
      'Re-run the baseline with the same model, texts and --threads, or pass --force to compare anyway.',
    );
  }
  return c;
}

/** One comparison per baseline file, against this run's result of the same scenario (see matchBaseline). */
export function compareAll(
  current: ScenarioResult[],
  environment: Fingerprint,
  baselines: Array<{ path: string; file: ResultFile }>,
  o: CompareOptions & { force?: boolean } = {},
): Comparison[] {
  return baselines.map(({ path, file }) => compare(matchBaseline(current, environment, path, file, o.force), file.result, { ...o, label: path }));
}
