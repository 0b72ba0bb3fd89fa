import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readResult, toResult, newResultFile, type ResultFile } from '../src/bench/results.js';
import { summarize } from '../src/bench/stats.js';
import { fingerprint } from '../src/bench/fingerprint.js';
import { cacheWithModels, runCli, tempDir } from './helpers.js';

test('tts bench writes a JSON per scenario, an SVG per scenario and a Markdown report, all of which parse', async () => {
  const cache = cacheWithModels();
  const out = tempDir();
  const r = await runCli(['bench', '--scenario', 'warm', '--scenario', 'cached', '--scenario', 'stream', '-n', '6', '--warmup', '1', '--out-dir', out], { env: { TTS_CACHE_DIR: cache } });
  assert.is(r.code, 0, r.stderr);
  const stdout = r.stdout.toString();
  assert.match(stdout, /scenario\s+n\s+mean ± sd\s+P50 \[95% CI\]/);
  assert.match(stdout, /hit rate 100\.0 %/);
  const files = readdirSync(out).sort();
  assert.is(files.filter((f) => f.endsWith('.json')).length, 3);
  assert.is(files.filter((f) => f.endsWith('.svg')).length, 3);
  assert.is(files.filter((f) => f.endsWith('-report.md')).length, 1);
  for (const f of files.filter((x) => x.endsWith('.json'))) {
    const res = await readResult(join(out, f));
    assert.match(f, new RegExp(`-${res.result.scenario}\\.json$`));
    assert.is(res.result.samples.length, 6);
    assert.is(res.result.stats.n, 6);
    assert.ok(res.result.stats.p50 > 0 && res.result.stats.p95 >= res.result.stats.p50);
    assert.ok(res.result.stats.p50Ci95[0] <= res.result.stats.p50 && res.result.stats.p50 <= res.result.stats.p50Ci95[1]);
    assert.ok(res.result.stats.normality, 'Shapiro–Wilk ran');
    const env = res.environment;
    assert.ok(env.cpu && env.node && env.onnxruntime !== 'unknown' && env.gitCommit);
    assert.is(env.provider, 'cpu');
    assert.is(env.model?.id, 'kokoro-gen');
    assert.match(env.model?.sha256 ?? '', /^[0-9a-f]{64}$/);
  }
  const stream = await readResult(join(out, files.find((f) => f.endsWith('-stream.json'))!));
  assert.ok(stream.result.totalStats && stream.result.rtf! > 0);
  for (const f of files.filter((x) => x.endsWith('.svg'))) {
    const svg = readFileSync(join(out, f), 'utf8');
    assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, /<\/svg>\n$/);
    assert.match(svg, /P50 [\d.]+ ms/);
    assert.match(svg, /P95 [\d.]+ ms/);
    assert.is((svg.match(/<(\w+)[ >]/g) ?? []).length > 10, true);
  }
  const md = readFileSync(join(out, files.find((f) => f.endsWith('-report.md'))!), 'utf8');
  assert.match(md, /^# tts bench/);
  assert.match(md, /\| scenario \| n \| mean ± sd \|/);
  assert.match(md, /Shapiro–Wilk W = /);
  assert.match(md, /!\[warm latency ECDF\]\(.*-warm\.svg\)/);
  assert.match(md, /Hyndman/);
});

function crafted(scenario: 'warm' | 'stream' | 'cached', samples: number[], extra: Partial<ResultFile['result']> = {}): string {
  const result = { ...toResult(scenario, 'crafted', { samples }, { iterations: samples.length, warmup: 0, texts: ['x'] }), ...extra };
  const path = join(tempDir(), `crafted-${scenario}.json`);
  writeFileSync(path, JSON.stringify(newResultFile(result, fingerprint(), 'crafted')));
  return path;
}

const SAMPLES = Array.from({ length: 40 }, (_, i) => 100 + i); // P95 = 137.05 (type 7)

test('validate-targets: exit 0 when every target is met, 1 when one is missed, 2 on bad usage', async () => {
  const warm = crafted('warm', SAMPLES, { rtf: 0.2 });
  const pass = await runCli(['validate-targets', '--results', warm, '--p95', '140', '--p50', '120', '--rtf', '0.5']);
  assert.is(pass.code, 0, pass.stderr);
  assert.match(pass.stdout.toString(), /p95\s+warm\s+137\.1 ms\s+≤ 140\.0 ms\s+pass/);
  const fail = await runCli(['validate-targets', '--results', warm, '--p95', '130', '--p50', '200']);
  assert.is(fail.code, 1);
  assert.match(fail.stdout.toString(), /p95\s+warm\s+137\.1 ms\s+≤ 130\.0 ms\s+FAIL/);
  assert.match(fail.stdout.toString(), /1 target\(s\) missed/);
  const json = await runCli(['validate-targets', '--results', warm, '--p95', '130', '--json']);
  assert.is(json.code, 1);
  const parsed = JSON.parse(json.stdout.toString());
  assert.is(parsed.pass, false);
  assert.equal(parsed.checks.map((c: { target: string; pass: boolean }) => [c.target, c.pass]), [['p95', false]]);

  const none = await runCli(['validate-targets', '--results', warm]);
  assert.is(none.code, 2);
  assert.match(none.stderr, /no target given/);
  const badNumber = await runCli(['validate-targets', '--results', warm, '--p95', 'fast']);
  assert.is(badNumber.code, 2);
  const junk = join(tempDir(), 'junk.json');
  writeFileSync(junk, '{"not": "a bench file"}');
  const badFile = await runCli(['validate-targets', '--results', junk, '--p95', '100']);
  assert.is(badFile.code, 2);
  assert.match(badFile.stderr, /not a `tts bench` result file/);
  const missing = await runCli(['validate-targets', '--results', warm, '--ttfa', '100']);
  assert.is(missing.code, 2);
  assert.match(missing.stderr, /no stream scenario/);
});

test('validate-targets reads --ttfa from the stream results and --hit-rate from the cached results', async () => {
  const stream = crafted('stream', SAMPLES);
  const cached = crafted('cached', SAMPLES.map((x) => x / 100), { hitRate: 0.97 });
  const ok = await runCli(['validate-targets', '--results', stream, '--results', cached, '--ttfa', '150', '--hit-rate', '95']);
  assert.is(ok.code, 0, ok.stderr + ok.stdout.toString());
  const low = await runCli(['validate-targets', '--results', stream, '--results', cached, '--hit-rate', '0.99']);
  assert.is(low.code, 1);
  assert.match(low.stdout.toString(), /hitRate\s+cached\s+97\.0 %\s+≥ 99\.0 %\s+FAIL/);
});

test('summaries are reproducible: the same samples and seed give the same intervals', () => {
  const a = summarize(SAMPLES, { seed: 7 });
  const b = summarize(SAMPLES, { seed: 7 });
  assert.equal(a.p95Ci95, b.p95Ci95);
});

test.run();
