// `tts bench` as a library: runs the chosen scenarios, computes their statistics, writes the
// result files (JSON per scenario, SVG chart per scenario, one Markdown report) and compares with
// a baseline. The command only parses flags and prints.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { espeakVersion } from '../engine/backends/espeak.js';
import { Engine } from '../engine/engine.js';
import { fileIdentity } from '../engine/models/identity.js';
import { ecdfSvg } from './chart-svg.js';
import { compareAll, type Comparison } from './compare.js';
import { CORPUS, type TextSize } from './corpus.js';
import { fingerprint, type Fingerprint } from './fingerprint.js';
import { markdownReport } from './report-md.js';
import { newResultFile, readResult, stamp, toResult, writeResult, type ScenarioResult } from './results.js';
import { runScenario, SCENARIO_METRIC, type BenchOptions, type ScenarioName } from './scenarios.js';

export interface BenchRun extends Omit<BenchOptions, 'texts' | 'onProgress'> {
  scenarios: ScenarioName[];
  /** Texts to speak; default: the built-in corpus of `size`. */
  texts?: string[];
  size?: TextSize;
  /** Folder for result files; nothing is written when undefined. */
  outDir?: string;
  /** Baseline result files to compare with. */
  baselines?: string[];
  seed?: number;
  command: string;
  onProgress?: (scenario: ScenarioName, done: number, total: number) => void;
}

export interface BenchOutput {
  results: ScenarioResult[];
  comparisons: Comparison[];
  environment: Fingerprint;
  files: string[];
  report?: string;
}

export async function runBench(run: BenchRun): Promise<BenchOutput> {
  const baselines = await Promise.all((run.baselines ?? []).map(readResult));
  const texts = run.texts ?? CORPUS[run.size ?? 'medium'];
  const environment = fingerprint();
  await describeModel(run, environment);
  const results: ScenarioResult[] = [];
  for (const scenario of run.scenarios) {
    const m = await runScenario(scenario, { ...run, texts, onProgress: (d, t) => run.onProgress?.(scenario, d, t) });
    if (m.provider) Object.assign(environment, { provider: m.provider, threads: m.threads });
    results.push(toResult(scenario, SCENARIO_METRIC[scenario], m, { iterations: run.iterations, warmup: run.warmup, texts, ...(run.seed !== undefined ? { seed: run.seed } : {}) }));
  }
  const comparisons = compareAll(results, baselines);
  const out: BenchOutput = { results, comparisons, environment, files: [] };
  if (!run.outDir) return out;

  const ts = stamp();
  const charts: Record<string, string> = {};
  for (const r of results) {
    out.files.push(await writeResult(run.outDir, newResultFile(r, environment, run.command), ts));
    const svg = `${ts}-${r.scenario}.svg`;
    await writeFile(join(run.outDir, svg), ecdfSvg(`${r.scenario}: latency ECDF (n = ${r.stats.n})`, r.metric, r.samples, r.stats));
    charts[r.scenario] = svg;
    out.files.push(join(run.outDir, svg));
  }
  out.report = join(run.outDir, `${ts}-report.md`);
  await writeFile(out.report, markdownReport({ results, charts, environment, command: run.command, comparisons, createdAt: new Date().toISOString() }));
  out.files.push(out.report);
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
