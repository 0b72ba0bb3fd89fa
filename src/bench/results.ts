// Benchmark result files: one JSON per scenario in bench-results/, holding the raw samples, their
// statistics and where they were measured, so a run can be re-analysed or compared later.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TtsError } from '../engine/errors.js';
import { textSetId } from './corpus.js';
import type { Fingerprint } from './fingerprint.js';
import type { ResourceSeries } from './resources.js';
import type { ScenarioMeasurement, ScenarioName } from './scenarios.js';
import { QUANTILE_DEFINITION, summarize, type Summary } from './stats.js';

export interface ScenarioResult {
  scenario: ScenarioName;
  /** What one sample is, in words. */
  metric: string;
  /** The unit of every sample and statistic. */
  unit: 'ms';
  iterations: number;
  warmup: number;
  texts: string[];
  /** sha256 prefix of the texts: results compare only on the same text set. */
  textSet: string;
  samples: number[];
  stats: Summary;
  /** Median real-time factor: synthesis time / audio duration (below 1 is faster than real time). */
  rtf?: number;
  /** Stream: statistics of the time to the last chunk. */
  totalStats?: Summary;
  /** Stream: time to the last chunk per run, parallel to samples. */
  totalSamples?: number[];
  /** CPU time (ms) and peak RSS (KiB) per run, parallel to samples. */
  resources?: ResourceSeries;
  /** ab: which side this is and the command that ran it. */
  ab?: { side: 'base' | 'new'; command: string };
  hitRate?: number;
  errors?: number;
  throughput?: { value: number; unit: string };
  loadMs?: number;
  detail?: string;
}

export interface ResultFile {
  tool: 'tts bench';
  /** 2 since units, text sets and resources were added; 1 is still read. */
  format: 1 | 2;
  createdAt: string;
  command: string;
  quantileDefinition: string;
  environment: Fingerprint;
  result: ScenarioResult;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function toResult(
  scenario: ScenarioName,
  metric: string,
  m: ScenarioMeasurement,
  o: { iterations: number; warmup: number; texts: string[]; seed?: number },
): ScenarioResult {
  const seed = { seed: o.seed ?? 1 };
  const synthMs = m.totalMs ?? m.samples;
  const rtf = m.audioSeconds && m.audioSeconds.length === synthMs.length ? median(synthMs.map((ms, i) => ms / 1000 / m.audioSeconds![i]!)) : undefined;
  return {
    scenario,
    metric,
    unit: 'ms',
    iterations: o.iterations,
    warmup: o.warmup,
    texts: o.texts,
    textSet: textSetId(o.texts),
    samples: m.samples,
    stats: summarize(m.samples, seed),
    ...(rtf !== undefined && Number.isFinite(rtf) ? { rtf } : {}),
    ...(m.totalMs ? { totalStats: summarize(m.totalMs, seed), totalSamples: m.totalMs } : {}),
    ...(m.resources && m.resources.userMs.length === m.samples.length ? { resources: m.resources } : {}),
    ...(m.hitRate !== undefined ? { hitRate: m.hitRate } : {}),
    ...(m.errors !== undefined ? { errors: m.errors } : {}),
    ...(m.throughput ? { throughput: m.throughput } : {}),
    ...(m.loadMs !== undefined ? { loadMs: m.loadMs } : {}),
    ...(m.detail ? { detail: m.detail } : {}),
  };
}

/** A filesystem-safe timestamp, e.g. 2026-11-21T06-05-09Z. */
export function stamp(d = new Date()): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

export async function writeResult(dir: string, file: ResultFile, timestamp: string, suffix?: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${timestamp}-${file.result.scenario}${suffix ? `-${suffix}` : ''}.json`);
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(file, null, 2) + '\n');
  await rename(tmp, path);
  return path;
}

export function newResultFile(result: ScenarioResult, environment: Fingerprint, command: string): ResultFile {
  return { tool: 'tts bench', format: 2, createdAt: new Date().toISOString(), command, quantileDefinition: QUANTILE_DEFINITION, environment, result };
}

/** Reads a result file written by `tts bench`; a clear error for anything else. */
export async function readResult(path: string): Promise<ResultFile> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new TtsError('BAD_INPUT', `Cannot read bench results ${path}: ${(err as Error).message}.`, 'Give a .json file written by `tts bench`.');
  }
  const f = parsed as Partial<ResultFile>;
  if (f?.tool !== 'tts bench' || !f.result || !Array.isArray(f.result.samples) || !f.result.stats) {
    throw new TtsError('BAD_INPUT', `${path} is not a \`tts bench\` result file.`, 'Give a .json file that `tts bench` wrote (its output folder is printed at the end of each run).');
  }
  const file = f as ResultFile;
  file.result.textSet ??= textSetId(file.result.texts ?? []); // format 1 files
  return file;
}
