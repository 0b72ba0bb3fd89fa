// `tts bench` as a library: runs the chosen scenarios (or an interleaved A/B of two commands),
// computes their statistics, compares with a baseline, and writes the result files (one JSON per
// scenario, one combined SVG chart, one Markdown report). The command only parses flags and prints.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { espeakVersion } from '../engine/backends/espeak.js';
import { Engine } from '../engine/engine.js';
import { fileIdentity } from '../engine/models/identity.js';
import { combinedEcdfSvg, type ChartSeries } from './chart-svg.js';
import { compare, compareAll, matchBaseline, type Comparison, type GateMetric } from './compare.js';
import { CORPUS, defaultSize, textSetId, type TextSize } from './corpus.js';
import { fingerprint, type Fingerprint } from './fingerprint.js';
import { PERCENTILES, sampleWarnings } from './noise.js';
import { markdownReport } from './report-md.js';
import { newResultFile, readResult, stamp, toResult, writeResult, type ResultFile, type ScenarioResult } from './results.js';
import { runScenario, SCENARIO_METRIC, type BenchOptions, type ScenarioName } from './scenarios.js';

export interface BenchRun extends Omit<BenchOptions, 'texts' | 'onProgress'> {
  scenarios: ScenarioName[];
  /** Texts to speak; default: the built-in corpus of `size`, or of each scenario's default size. */
  texts?: string[];
  size?: TextSize;
  /** Folder for result files; nothing is written when undefined. */
  outDir?: string;
  /** Baseline result files to compare with. */
  baselines?: string[];
  /** Interleave two tts commands instead of running scenarios: [base, new]. */
  ab?: [string, string];
  /** Gate: a comparison fires when median or P95 is slower by more than this (0.1 = 10 %). */
  failIfSlower?: number;
  /** What the gate compares (default latency). */
  gateOn?: GateMetric;
  /** Compare even across model, scenario, text set or thread count. */
  force?: boolean;
  seed?: number;
  command: string;
  onProgress?: (scenario: ScenarioName, done: number, total: number) => void;
}

export interface BenchOutput {
  results: ScenarioResult[];
  comparisons: Comparison[];
  /** Sample sizes too small for a percentile shown or gated on. */
  warnings: string[];
  environment: Fingerprint;
  files: string[];
  report?: string;
  chart?: string;
}

