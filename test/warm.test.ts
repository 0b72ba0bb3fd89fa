import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildKokoroModel, buildVoicePack } from '../scripts/gen-test-models.js';
import { readWavInfo } from '../src/engine/audio/wav.js';
import { expectedSpeech, runCli, tempDir } from './helpers.js';

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
    const r = await runCli(['warm'], { env });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stderr, /downloaded .*model\.onnx/);
    assert.equal(served.sort(), ['/m/model.onnx', '/v/xx_one.bin']);
    const manifest = JSON.parse(readFileSync(join(cache, 'models', 'loop-kokoro', 'model.json'), 'utf8'));
    assert.equal(manifest.variants, { fp32: 'model.onnx' });

    // A second warm verifies instead of downloading.
    const again = await runCli(['warm'], { env });
    assert.is(again.code, 0, again.stderr);
    assert.match(again.stderr, /verified .*model\.onnx/);
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

test.run();
