// `tts serve`, run as a real process on 127.0.0.1: OpenAI-style requests stream the same audio as
// `tts say --out`; limits and bad requests get clear 4xx; a full queue gets 429; a client that
// disconnects stops its synthesis; /metrics is valid Prometheus text; the alert rules check.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readWavInfo } from '../src/engine/audio/wav.js';
import { cacheWithModels, REPO, runCli, tempDir } from './helpers.js';
import { http, killServers, speech, startHttpServer } from './http-helpers.js';

test.after.each(killServers);

const long = (n: number): string => Array.from({ length: n }, (_, i) => `This is sentence number ${i + 1} of a long text.`).join(' ');

/** promtool, or undefined after saying why the check is skipped (never in CI, where it is installed). */
function promtool(what: string): string | undefined {
  if (spawnSync('promtool', ['--version']).status === 0) return 'promtool';
  if (process.env.CI) throw new Error('promtool is missing (Debian package prometheus); .ci/run installs it');
  process.stdout.write(`\n  skipped: promtool not installed (apt-get install prometheus); ${what}\n`);
  return undefined;
}

test('an OpenAI-style request streams WAV and PCM equal to tts say --out', async () => {
  const cache = cacheWithModels();
  const text = 'Streaming over HTTP. Every chunk arrives in order, and nothing is lost.';
  const file = join(tempDir(), 'ref.wav');
  const say = await runCli(['say', text, '--out', file, '--voice', 'gen_bravo', '--speed', '1.1'], { env: { TTS_CACHE_DIR: cache } });
  assert.is(say.code, 0, say.stderr);
  const ref = readFileSync(file);
  const refInfo = readWavInfo(ref);
  const refPcm = ref.subarray(refInfo.dataOffset, refInfo.dataOffset + refInfo.dataBytes);
  const s = await startHttpServer(cache, ['--no-cache']);
  const wav = await speech(s.url, { model: 'tts-1', input: text, voice: 'gen_bravo', response_format: 'wav', speed: 1.1 });
  assert.is(wav.status, 200, wav.body.toString());
  assert.is(wav.headers['content-type'], 'audio/wav');
  assert.is(wav.headers['transfer-encoding'], 'chunked');
  const info = readWavInfo(wav.body);
  assert.equal([info.sampleRate, info.channels, info.bitsPerSample], [refInfo.sampleRate, refInfo.channels, refInfo.bitsPerSample]);
  assert.ok(wav.body.subarray(info.dataOffset).equals(refPcm), 'streamed WAV samples differ from tts say --out');
  const pcm = await speech(s.url, { model: 'tts-1', input: text, voice: 'gen_bravo', response_format: 'pcm', speed: 1.1 });
  assert.is(pcm.status, 200);
  assert.is(pcm.headers['content-type'], 'audio/pcm');
  assert.ok(pcm.body.equals(refPcm), 'streamed PCM differs from tts say --out');
  // A cached phrase is the same audio, marked as a hit.
  const c = await startHttpServer(cache, []);
  await speech(c.url, { input: text, voice: 'gen_bravo', response_format: 'pcm', speed: 1.1 });
  const hit = await speech(c.url, { input: text, voice: 'gen_bravo', response_format: 'pcm', speed: 1.1 });
  assert.is(hit.headers['x-cache'], 'hit');
  assert.ok(hit.body.equals(refPcm));
});

