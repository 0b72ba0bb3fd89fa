// `tts bench --scenario http` against a real `tts serve`: closed and open loop, the report's
// breakdown by hit/miss, and a clear error when no server is there.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cacheWithModels, runCli } from './helpers.js';
import { killServers, startHttpServer } from './http-helpers.js';

test.after.each(killServers);

type Result = { scenario: string; samples: number[]; hitRate: number; errors: number; throughput: { unit: string }; detail: string };

test('closed and open loop load on tts serve: latency by hit and miss, no errors', async () => {
  const cache = cacheWithModels();
  const s = await startHttpServer(cache);
  for (const load of [['--users', '3', '--think', '50', '--repeat', '0.5'], ['--rate', '15', '--repeat', '1']]) {
    const r = await runCli(['bench', '--scenario', 'http', '--url', s.url, ...load, '--duration', '2', '--no-write', '--json', '-n', '3', '--size', 'short'], { env: { TTS_CACHE_DIR: cache } });
    assert.is(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout.toString()) as { results: Result[] };
    const res = out.results[0]!;
    assert.is(res.scenario, 'http');
    assert.ok(res.samples.length >= 3, `${res.samples.length} requests`);
    assert.is(res.errors, 0);
    assert.is(res.throughput.unit, 'requests per s');
    assert.match(res.detail, /^\s+hit\s+\d+/m);
    assert.match(res.detail, /errors 0 \(none\)/);
    if (load.includes('--rate')) assert.is(res.hitRate, 1, 'every request repeats a warmed phrase');
    else assert.ok(res.hitRate > 0 && res.hitRate < 1, `hit rate ${res.hitRate}`);
  }
});

test('the http scenario without a load, or without a server, fails with the fix', async () => {
  const cache = cacheWithModels();
  const none = await runCli(['bench', '--scenario', 'http', '--no-write', '-n', '3'], { env: { TTS_CACHE_DIR: cache } });
  assert.is(none.code, 2, none.stderr);
  const flat = none.stderr.replace(/\x1b\[[0-9;]*m/g, '').replace(/[\s›]+/g, '');
  assert.ok(flat.includes('needsaload') && flat.includes('--rateN(openloop)or--usersN'), none.stderr);
  const gone = await runCli(['bench', '--scenario', 'http', '--url', 'http://127.0.0.1:9', '--users', '1', '--duration', '1', '--no-write', '-n', '3'], { env: { TTS_CACHE_DIR: cache } });
  assert.is(gone.code, 1, gone.stderr);
  assert.match(gone.stderr, /tts serve/);
});

test.run();
