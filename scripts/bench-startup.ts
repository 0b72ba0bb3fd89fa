#!/usr/bin/env node
// One-shot start-up against Node's own floor, interleaved in one run: `node -e 0`, `tts --help`,
// and a fully cached `tts say` (written to /dev/null), each spawned in turn, n rounds, the order
// rotating every round. Reports P50/P95 of each and the ratio of P50s to the floor.
//
// Usage: node dist/scripts/bench-startup.js [--n 30] [--cache-dir DIR] [--text "Build succeeded."] [--json FILE]
// The cache folder must hold a model (e.g. node dist/scripts/gen-test-models.js --cache-dir DIR
// --kokoro-only); the phrase is synthesized into its cache once before measuring.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { quantile } from '../src/bench/stats/quantile.js';
import { installKokoroTestModel } from './gen-test-models.js';

const BIN = fileURLToPath(new URL('../../bin/run.cjs', import.meta.url));

function time(argv: string[], env: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, argv, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr.toString().slice(0, 300)}`);
  return ms;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      n: { type: 'string', default: '30' },
      'cache-dir': { type: 'string' },
      text: { type: 'string', default: 'Build succeeded.' },
      json: { type: 'string' },
    },
  });
  let cacheDir = values['cache-dir'];
  if (!cacheDir) {
    cacheDir = mkdtempSync(join(tmpdir(), 'tts-startup-'));
    installKokoroTestModel(cacheDir);
  }
  const env = { ...process.env, TTS_CACHE_DIR: cacheDir };
  const say = [BIN, 'say', values.text!, '--out', '/dev/null'];
  time(say, env); // fills the cache
  const cases: [string, string[]][] = [
    ['node -e 0', ['-e', '0']],
    ['tts --help', [BIN, '--help']],
    ['tts say (cached)', say],
  ];
  const samples = cases.map(() => [] as number[]);
  for (const [, argv] of cases) time(argv, env); // warm the file cache
  const n = Number(values.n);
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < cases.length; k++) {
      const i = (r + k) % cases.length;
      samples[i]!.push(time(cases[i]![1], env));
    }
  }
  const floor = quantile(samples[0]!, 0.5);
  const rows = cases.map(([name], i) => ({ name, p50: quantile(samples[i]!, 0.5), p95: quantile(samples[i]!, 0.95), ratio: quantile(samples[i]!, 0.5) / floor }));
  process.stdout.write(`one-shot start-up, n = ${n} each, interleaved (ms)\n`);
  for (const r of rows) process.stdout.write(`  ${r.name.padEnd(20)} P50 ${r.p50.toFixed(1).padStart(7)}  P95 ${r.p95.toFixed(1).padStart(7)}  ${r.ratio.toFixed(2)}× node -e 0\n`);
  if (values.json) writeFileSync(values.json, JSON.stringify({ command: process.argv.slice(1).join(' '), rows }, null, 2) + '\n');
}

main();
