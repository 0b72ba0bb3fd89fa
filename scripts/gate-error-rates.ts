#!/usr/bin/env node
// How often does the regression gate (`tts bench --ab BASE NEW --fail-if-slower 10%`) fire on this
// machine? Two generated Kokoro-signature models are installed: A with `--work W` and B with more
// work, a real slowdown of about 20 %. (Time is not linear in --work on this machine: 60 → 72 was
// +7 %, 60 → 78 +20 %, 60 → 86 +46 %, measured at a load average near 1; the script prints the
// slowdown B really had, so check it when the machine differs.) The script then runs, alternating so that both see the same
// machine load over time:
//   - `runs` A/A comparisons: the identical command on both sides (a false alarm when it fires);
//   - `runs` A/B comparisons: B as the new side (a miss when it does not fire).
// It prints both rates, the slowdown B really had (median of all per-pair ratios), and exits 0 when
// the A/A rate is ≤ 1 in 20 and the A/B rate ≥ 19 in 20, else 1.
//
// Both servers run one intra-op thread (--threads 1): on a shared, oversubscribed machine a thread
// pool's barriers wait on descheduled threads, which adds more noise than the second core saves.
//
// Usage: node dist/scripts/gate-error-rates.js [--runs 20] [-n 40] [--warmup 3] [--work 60]
//          [--slow-work 78] [--threshold 10%] [--size short] [--keep DIR]
// Bounded: runs × 2 × (n + warmup) × 2 requests of a short text; a few minutes on 2 cores.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compare } from '../src/bench/compare.js';
import type { ScenarioResult } from '../src/bench/results.js';
import { installKokoroTestModel } from './gen-test-models.js';

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const BIN = join(REPO, 'bin', 'run.cjs');

interface Outcome {
  fires: boolean;
  ratio: number;
  ci: [number, number];
  pairRatios: number[];
  cvBase: number;
  /** The same runs gated on CPU time per sample (--gate-on cpu), computed by the same code. */
  cpu: { fires: boolean; ratio: number; ci: [number, number]; pairRatios: number[] };
}

function bench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    const p = spawn(process.execPath, [BIN, 'bench', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', rej);
    p.on('close', (code) => res({ code, stdout, stderr }));
  });
}

