import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CORPUS, defaultSize } from '../src/bench/corpus.js';
import { readResult, toResult, newResultFile, type ResultFile, type ScenarioResult } from '../src/bench/results.js';
import { summarize } from '../src/bench/stats.js';
import { fingerprint } from '../src/bench/fingerprint.js';
import { normalizeText } from '../src/engine/text/normalize.js';
import { splitSentences } from '../src/engine/text/split.js';
import { planChunks } from '../src/engine/text/chunks.js';
import { BIN, cacheWithModels, REPO, runCli, tempDir } from './helpers.js';

const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(join(REPO, 'docs', 'bench-result.schema.json'), 'utf8')) as object;
/** The repo's JSON Schema for result files, compiled by ajv (2020-12 draft, formats checked). */
function validator(): (data: unknown) => string | undefined {
  const Ajv2020 = require('ajv/dist/2020') as new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } };
  const ajv = new Ajv2020({ allErrors: true, strict: true, validateFormats: false });
  const v = ajv.compile(schema);
  // undefined when valid, else ajv's errors as text
  return (d: unknown) => (v(d) ? undefined : JSON.stringify(v.errors));
}

test('tts bench writes a JSON per scenario (valid against the schema), one combined SVG chart and a Markdown report', async () => {
  const cache = cacheWithModels();
  const state = tempDir();
  // No --out-dir: the files go to $XDG_STATE_HOME/tts/bench, and the command says so.
  const r = await runCli(['bench', '--scenario', 'warm', '--scenario', 'cached', '--scenario', 'stream', '-n', '6', '--warmup', '1'], { env: { TTS_CACHE_DIR: cache, XDG_STATE_HOME: state, COLUMNS: '100' } });
  assert.is(r.code, 0, r.stderr);
  const out = join(state, 'tts', 'bench');
  const stdout = r.stdout.toString();
  assert.ok(stdout.includes(`Wrote 5 files to ${out}`), stdout);
  assert.match(stdout, /scenario\s+unit\s+n\s+P50 \[95% CI\]\s+P95 \[95% CI\]/);
  assert.match(stdout, /warm\s+ms\s+6\s/);
  assert.match(stdout, /One sample is:\n\s+warm: time to synthesize the whole text/);
  assert.match(stdout, /Noise: warm: CV [\d.]+ %, median known to ±[\d.]+ % \(n = 6\)/);
  for (const line of stdout.split('\n')) assert.ok(line.length <= 100 || line.startsWith('Wrote') || line.includes(out), `line wider than COLUMNS: ${line}`);
  assert.match(r.stderr, /warning: warm: P95 at n = 6 is little more than the slowest sample/);
  const files = readdirSync(out).sort();
  assert.is(files.filter((f) => f.endsWith('.json')).length, 3);
  assert.is(files.filter((f) => f.endsWith('.svg')).length, 1);
  assert.is(files.filter((f) => f.endsWith('-report.md')).length, 1);
  const valid = validator();
  for (const f of files.filter((x) => x.endsWith('.json'))) {
    const raw = JSON.parse(readFileSync(join(out, f), 'utf8')) as unknown;
    const errors = valid(raw);
    assert.is(errors, undefined, `${f} does not match docs/bench-result.schema.json: ${errors}`);
    const res = await readResult(join(out, f));
    assert.match(f, new RegExp(`-${res.result.scenario}\\.json$`));
    assert.is(res.format, 2);
    assert.is(res.result.unit, 'ms');
    assert.ok(res.result.metric.length > 20);
    assert.match(res.result.textSet, /^[0-9a-f]{16}$/);
    assert.is(res.result.samples.length, 6);
    assert.ok(res.result.stats.p50 > 0 && res.result.stats.p95 >= res.result.stats.p50);
    assert.ok(res.result.stats.p50Ci95[0] <= res.result.stats.p50 && res.result.stats.p50 <= res.result.stats.p50Ci95[1]);
    const rs = res.result.resources!;
    assert.is(rs.cpuMs.length, 6);
    assert.ok(rs.peakRssKiB.every((k) => k > 10_000), 'peak RSS in KiB');
    const env = res.environment;
    assert.ok(env.cpu && env.node && env.onnxruntime !== 'unknown' && env.gitCommit);
    assert.is(env.provider, 'cpu');
    assert.is(env.model?.id, 'kokoro-gen');
    assert.match(env.model?.sha256 ?? '', /^[0-9a-f]{64}$/);
  }
  const junk = newResultFile(toResult('warm', 'm', { samples: [1, 2, 3] }, { iterations: 3, warmup: 0, texts: [] }), fingerprint(), 'x');
  assert.is(valid(JSON.parse(JSON.stringify(junk))), undefined);
  assert.match(valid({ ...junk, result: { ...junk.result, unit: 's' } }) ?? '', /\/result\/unit/);
  assert.match(valid({ ...junk, tool: 'other' }) ?? '', /\/tool/);
  const svg = readFileSync(join(out, files.find((f) => f.endsWith('-chart.svg'))!), 'utf8');
  assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg, /<\/svg>\n$/);
  for (const label of ['warm — P50', 'cached — P50', 'stream: first audio — P50', 'stream: last chunk (total) — P50']) assert.ok(svg.includes(label), label);
  assert.match(svg, /log scale/);
  const md = readFileSync(join(out, files.find((f) => f.endsWith('-report.md'))!), 'utf8');
  assert.match(md, /^# tts bench/);
  assert.match(md, /\| scenario \| unit \| n \| P50 \[95% CI\] \|/);
  assert.match(md, /Shapiro–Wilk W = /);
  assert.match(md, /!\[every scenario's ECDF on a log time axis\]\(.*-chart\.svg\)/);
  assert.match(md, /Hyndman/);
});

test("the default stream scenario speaks multi-chunk texts: first audio comes before the last chunk on every run", async () => {
  for (const text of CORPUS[defaultSize('stream')]) {
    assert.ok(splitSentences(text).length >= 7, text);
    assert.ok(planChunks(normalizeText(text), { mode: 'merge' }).length >= 3, `one chunk: ${text}`);
  }
  const cache = cacheWithModels();
  const r = await runCli(['bench', '--scenario', 'stream', '-n', '4', '--warmup', '0', '--no-write', '--json'], { env: { TTS_CACHE_DIR: cache } });
  assert.is(r.code, 0, r.stderr);
  const [stream] = (JSON.parse(r.stdout.toString()) as { results: ScenarioResult[] }).results;
  assert.equal(stream!.texts, CORPUS.long);
  assert.is(stream!.totalSamples!.length, 4);
  stream!.samples.forEach((first, i) => assert.ok(first < stream!.totalSamples![i]!, `run ${i}: first audio ${first} ms, total ${stream!.totalSamples![i]} ms`));
  assert.ok(stream!.stats.p50 < stream!.totalStats!.p50);
});

test('tts bench --ab interleaves two commands and compares them pair by pair; bad gate usage exits 2', async () => {
  const cache = cacheWithModels();
  const cmd = `${process.execPath} ${BIN}`;
  const r = await runCli(['bench', '--ab', cmd, cmd, '-n', '4', '--warmup', '1', '--size', 'short', '--threads', '1', '--no-write', '--json'], { env: { TTS_CACHE_DIR: cache } });
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout.toString()) as { results: ScenarioResult[]; comparisons: Array<{ paired: boolean; fires: boolean; checks: Array<{ stat: string; ratio: number }> }>; environment: { threads: number } };
  assert.equal(out.results.map((x) => [x.scenario, x.ab!.side, x.ab!.command, x.samples.length]), [['ab', 'base', cmd, 4], ['ab', 'new', cmd, 4]]);
  for (const x of out.results) {
    assert.is(x.resources!.cpuMs.length, 4);
    assert.ok(x.resources!.cpuMs.every((c) => c > 0), 'the server did CPU work for every request');
  }
  assert.is(out.comparisons.length, 1);
  assert.ok(out.comparisons[0]!.paired);
  assert.not.ok(out.comparisons[0]!.fires, 'no gate was asked for');
  assert.is(out.environment.threads, 1);

  const one = await runCli(['bench', '--ab', cmd, '--no-write']);
  assert.is(one.code, 2);
  assert.match(one.stderr, /--ab takes two commands/);
  const lonely = await runCli(['bench', '--fail-if-slower', '10%', '--no-write']);
  assert.is(lonely.code, 2);
  assert.match(lonely.stderr, /--fail-if-slower needs a baseline/);
  const bad = await runCli(['bench', '--compare', 'x.json', '--fail-if-slower', 'lots', '--no-write']);
  assert.is(bad.code, 2);
  const broken = await runCli(['bench', '--ab', 'false', cmd, '-n', '3', '--no-write'], { env: { TTS_CACHE_DIR: cache } });
  assert.is(broken.code, 2);
  assert.match(broken.stderr, /`false serve-stdin` did not start/);
});

test('tts bench --compare refuses a baseline of another text set before measuring (exit 2) and accepts it with --force', async () => {
  const cache = cacheWithModels();
  const base = crafted('cached', SAMPLES.map((x) => x / 100));
  const refused = await runCli(['bench', '--scenario', 'cached', '-n', '3', '--warmup', '0', '--no-write', '--compare', base], { env: { TTS_CACHE_DIR: cache } });
  assert.is(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /Cannot compare with .*crafted-cached\.json: it was measured differently \(text set/);
  assert.match(refused.stderr, /--force/);
  assert.is(refused.stdout.toString(), '', 'nothing was measured');
  const forced = await runCli(['bench', '--scenario', 'cached', '-n', '4', '--warmup', '0', '--no-write', '--compare', base, '--force', '--fail-if-slower', '10%'], { env: { TTS_CACHE_DIR: cache, COLUMNS: '200' } });
  // Compared (exit 0 or 1 depending on the machine's speed), not refused.
  assert.ok(forced.code === 0 || forced.code === 1, forced.stderr);
  assert.match(forced.stdout.toString(), /scenario\s+verdict\s+median ratio \[95% CI\]/);
  assert.match(forced.stdout.toString(), /cached\s+(pass|FAIL)/);
});

function crafted(scenario: 'warm' | 'stream' | 'cached', samples: number[], extra: Partial<ResultFile['result']> = {}, env: Partial<ResultFile['environment']> = {}): string {
  const result = { ...toResult(scenario, 'crafted', { samples }, { iterations: samples.length, warmup: 0, texts: ['x'] }), ...extra };
  const path = join(tempDir(), `crafted-${scenario}.json`);
  writeFileSync(path, JSON.stringify(newResultFile(result, { ...fingerprint(), ...env }, 'crafted')));
  return path;
}

const SAMPLES = Array.from({ length: 40 }, (_, i) => 100 + i); // P95 = 137.05 (type 7)

test('validate-targets: exit 0 when every target is met, 1 when one is missed, 2 on bad usage', async () => {
  const warm = crafted('warm', SAMPLES, { rtf: 0.2 });
  const pass = await runCli(['validate-targets', '--results', warm, '--p95', '140', '--p50', '120', '--rtf', '0.5']);
  assert.is(pass.code, 0, pass.stderr);
  assert.match(pass.stdout.toString(), /p95\s+warm\s+137\.1 ms\s+\[[\d.]+ ms, [\d.]+ ms\]\s+≤ 140\.0 ms\s+pass/);
  const fail = await runCli(['validate-targets', '--results', warm, '--p95', '130', '--p50', '200']);
  assert.is(fail.code, 1);
  assert.match(fail.stdout.toString(), /p95\s+warm\s+137\.1 ms\s+\[[\d.]+ ms, [\d.]+ ms\]\s+≤ 130\.0 ms\s+FAIL/);
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
  assert.match(low.stdout.toString(), /hitRate\s+cached\s+97\.0 %\s+–\s+≥ 99\.0 %\s+FAIL/);
});

test('validate-targets --compare: the relative gate on result files (exit 1 only when the whole interval is beyond the threshold)', async () => {
  const jitter = (xs: number[], k: number): number[] => xs.map((x, i) => x * (1 + 0.01 * Math.sin(i * k)));
  const base = crafted('warm', SAMPLES);
  const slower = crafted('warm', jitter(SAMPLES.map((x) => x * 1.3), 3));
  const same = crafted('warm', jitter(SAMPLES, 5));
  const fail = await runCli(['validate-targets', '--results', slower, '--compare', base, '--fail-if-slower', '10%'], { env: { COLUMNS: '250' } });
  assert.is(fail.code, 1, fail.stderr);
  assert.match(fail.stdout.toString(), /FAIL: slower by more than 10 % \(median, P95\)/);
  const pass = await runCli(['validate-targets', '--results', same, '--compare', base, '--fail-if-slower', '10%', '--json']);
  assert.is(pass.code, 0, pass.stderr);
  const parsed = JSON.parse(pass.stdout.toString()) as { pass: boolean; comparisons: Array<{ checks: Array<{ verdict: string }> }> };
  assert.ok(parsed.pass);
  assert.equal(parsed.comparisons[0]!.checks.map((c) => c.verdict), ['within threshold', 'within threshold']);
  // A 30 % slowdown is not beyond a 50 % threshold.
  const lenient = await runCli(['validate-targets', '--results', slower, '--compare', base, '--fail-if-slower', '50%']);
  assert.is(lenient.code, 0, lenient.stdout.toString());

  const otherModel = crafted('warm', SAMPLES, {}, { model: { id: 'kokoro-gen', dtype: 'fp32', sha256: 'c'.repeat(64), file: 'm.onnx' } });
  const thisModel = crafted('warm', SAMPLES, {}, { model: { id: 'kokoro-gen', dtype: 'fp32', sha256: 'd'.repeat(64), file: 'm.onnx' } });
  const refused = await runCli(['validate-targets', '--results', thisModel, '--compare', otherModel]);
  assert.is(refused.code, 2);
  assert.match(refused.stderr, /measured differently \(model sha256 cccccccccccc… \(kokoro-gen\) ≠ dddddddddddd…/);
  const forced = await runCli(['validate-targets', '--results', thisModel, '--compare', otherModel, '--force']);
  assert.is(forced.code, 0, forced.stderr);
  const otherScenario = await runCli(['validate-targets', '--results', base, '--compare', crafted('stream', SAMPLES)]);
  assert.is(otherScenario.code, 2);
  assert.match(otherScenario.stderr, /measured the stream scenario, which this run does not/);
  const noBase = await runCli(['validate-targets', '--results', base, '--p95', '200', '--fail-if-slower', '10%']);
  assert.is(noBase.code, 2);
});

test('validate-targets: a latency target missed inside the noise passes as "within noise"; a clear miss fails', async () => {
  // P95 of 100…139 is 137.05 with a bootstrap interval reaching down past 136.
  const warm = crafted('warm', SAMPLES);
  const near = await runCli(['validate-targets', '--results', warm, '--p95', '136.5', '--json']);
  assert.is(near.code, 0, near.stdout.toString());
  const check = (JSON.parse(near.stdout.toString()) as { checks: Array<{ outcome: string; ci: [number, number] }> }).checks[0]!;
  assert.is(check.outcome, 'within noise');
  assert.ok(check.ci[0] <= 136.5);
  const clear = await runCli(['validate-targets', '--results', warm, '--p50', '110']);
  assert.is(clear.code, 1);
  assert.match(clear.stdout.toString(), /p50\s+warm\s+119\.5 ms\s+\[[\d.]+ ms, [\d.]+ ms\]\s+≤ 110\.0 ms\s+FAIL/);
});

test('summaries are reproducible: the same samples and seed give the same intervals', () => {
  const a = summarize(SAMPLES, { seed: 7 });
  const b = summarize(SAMPLES, { seed: 7 });
  assert.equal(a.p95Ci95, b.p95Ci95);
});

test.run();
