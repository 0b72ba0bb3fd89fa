// A fresh machine with no model and no network: `tts say` must still speak, with the built-in
// espeak-ng voice, and say so in one line.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildKokoroModel, buildVoicePack } from '../scripts/gen-test-models.js';
import { bytesToPcm16 } from '../src/engine/audio/pcm.js';
import { readWavInfo } from '../src/engine/audio/wav.js';
import { Engine, type AudioChunk } from '../src/engine/engine.js';
import { offlineCatalog, runCli, runCliTraced, tempDir } from './helpers.js';

function rms(pcm: Int16Array): number {
  let s = 0;
  for (const v of pcm) s += (v / 32768) ** 2;
  return Math.sqrt(s / Math.max(1, pcm.length));
}

/** Share of 20 ms frames that carry sound: speech has pauses, but mostly sound. */
function voicedShare(pcm: Int16Array, rate: number): number {
  const frame = Math.round(rate / 50);
  let voiced = 0;
  let frames = 0;
  for (let i = 0; i + frame <= pcm.length; i += frame, frames++) if (rms(pcm.subarray(i, i + frame)) > 0.01) voiced++;
  return voiced / frames;
}

test('no model, no network: say falls back to espeak-ng with a one-line notice and writes real speech', async () => {
  const cache = tempDir();
  const out = join(tempDir(), 'e.wav');
  const r = await runCli(['say', 'It costs $5.20 on 3/12/2025.', '--out', out], { env: { TTS_CACHE_DIR: cache, TTS_CATALOG: offlineCatalog(), TTS_MODEL: undefined } });
  assert.is(r.code, 0, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.is(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /no voice model is installed and kokoro-v1\.0 could not be downloaded .*built-in espeak-ng voice/);
  const wav = readFileSync(out);
  const info = readWavInfo(wav);
  assert.is(info.sampleRate, 22050);
  assert.is(info.channels, 1);
  // "It costs five dollars and twenty cents on March twelfth, twenty twenty-five." is 13 words:
  // at espeak-ng's 175 words a minute that is about 4.5 s; anything from 2.5 to 9 s is plausible.
  assert.ok(info.durationSeconds > 2.5 && info.durationSeconds < 9, `${info.durationSeconds} s`);
  const pcm = bytesToPcm16(wav.subarray(info.dataOffset));
  assert.ok(rms(pcm) > 0.02, `RMS ${rms(pcm)}: not silent`);
  const share = voicedShare(pcm, info.sampleRate);
  assert.ok(share > 0.5 && share < 0.98, `${(share * 100).toFixed(0)} % of frames voiced: speech with pauses`);
});

test('no model but a reachable server: the first say downloads the default model and speaks with it', async () => {
  const files: Record<string, Uint8Array> = { '/model.onnx': buildKokoroModel(), '/voices/gen_alpha.bin': buildVoicePack(0) };
  const server = createServer((req, res) => {
    const body = files[req.url ?? ''];
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Length': body.byteLength }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
  const catalog = join(tempDir(), 'catalog.json');
  writeFileSync(catalog, JSON.stringify({
    version: 1,
    default: 'first-run',
    models: [{
      id: 'first-run', family: 'kokoro', description: 'loopback', sampleRate: 24000, defaultVoice: 'gen_alpha', defaultDtype: 'fp32',
      variants: { fp32: { file: 'model.onnx', url: `${base}/model.onnx`, size: files['/model.onnx']!.byteLength, sha256: sha(files['/model.onnx']!) } },
      voices: { url: `${base}/voices/{voice}.bin`, size: 522240, sha256: { gen_alpha: sha(files['/voices/gen_alpha.bin']!) } },
    }],
  }));
  try {
    const cache = tempDir();
    const out = join(tempDir(), 'f.wav');
    const r = await runCli(['say', 'Hello world.', '--out', out], { env: { TTS_CACHE_DIR: cache, TTS_CATALOG: catalog, TTS_MODEL: undefined } });
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stderr, '', 'no fallback notice');
    assert.is(readWavInfo(readFileSync(out)).sampleRate, 24000, 'the neural model spoke');
    assert.ok(existsSync(join(cache, 'models', 'first-run', 'model.json')));
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('the fallback reads the normalized text: money and dates become words', async () => {
  const engine = new Engine({ cacheDir: tempDir(), cache: false });
  try {
    const [chunk] = await engine.inspect({ text: 'It costs $5.20 on 3/12/2025.', voice: 'espeak:en-us' });
    assert.is(chunk!.text, 'It costs five dollars and twenty cents on March twelfth, twenty twenty-five.');
    assert.match(chunk!.phonemes, /dˈɑːlɚz/); // espeak-ng's IPA for "dollars"
  } finally {
    await engine.close();
  }
});

test('an explicit espeak voice needs no notice, caches, and a cached repeat does not load espeak-ng', async () => {
  const cache = tempDir();
  const env = { TTS_CACHE_DIR: cache, TTS_CATALOG: offlineCatalog() };
  const dir = tempDir();
  const a = await runCliTraced(['say', 'Offline and cached.', '--voice', 'espeak:en-gb', '--out', join(dir, 'a.wav')], { env });
  assert.is(a.code, 0, a.stderr);
  assert.is(a.stderr, '');
  assert.ok(a.modules.some((m) => m.includes('/espeak-ng/')), 'espeak-ng ran');
  const b = await runCliTraced(['say', 'Offline and cached.', '--voice', 'espeak:en-gb', '--out', join(dir, 'b.wav')], { env });
  assert.is(b.code, 0, b.stderr);
  assert.equal(b.modules.filter((m) => /\/espeak-ng\/|onnxruntime|\/phonemizer\//.test(m)), []);
  assert.ok(readFileSync(join(dir, 'a.wav')).equals(readFileSync(join(dir, 'b.wav'))));
});

test('espeak voices stream chunk by chunk and serve over serve-stdin', async () => {
  const engine = new Engine({ cacheDir: tempDir(), cache: false });
  const chunks: AudioChunk[] = [];
  try {
    for await (const c of engine.synthesize({ text: 'First sentence. Second sentence.', voice: 'espeak:en-us' })) chunks.push(c);
  } finally {
    await engine.close();
  }
  assert.is(chunks.length, 2);
  assert.ok(chunks.every((c) => c.sampleRate === 22050 && rms(c.pcm) > 0.01));
  const r = await runCli(['serve-stdin', '--output', 'stream', '--voice', 'espeak:en-us'], {
    env: { TTS_CACHE_DIR: tempDir(), TTS_CATALOG: offlineCatalog() },
    input: `${JSON.stringify({ id: 'e', text: 'First sentence. Second sentence.' })}\n`,
  });
  assert.is(r.code, 0, r.stderr);
  const events = r.stdout.toString().trim().split('\n').map((l) => JSON.parse(l) as { event: string; pcm?: string });
  const pcm = Buffer.concat(events.filter((e) => e.event === 'audio').map((e) => Buffer.from(e.pcm!, 'base64')));
  assert.ok(pcm.equals(Buffer.concat(chunks.map((c) => Buffer.from(c.pcm.buffer, c.pcm.byteOffset, c.pcm.byteLength)))));
});

test('serve-stdin with no model and no network serves the built-in voice', async () => {
  const r = await runCli(['serve-stdin', '--output', 'stream'], {
    env: { TTS_CACHE_DIR: tempDir(), TTS_CATALOG: offlineCatalog(), TTS_MODEL: undefined },
    input: 'Plain text line.\n',
  });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /built-in espeak-ng voice/);
  const events = r.stdout.toString().trim().split('\n').map((l) => JSON.parse(l) as { event: string; voice?: string });
  assert.is(events[0]!.event, 'ready');
  assert.is(events[0]!.voice, 'espeak:en-us');
  assert.is(events.at(-1)!.event, 'done');
});

test('an unknown espeak language is refused clearly', async () => {
  const r = await runCli(['say', 'Hi.', '--voice', 'espeak:zz-nope', '--out', join(tempDir(), 'x.wav')], { env: { TTS_CACHE_DIR: tempDir() } });
  assert.is(r.code, 2);
  assert.match(r.stderr, /espeak-ng has no voice "zz-nope"/);
});

test.run();
