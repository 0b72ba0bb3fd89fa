import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildKokoroModel, buildVoicePack } from '../scripts/gen-test-models.js';
import { readWavInfo } from '../src/engine/audio/wav.js';
import { cacheWithModels, expectedSpeech, runCli, runCliTraced, tempDir } from './helpers.js';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

test('tts warm downloads a catalog model from a loopback server, and tts say then uses it', async () => {
  const files: Record<string, Uint8Array> = {
    '/m/model.onnx': buildKokoroModel({ inputName: 'tokens' }),
    '/v/xx_one.bin': buildVoicePack(5),
  };
  const served: string[] = [];
  const server = createServer((req, res) => {
    served.push(req.url ?? '');
    const body = files[req.url ?? ''];
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Length': body.byteLength }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = tempDir();
  const catalog = join(dir, 'catalog.json');
  writeFileSync(
    catalog,
    JSON.stringify({
      version: 1,
      default: 'loop-kokoro',
      models: [
        {
          id: 'loop-kokoro',
          family: 'kokoro',
          description: 'served on loopback',
          sampleRate: 24000,
          defaultVoice: 'xx_one',
          defaultDtype: 'fp32',
          variants: { fp32: { file: 'model.onnx', url: `${base}/m/model.onnx`, size: files['/m/model.onnx']!.byteLength, sha256: sha(files['/m/model.onnx']!) } },
          voices: { url: `${base}/v/{voice}.bin`, size: 522240, sha256: { xx_one: sha(files['/v/xx_one.bin']!), xx_two: 'f'.repeat(64) } },
        },
      ],
    }),
  );
  const cache = join(dir, 'cache');
  const env = { TTS_CACHE_DIR: cache, TTS_CATALOG: catalog, TTS_MODEL: undefined };
  try {
    const r = await runCli(['warm', '--json'], { env });
    assert.is(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout.toString()).downloaded.map((f: string) => f.slice(cache.length)).sort(), ['/models/loop-kokoro/model.onnx', '/models/loop-kokoro/voices/xx_one.bin']);
    assert.equal(served.sort(), ['/m/model.onnx', '/v/xx_one.bin']);
    const manifest = JSON.parse(readFileSync(join(cache, 'models', 'loop-kokoro', 'model.json'), 'utf8'));
    assert.equal(manifest.variants, { fp32: 'model.onnx' });

    // A second warm verifies instead of downloading.
    const again = await runCli(['warm', '--json'], { env });
    assert.is(again.code, 0, again.stderr);
    const report = JSON.parse(again.stdout.toString());
    assert.equal(report.downloaded, []);
    assert.is(report.verified.length, 2);
    assert.is(served.length, 2);

    // The installed model speaks (this export names its ids input "tokens").
    const out = join(dir, 'o.wav');
    const say = await runCli(['say', 'Hello world.', '--out', out], { env });
    assert.is(say.code, 0, say.stderr);
    assert.is(readWavInfo(readFileSync(out)).dataBytes / 2, (await expectedSpeech(cache, 'Hello world.')).pcm.length);

    // A voice the catalog knows but that is not installed: the error says how to get it.
    const missing = await runCli(['say', 'Hi.', '--voice', 'xx_two', '--out', out], { env });
    assert.is(missing.code, 1);
    assert.match(missing.stderr, /tts warm --model loop-kokoro --voice xx_two/);

    // A download whose bytes do not match the catalog is refused and leaves nothing.
    const bad = await runCli(['warm', '--voice', 'xx_two'], { env });
    assert.is(bad.code, 1);
    assert.match(bad.stderr, /not the expected file|HTTP 404/);
    assert.not.ok(existsSync(join(cache, 'models', 'loop-kokoro', 'voices', 'xx_two.bin')));
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('tts warm on an installed model: optimized model measured, one inference, phrases cached', async () => {
  const cache = cacheWithModels();
  const dir = tempDir();
  const phrases = join(dir, 'phrases.txt');
  writeFileSync(phrases, '# my phrases\nBuild finished.\n\nDeploy started. Deploy done.\n');
  const r = await runCli(['warm', '--model', 'kokoro-gen', '--phrases', phrases, '--json'], { env: { TTS_CACHE_DIR: cache } });
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout.toString());
  assert.is(report.model, 'kokoro-gen');
  assert.is(report.provider, 'cpu');
  assert.ok(report.threads >= 1);
  assert.is(typeof report.loadMs, 'number');
  assert.is(typeof report.firstInferenceMs, 'number');
  assert.is(typeof report.optimized.used, 'boolean');
  assert.is(report.phrases, 2);
  assert.is(report.newlyCached, 2); // one chunk per line: short sentences are merged into one chunk
  assert.ok(report.cacheEntries >= 2 && report.cacheBytes > 0);
  const optimized = readdirSync(join(cache, 'optimized'));
  assert.ok(optimized.some((f) => f.endsWith('.onnx')) && optimized.some((f) => f.endsWith('.onnx.json')));

  // The warmed phrase is now a cache hit for say: no model or phonemizer is loaded.
  const say = await runCliTraced(['say', 'Deploy started. Deploy done.', '--model', 'kokoro-gen', '--out', join(dir, 'd.wav')], { env: { TTS_CACHE_DIR: cache } });
  assert.is(say.code, 0, say.stderr);
  assert.equal(say.modules.filter((m) => /onnxruntime|\/phonemizer\//.test(m)), []);

  // The human-readable report names what it measured.
  const text = await runCli(['warm', '--model', 'kokoro-gen', '--no-optimize'], { env: { TTS_CACHE_DIR: cache } });
  assert.is(text.code, 0, text.stderr);
  assert.match(text.stdout.toString(), /provider\s+cpu, \d+ threads/);
  assert.match(text.stdout.toString(), /first inference\s+\d+ ms/);
  assert.match(text.stdout.toString(), /disk cache\s+\d+ entries/);
});

test('tts warm with an unreadable phrase list fails clearly', async () => {
  const r = await runCli(['warm', '--model', 'kokoro-gen', '--phrases', '/nonexistent/phrases.txt'], { env: { TTS_CACHE_DIR: cacheWithModels() } });
  assert.is(r.code, 2);
  assert.match(r.stderr, /Cannot read the phrase list \/nonexistent\/phrases.txt/);
});

test.run();