test('bad requests and limits get a clear 4xx in OpenAI\'s error shape', async () => {
  const s = await startHttpServer(cacheWithModels(), ['--max-input-chars', '50', '--max-body-bytes', '300']);
  const cases: [string, Promise<{ status: number; body: Buffer; headers: Record<string, unknown> }>, number, RegExp][] = [
    ['not JSON', http(`${s.url}/v1/audio/speech`, { body: '{"input": "x"' }), 400, /not valid JSON/],
    ['no input', speech(s.url, { voice: 'gen_alpha' }), 400, /"input" is missing/],
    ['too long', speech(s.url, { input: 'word '.repeat(20) }), 400, /over this server's limit of 50/],
    ['body too large', speech(s.url, { input: 'x', voice: 'y'.repeat(400) }), 413, /over this server's limit of 300 bytes/],
    ['unknown voice', speech(s.url, { input: 'Hello.', voice: 'alloy' }), 400, /alloy/],
    ['speed out of range', speech(s.url, { input: 'Hello.', speed: 4 }), 400, /out of range/],
    ['format not available', speech(s.url, { input: 'Hello.', response_format: 'aac' }), 400, /not available in this build.*mp3, opus, flac, wav, pcm/],
    ['unknown field', speech(s.url, { input: 'Hello.', colour: 'blue' }), 400, /Unknown field "colour"/],
    ['wrong content type', http(`${s.url}/v1/audio/speech`, { body: '{"input":"Hello."}', headers: { 'Content-Type': 'text/plain' } }), 415, /application\/json/],
    ['wrong method', http(`${s.url}/v1/audio/speech`), 405, /Use POST/],
    ['unknown route', http(`${s.url}/v2/nothing`), 404, /No route/],
  ];
  for (const [name, p, status, re] of cases) {
    const r = await p;
    assert.is(r.status, status, `${name}: ${r.body.toString()}`);
    const e = JSON.parse(r.body.toString()) as { error: { message: string; type: string; code: string } };
    assert.match(e.error.message, re, name);
    assert.is(e.error.type, 'invalid_request_error', name);
  }
  const ok = await speech(s.url, { input: 'Within limits.', response_format: 'pcm' });
  assert.is(ok.status, 200, 'the server still serves');
  const voices = JSON.parse((await http(`${s.url}/v1/audio/voices`)).body.toString()) as { voices: string[] };
  assert.ok(voices.voices.includes('gen_alpha'));
  assert.is((await http(`${s.url}/healthz`)).status, 200);
  assert.is((await http(`${s.url}/readyz`)).status, 200);
});

test('a full queue answers 429 with Retry-After; cache hits are still served', async () => {
  const cache = cacheWithModels({ work: 4 });
  const s = await startHttpServer(cache, ['--max-queue', '1']);
  await speech(s.url, { input: 'Already cached.', response_format: 'pcm' });
  let stop!: () => void;
  const holding = http(`${s.url}/v1/audio/speech`, { body: JSON.stringify({ input: long(40), response_format: 'pcm' }), onFirstData: (destroy) => (stop = destroy) });
  while (!stop) await new Promise((r) => setTimeout(r, 10)); // admitted: its audio has started
  const refused = await speech(s.url, { input: 'A new phrase that needs the model.', response_format: 'pcm' });
  assert.is(refused.status, 429, refused.body.toString());
  assert.ok(Number(refused.headers['retry-after']) >= 1, `Retry-After: ${refused.headers['retry-after']}`);
  const e = JSON.parse(refused.body.toString()) as { error: { code: string; type: string } };
  assert.is(e.error.code, 'QUEUE_FULL');
  assert.is(e.error.type, 'rate_limit_error');
  const hit = await speech(s.url, { input: 'Already cached.', response_format: 'pcm' });
  assert.is(hit.status, 200);
  assert.is(hit.headers['x-cache'], 'hit');
  stop();
  await holding;
  const metrics = (await http(`${s.url}/metrics`)).body.toString();
  assert.match(metrics, /tts_errors_total\{code="QUEUE_FULL"\} 1/);
});

const metric = (text: string, name: string): number => {
  const m = new RegExp(`^${name.replace(/[{}"]/g, (c) => `\\${c}`)} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
};

test('a client that disconnects mid-stream stops its synthesis', async () => {
  const cache = cacheWithModels({ work: 4 });
  const s = await startHttpServer(cache, ['--no-cache']);
  const r = await http(`${s.url}/v1/audio/speech`, { body: JSON.stringify({ input: long(40), response_format: 'pcm' }), onFirstData: (destroy) => destroy() });
  assert.ok(r.truncated || r.body.length > 0);
  let text = '';
  for (let i = 0; i < 100; i++) {
    text = (await http(`${s.url}/metrics`)).body.toString();
    if (metric(text, 'tts_errors_total{code="CANCELLED"}') === 1 && metric(text, 'tts_queue_depth') === 0 && metric(text, 'tts_synthesis_busy') === 0) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  assert.is(metric(text, 'tts_errors_total{code="CANCELLED"}'), 1, 'the disconnect was seen');
  assert.is(metric(text, 'tts_queue_depth'), 0, 'nothing left queued');
  const chunks = metric(text, 'tts_chunks_synthesized_total');
  await new Promise((res) => setTimeout(res, 300));
  assert.is(metric((await http(`${s.url}/metrics`)).body.toString(), 'tts_chunks_synthesized_total'), chunks, 'synthesis stopped');
  assert.ok(chunks < 10, `${chunks} of 40 chunks were synthesized`);
});

test('/metrics is Prometheus text with the latency, first-audio, queue, cache, load and error series', async () => {
  const s = await startHttpServer(cacheWithModels(), []);
  await speech(s.url, { input: 'Count me.', response_format: 'pcm' });
  await speech(s.url, { input: 'Count me.', response_format: 'pcm' });
  await speech(s.url, { input: 'Count me.', voice: 'nobody' });
  const r = await http(`${s.url}/metrics`);
  assert.match(String(r.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  const text = r.body.toString();
  for (const series of [
    'tts_request_duration_seconds_count{scenario="miss",voice="gen_alpha"} 1',
    'tts_request_duration_seconds_count{scenario="hit",voice="gen_alpha"} 1',
    'tts_time_to_first_audio_seconds_count{scenario="hit",voice="gen_alpha"} 1',
    'tts_requests_total{scenario="hit",status="ok"} 1',
    'tts_errors_total{code="UNKNOWN_VOICE"} 1',
    'tts_queue_depth 0',
    'tts_cache_hit_ratio 0.5',
  ]) assert.ok(text.includes(series), `missing: ${series}`);
  assert.ok(metric(text, 'tts_model_load_seconds{model="kokoro-gen"}') > 0);
  // Every sample line is `name{labels} value`; every metric has HELP and TYPE.
  for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) assert.match(line, /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? -?[0-9.e+-]+|NaN|\+Inf$/, line);
  const tool = promtool('/metrics is checked by the parser above only');
  if (tool) {
    const check = spawnSync(tool, ['check', 'metrics'], { input: text });
    // promtool parses, then lints names; the one lint it raises is prom-client's own default gauges
    // nodejs_active_{handles,requests,resources}_total (a known naming quirk of that library).
    const problems = (check.stderr.toString() + check.stdout.toString()).split('\n').filter((l) => l.trim() && !/^tts_nodejs_active_\w+_total non-counter metrics/.test(l));
    assert.equal(problems, [], 'promtool check metrics');
    assert.ok(check.status === 0 || check.status === 3, `promtool exit ${check.status}`);
  }
});

test('the example alerting rules pass promtool check rules', () => {
  const tool = promtool('deploy/prometheus/alerts.yml is not checked');
  if (!tool) return;
  const r = spawnSync(tool, ['check', 'rules', join(REPO, 'deploy', 'prometheus', 'alerts.yml')]);
  assert.is(r.status, 0, r.stderr.toString() + r.stdout.toString());
  assert.match(r.stdout.toString(), /SUCCESS: \d+ rules found/);
});

test.run();