export async function runBench(run: BenchRun): Promise<BenchOutput> {
  const baselines = await Promise.all((run.baselines ?? []).map(async (path) => ({ path, file: await readResult(path) })));
  const environment = fingerprint();
  if (!run.ab) await describeModel(run, environment);
  if (run.session && (run.ab || run.scenarios.some((s) => s !== 'http'))) environment.session = run.session; // http measures a server started elsewhere
  const summaryOpts = (texts: string[]): Parameters<typeof toResult>[3] => ({ iterations: run.iterations, warmup: run.warmup, texts, ...(run.seed !== undefined ? { seed: run.seed } : {}) });
  const results: ScenarioResult[] = [];
  let comparisons: Comparison[];
  if (run.ab) {
    const { runAb } = await import('./ab.js');
    const texts = run.texts ?? CORPUS[run.size ?? 'medium'];
    if (run.session) environment.threads = run.session.threads;
    const measured = await runAb({ ...run, commands: run.ab, texts, onProgress: (d, t) => run.onProgress?.('ab', d, t) });
    const sides = (['base', 'new'] as const).map((side, k) => ({ ...toResult('ab', SCENARIO_METRIC.ab, measured[k]!, summaryOpts(texts)), ab: { side, command: run.ab![k]! } }));
    results.push(...sides);
    comparisons = [compare(sides[1]!, sides[0]!, { paired: true, label: run.ab[0], ...gateOpts(run) })];
  } else {
    const textsOf = (scenario: ScenarioName): string[] => run.texts ?? CORPUS[run.size ?? defaultSize(scenario)];
    // Refuse an incomparable baseline before measuring anything (threads are checked once known).
    const planned = run.scenarios.map((scenario) => ({ scenario, texts: textsOf(scenario), textSet: textSetId(textsOf(scenario)) }));
    for (const b of baselines) matchBaseline(planned, environment, b.path, b.file, run.force);
    for (const scenario of run.scenarios) {
      const texts = textsOf(scenario);
      const m = await runScenario(scenario, { ...run, texts, onProgress: (d, t) => run.onProgress?.(scenario, d, t) });
      if (m.provider) Object.assign(environment, { provider: m.provider, threads: m.threads });
      results.push(toResult(scenario, SCENARIO_METRIC[scenario], m, summaryOpts(texts)));
    }
    comparisons = compareAll(results, environment, baselines, { ...gateOpts(run), ...(run.force ? { force: true } : {}) });
  }
  const out: BenchOutput = { results, comparisons, warnings: sampleWarnings(results, run.failIfSlower !== undefined, [PERCENTILES[0]!]), environment, files: [] };
  if (!run.outDir) return out;

  const ts = stamp();
  for (const r of results) {
    out.files.push(await writeResult(run.outDir, newResultFile(r, environment, run.command), ts, r.ab?.side));
  }
  out.chart = join(run.outDir, `${ts}-chart.svg`);
  const title = run.ab ? 'tts bench --ab: base vs new' : `tts bench: ${results.map((r) => r.scenario).join(', ')}`;
  await writeFile(out.chart, combinedEcdfSvg(title, `${environment.cpu}, ${environment.gitCommit.slice(0, 12)} — each line: the share of samples at or below a time; dashed: baseline; dot: median`, chartSeries(results, baselines.map((b) => b.file))));
  out.files.push(out.chart);
  out.report = join(run.outDir, `${ts}-report.md`);
  await writeFile(
    out.report,
    markdownReport({ results, chart: `${ts}-chart.svg`, environment, command: run.command, comparisons, warnings: out.warnings, createdAt: new Date().toISOString() }),
  );
  out.files.push(out.report);
  return out;
}

function gateOpts(run: BenchRun): { threshold?: number; seed?: number; metric?: GateMetric } {
  return { ...(run.failIfSlower !== undefined ? { threshold: run.failIfSlower } : {}), ...(run.seed !== undefined ? { seed: run.seed } : {}), ...(run.gateOn ? { metric: run.gateOn } : {}) };
}

/** Every scenario (the stream one twice: first audio and last chunk) and every baseline, dashed. */
export function chartSeries(results: ScenarioResult[], baselines: ResultFile[]): ChartSeries[] {
  const out: ChartSeries[] = [];
  for (const r of results) {
    const name = r.ab ? `${r.ab.side}: ${r.ab.command}` : r.scenario;
    const group = r.ab ? 'ab' : r.scenario;
    if (r.scenario === 'stream') {
      out.push({ label: 'stream: first audio', samples: r.samples, group: 'stream' });
      if (r.totalSamples) out.push({ label: 'stream: last chunk (total)', samples: r.totalSamples, group: 'stream-total' });
    } else out.push({ label: name, samples: r.samples, group, dashed: r.ab?.side === 'base' });
  }
  for (const b of baselines) {
    out.push({ label: `baseline ${b.result.scenario} (${b.createdAt.slice(5, 16).replace('T', ' ')})`, samples: b.result.samples, group: b.result.scenario, dashed: true });
  }
  return out;
}

/** Adds the model's id, variant and sha256 to the fingerprint (reading files only). */
async function describeModel(run: BenchRun, env: Fingerprint): Promise<void> {
  const engine = new Engine({ cacheDir: run.cacheDir });
  const rv = engine.resolve({ ...(run.model ? { model: run.model } : {}), ...(run.dtype ? { dtype: run.dtype } : {}), ...(run.voice ? { voice: run.voice } : {}) });
  if (rv.family === 'espeak') {
    // The built-in voice has no model file (it is compiled in): identify it by the espeak-ng version.
    env.model = { id: rv.model.manifest.id, dtype: rv.dtype, sha256: `espeak-ng ${espeakVersion()}`, file: '' };
    return;
  }
  const file = join(rv.model.dir, rv.modelFile);
  env.model = { id: rv.model.manifest.id, dtype: rv.dtype, sha256: await fileIdentity(file), file };
}
