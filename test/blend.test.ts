import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { blendId, mixPacks, parseBlend } from '../src/engine/backends/kokoro-blend.js';
import { loadVoicePack, PACK_ROWS, STYLE_DIM } from '../src/engine/backends/kokoro-voices.js';
import { Engine } from '../src/engine/engine.js';
import { findInstalledModel, voicesDirOf } from '../src/engine/models/installed.js';
import { readWavInfo } from '../src/engine/audio/wav.js';
import { cacheWithModels, collect, reference, runCli, tempDir } from './helpers.js';

test('a blend is NAME:WEIGHT,…; weights are normalized; a name alone weighs 1', () => {
  assert.equal(parseBlend('af_heart:0.7,af_bella:0.3'), [{ name: 'af_heart', weight: 0.7 }, { name: 'af_bella', weight: 0.3 }]);
  assert.equal(parseBlend('af_heart:7, af_bella:3'), [{ name: 'af_heart', weight: 0.7 }, { name: 'af_bella', weight: 0.3 }]);
  assert.equal(parseBlend('af_heart,af_bella'), [{ name: 'af_heart', weight: 0.5 }, { name: 'af_bella', weight: 0.5 }]);
  // One canonical spelling: order and scale of the weights do not change the mix.
  assert.is(blendId(parseBlend('af_bella:3,af_heart:7')), blendId(parseBlend('af_heart:0.7,af_bella:0.3')));
  assert.is(blendId(parseBlend('af_heart:0.7,af_bella:0.3')), 'af_bella:0.3,af_heart:0.7');
  for (const bad of ['af_heart:0.7,', 'af_heart:x,af_bella', 'af_heart:-1,af_bella:2', 'af_heart:0,af_bella:0', 'af_heart,af_heart', 'af_heart:1:2,af_bella', 'a b,af_bella']) {
    assert.throws(() => parseBlend(bad), (e: Error & { code?: string }) => e.code === 'BAD_VOICE', bad);
  }
});

test('style packs are mixed row by row: the real af_heart.bin with a second pack', async () => {
  const ref = reference('voice blending with af_heart.bin');
  if (!ref) return;
  const heart = await loadVoicePack(join(ref, 'kokoro', 'voices', 'af_heart.bin'));
  const cache = cacheWithModels();
  const model = findInstalledModel(cache, 'kokoro-gen')!;
  const other = await loadVoicePack(join(voicesDirOf(model), 'gen_bravo.bin'));
  const mixed = mixPacks([heart, other], [0.7, 0.3]);
  assert.is(mixed.length, PACK_ROWS * STYLE_DIM);
  for (const row of [0, 1, 57, 509]) {
    for (const d of [0, 100, 255]) {
      const i = row * STYLE_DIM + d;
      assert.ok(Math.abs(mixed[i]! - (0.7 * heart[i]! + 0.3 * other[i]!)) < 1e-6, `row ${row} dim ${d}`);
    }
  }
});

test('the engine speaks a blend exactly as a voice whose pack is the mix; the blend is in the cache key', async () => {
  const ref = reference('blended synthesis with af_heart.bin');
  if (!ref) return;
  const cache = cacheWithModels();
  const model = findInstalledModel(cache, 'kokoro-gen')!;
  const voices = voicesDirOf(model);
  copyFileSync(join(ref, 'kokoro', 'voices', 'af_heart.bin'), join(voices, 'af_heart.bin'));
  const mix = mixPacks([await loadVoicePack(join(voices, 'af_heart.bin')), await loadVoicePack(join(voices, 'gen_bravo.bin'))], [0.7, 0.3]);
  writeFileSync(join(voices, 'af_mixref.bin'), new Uint8Array(mix.buffer));
  const engine = new Engine({ cacheDir: cache, diskCache: false });
  try {
    const text = 'A blended voice speaks this sentence.';
    const pcm = async (voice: string): Promise<{ pcm: number[]; cached: boolean[] }> => {
      const chunks = await collect(engine.synthesize({ text, voice }));
      return { pcm: chunks.flatMap((c) => Array.from(c.pcm)), cached: chunks.map((c) => c.cached) };
    };
    const blend = await pcm('af_heart:0.7,gen_bravo:0.3');
    assert.equal(blend.cached, [false]);
    assert.equal(blend.pcm, (await pcm('af_mixref')).pcm);
    assert.not.equal(blend.pcm, (await pcm('af_heart')).pcm);
    // The same mix, written another way, is a cache hit; another mix is not.
    assert.equal((await pcm('gen_bravo:3,af_heart:7')).cached, [true]);
    assert.equal((await pcm('af_heart:0.6,gen_bravo:0.4')).cached, [false]);
    assert.equal(engine.resolve({ voice: 'kokoro:af_heart:0.7,gen_bravo:0.3' }).voiceId, 'af_heart:0.7,gen_bravo:0.3');
  } finally {
    await engine.close();
  }
});

test('say, serve-stdin and bench take a blend; bad blends are usage errors (exit 2) with the syntax', async () => {
  const cache = cacheWithModels();
  const env = { TTS_CACHE_DIR: cache };
  const out = join(tempDir(), 'b.wav');
  const say = await runCli(['say', 'Blended hello.', '--voice', 'gen_alpha:0.5,gen_bravo:0.5', '--out', out], { env });
  assert.is(say.code, 0, say.stderr);
  assert.ok(readWavInfo(readFileSync(out)).durationSeconds > 0);
  for (const bad of ['gen_alpha:0.5,', 'gen_alpha:abc,gen_bravo', 'gen_alpha,gen_alpha']) {
    const r = await runCli(['say', 'Hello.', '--voice', bad, '--out', join(tempDir(), 'x.wav')], { env });
    assert.is(r.code, 2, `${bad}: ${r.stderr}`);
    assert.match(r.stderr, /not a voice blend/);
    assert.match(r.stderr, /NAME:WEIGHT/);
  }
  const unknown = await runCli(['say', 'Hello.', '--voice', 'gen_alpha:0.5,af_nobody:0.5', '--out', join(tempDir(), 'x.wav')], { env });
  assert.is(unknown.code, 2); // an unknown voice is a usage error
  assert.match(unknown.stderr, /Unknown voice "af_nobody"/);
  const serve = await runCli(['serve-stdin', '--output', 'stream'], { env, input: `${JSON.stringify({ id: 'b', text: 'Blend me.', voice: 'gen_alpha:0.3,gen_charlie:0.7' })}\n` });
  assert.is(serve.code, 0, serve.stderr);
  const events = serve.stdout.toString().trim().split('\n').map((l) => JSON.parse(l) as { event: string });
  assert.ok(events.some((e) => e.event === 'audio'));
  assert.is(events.at(-1)!.event, 'done');
  const dir = tempDir();
  const bench = await runCli(['bench', '--voice', 'gen_alpha:0.3,gen_charlie:0.7', '--scenario', 'warm', '-n', '3', '--warmup', '0', '--out-dir', dir], { env });
  assert.is(bench.code, 0, bench.stderr);
  assert.ok(readdirSync(dir).some((f) => f.endsWith('.json')));
});

test.run();
