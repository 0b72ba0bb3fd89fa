#!/usr/bin/env node
// Does a full audio cache slow down a request that misses it? An uncached one-shot `tts say` (a
// new phrase each time, written to /dev/null) against two caches that hold the same generated
// model: one with an empty audio cache, one with --entries entries (~1 s of audio each, spread
// over the shard folders as real keys are). Spawned in turn, n rounds, the order alternating, so
// machine noise hits both alike. Reports P50/P95 of both and the ratio of P50s.
//
// Usage: node dist/scripts/bench-cache-scale.js [--n 20] [--entries 1500] [--json FILE]
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { quantile } from '../src/bench/stats/quantile.js';
import { DiskCache } from '../src/engine/cache/disk.js';
import { audioCacheDir } from '../src/engine/models/paths.js';
import { installKokoroTestModel } from './gen-test-models.js';

const BIN = fileURLToPath(new URL('../../bin/run.cjs', import.meta.url));

function say(cacheDir: string, text: string): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, 'say', text, '--out', '/dev/null'], { env: { ...process.env, TTS_CACHE_DIR: cacheDir }, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`tts say exited ${r.status}: ${r.stderr.toString().slice(0, 300)}`);
  return ms;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { n: { type: 'string', default: '20' }, entries: { type: 'string', default: '1500' }, json: { type: 'string' } } });
  const n = Number(values.n);
  const entries = Number(values.entries);
  const root = mkdtempSync(join(tmpdir(), 'tts-cache-scale-'));
  try {
    const empty = join(root, 'empty');
    const full = join(root, 'full');
    installKokoroTestModel(empty);
    installKokoroTestModel(full);
    const disk = new DiskCache(audioCacheDir(full), 10 * 1024 ** 3);
    for (let i = 0; i < entries; i++) await disk.put(createHash('sha256').update(`filler ${i}`).digest('hex'), randomBytes(48_000 + (i % 7) * 1000));
    await disk.idle();
    // Warm-up: the file cache, the model's optimized form, the voice's calibration — in both.
    for (const dir of [empty, full]) say(dir, 'Warming up the cache folder.');
    const times: Record<'empty' | 'full', number[]> = { empty: [], full: [] };
    for (let r = 0; r < n; r++) {
      const order = r % 2 ? (['full', 'empty'] as const) : (['empty', 'full'] as const);
      for (const side of order) times[side].push(say(side === 'empty' ? empty : full, `Build number ${r} of run ${side} finished without errors.`));
    }
    const row = (xs: number[]) => ({ p50: quantile(xs, 0.5), p95: quantile(xs, 0.95) });
    const a = row(times.empty);
    const b = row(times.full);
    process.stdout.write(
      `uncached one-shot tts say, n = ${n} each, interleaved (ms)\n` +
        `  empty audio cache        P50 ${a.p50.toFixed(1).padStart(7)}  P95 ${a.p95.toFixed(1).padStart(7)}\n` +
        `  ${String(entries).padStart(5)} entries (${((entries * 51_000) / 1e6).toFixed(0)} MB)  P50 ${b.p50.toFixed(1).padStart(7)}  P95 ${b.p95.toFixed(1).padStart(7)}\n` +
        `  ratio of P50s: ${(b.p50 / a.p50).toFixed(3)}\n`,
    );
    if (values.json) writeFileSync(values.json, JSON.stringify({ command: process.argv.slice(1).join(' '), entries, empty: a, full: b, ratio: b.p50 / a.p50 }, null, 2) + '\n');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