async function gate(base: string, next: string, o: { n: number; warmup: number; threshold: string; size: string; seed: number }): Promise<Outcome> {
  const r = await bench(['--ab', base, next, '--threads', '1', '-n', String(o.n), '--warmup', String(o.warmup), '--size', o.size, '--fail-if-slower', o.threshold, '--seed', String(o.seed), '--no-write', '--json']);
  if (r.code !== 0 && r.code !== 1) throw new Error(`tts bench exited with ${r.code}: ${r.stderr.trim()}`);
  const out = JSON.parse(r.stdout) as {
    results: ScenarioResult[];
    comparisons: Array<{ fires: boolean; checks: Array<{ ratio: number; ci: [number, number] }> }>;
  };
  const c = out.comparisons[0]!;
  if (c.fires !== (r.code === 1)) throw new Error(`exit code ${r.code} disagrees with the gate's verdict ${c.fires}`);
  const [a, b] = out.results;
  const cpu = compare(b!, a!, { paired: true, metric: 'cpu', threshold: parseFloat(o.threshold) / 100, seed: o.seed });
  const ca = a!.resources!.cpuMs;
  return {
    fires: c.fires,
    ratio: c.checks[0]!.ratio,
    ci: c.checks[0]!.ci,
    pairRatios: b!.samples.map((v, i) => v / a!.samples[i]!),
    cvBase: a!.stats.cv,
    cpu: { fires: cpu.fires, ratio: cpu.checks[0]!.ratio, ci: cpu.checks[0]!.ci, pairRatios: b!.resources!.cpuMs.map((v, i) => v / ca[i]!) },
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '20' },
      n: { type: 'string', short: 'n', default: '40' },
      warmup: { type: 'string', default: '3' },
      work: { type: 'string', default: '60' },
      'slow-work': { type: 'string', default: '78' },
      threshold: { type: 'string', default: '10%' },
      size: { type: 'string', default: 'short' },
      keep: { type: 'string' },
    },
  });
  const runs = Number(values.runs);
  const opts = { n: Number(values.n), warmup: Number(values.warmup), threshold: values.threshold!, size: values.size! };
  const dir = values.keep ?? mkdtempSync(join(tmpdir(), 'tts-gate-'));
  const cacheA = join(dir, 'a');
  const cacheB = join(dir, 'b');
  installKokoroTestModel(cacheA, { work: Number(values.work) });
  installKokoroTestModel(cacheB, { work: Number(values['slow-work']) });
  const cmd = (cache: string): string => `env TTS_CACHE_DIR=${cache} ${process.execPath} ${BIN}`;
  process.stdout.write(
    `gate: tts bench --ab BASE NEW -n ${opts.n} --warmup ${opts.warmup} --size ${opts.size} --fail-if-slower ${opts.threshold}\n` +
      `A: generated model, --work ${values.work}; B: --work ${values['slow-work']}; ${runs} A/A and ${runs} A/B runs, alternating\n`,
  );
  const aa: Outcome[] = [];
  const ab: Outcome[] = [];
  const t0 = Date.now();
  try {
    for (let i = 0; i < runs; i++) {
      aa.push(await gate(cmd(cacheA), cmd(cacheA), { ...opts, seed: 2 * i + 1 }));
      ab.push(await gate(cmd(cacheA), cmd(cacheB), { ...opts, seed: 2 * i + 2 }));
      const fmt = (o: Outcome['cpu']): string => `${o.ratio.toFixed(3)} [${o.ci[0].toFixed(3)}, ${o.ci[1].toFixed(3)}]${o.fires ? ' FIRES' : ''}`;
      process.stdout.write(
        `run ${String(i + 1).padStart(2)}: latency A/A ${fmt(aa[i]!)}  A/B ${fmt(ab[i]!)} | CPU A/A ${fmt(aa[i]!.cpu)}  A/B ${fmt(ab[i]!.cpu)} | CV of A ${(aa[i]!.cvBase * 100).toFixed(0)} %\n`,
      );
    }
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
  const rates = (fires: (o: Outcome) => boolean, ratios: (o: Outcome) => number[]) => {
    const falseAlarms = aa.filter(fires).length;
    const detections = ab.filter(fires).length;
    return {
      aaFires: `${falseAlarms}/${runs}`,
      abFires: `${detections}/${runs}`,
      injectedSlowdown: `${((median(ab.flatMap(ratios)) - 1) * 100).toFixed(1)} % (median of all A/B per-pair ratios)`,
      ok: falseAlarms * 20 <= runs && detections * 20 >= 19 * runs,
    };
  };
  const summary = {
    latency: rates((o) => o.fires, (o) => o.pairRatios),
    cpu: rates((o) => o.cpu.fires, (o) => o.cpu.pairRatios),
    medianCvOfA: `${(median(aa.map((o) => o.cvBase)) * 100).toFixed(1)} %`,
    minutes: ((Date.now() - t0) / 60000).toFixed(1),
  };
  process.stdout.write(`\n${JSON.stringify(summary, null, 2)}\n`);
  if (values.keep) writeFileSync(join(dir, 'summary.json'), JSON.stringify({ summary, aa, ab }, null, 2));
  for (const [name, r] of Object.entries({ latency: summary.latency, 'cpu time': summary.cpu })) {
    process.stdout.write(`${name}: acceptance (A/A ≤ 1 in 20, A/B ≥ 19 in 20) ${r.ok ? 'holds' : 'NOT met'}\n`);
  }
  process.exitCode = summary.latency.ok || summary.cpu.ok ? 0 : 1;
}

main().catch((err: Error) => {
  process.stderr.write(`gate-error-rates: ${err.message}\n`);
  process.exit(2);
});
