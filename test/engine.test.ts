import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KokoroBackend } from '../src/engine/backends/kokoro.js';
import { KOKORO_MAX_IDS } from '../src/engine/backends/kokoro-tokenizer.js';
import { Engine } from '../src/engine/engine.js';
import { findInstalledModel } from '../src/engine/models/installed.js';
import { cacheWithModels, collect, expectedSpeech } from './helpers.js';

const SPT = 1800;

const all = collect;

for (const inputName of ['input_ids', 'tokens'] as const) {
  test(`runs a model whose ids input is named "${inputName}"`, async () => {
    const engine = new Engine({ cacheDir: cacheWithModels({ inputName }) });
    try {
      const chunks = await all(engine.synthesize({ text: 'Hello world.', loudness: null }));
      assert.is(chunks.length, 1);
      assert.is(chunks[0]!.sampleRate, 24000);
      const expected = await expectedSpeech(engine.cacheDir, 'Hello world.');
      assert.is(expected.chunks[0]!.raw.length, 15 * SPT); // 13 ids + 2 pads
      assert.equal(Array.from(chunks[0]!.pcm), Array.from(expected.pcm));
    } finally {
      await engine.close();
    }
  });
}

test('the style row reaches the model: voices differ, the same voice repeats exactly', async () => {
  const engine = new Engine({ cacheDir: cacheWithModels() });
  try {
    const a = (await all(engine.synthesize({ text: 'Hello world.', voice: 'gen_alpha' })))[0]!.pcm;
    const b = (await all(engine.synthesize({ text: 'Hello world.', voice: 'gen_bravo' })))[0]!.pcm;
    const a2 = (await all(engine.synthesize({ text: 'Hello world.', voice: 'gen_alpha' })))[0]!.pcm;
    assert.equal(Array.from(a2), Array.from(a));
    assert.not.equal(Array.from(b), Array.from(a));
  } finally {
    await engine.close();
  }
});

test('a long text without punctuation (> 510 ids) is split, and every id is spoken', async () => {
  const cacheDir = cacheWithModels();
  const words = Array.from({ length: 120 }, (_, i) => ['alpha', 'bravo', 'charlie', 'delta', 'echo'][i % 5]);
  const text = words.join(' ');
  const model = findInstalledModel(cacheDir, 'kokoro-gen')!;
  const backend = await KokoroBackend.load(model, 'model.onnx', { session: { threads: 1 } });
  const engine = new Engine({ cacheDir });
  try {
    const whole = await backend.encode(text, 'gen_alpha');
    const idCount = whole.pieces.reduce((n, p) => n + p.length, 0);
    assert.ok(idCount > 600, `${idCount} ids`);
    const chunks = await all(engine.synthesize({ text }));
    assert.ok(chunks.length >= 2);
    assert.is(chunks.map((c) => c.text).join(' '), text);
    // Every id is spoken: the model's output for each chunk is (ids + 2 pads) × samples per token, per piece.
    let ids = 0;
    for (const c of chunks) {
      const enc = await backend.encode(c.text, 'gen_alpha');
      for (const p of enc.pieces) assert.ok(p.length <= KOKORO_MAX_IDS);
      const raw = await backend.synthesize(c.text, 'gen_alpha', 1);
      assert.is(raw.length, enc.pieces.reduce((n, p) => n + (p.length + 2) * SPT, 0), c.text);
      ids += enc.pieces.reduce((n, p) => n + p.length, 0);
    }
    // Cuts fall on spaces, and a space at a cut is not spoken: those are the only ids not counted.
    assert.is(ids + (chunks.length - 1), idCount + (whole.pieces.length - 1));
    // And the engine emits exactly that output, post-processed.
    const expected = await expectedSpeech(cacheDir, text);
    assert.equal(chunks.map((c) => c.pcm.length), expected.chunks.map((c) => c.pcm.length));
  } finally {
    await backend.close();
    await engine.close();
  }
});

test('speed 0.5 doubles and speed 2 halves the number of samples', async () => {
  const engine = new Engine({ cacheDir: cacheWithModels() });
  try {
    const raw = async (speed: number): Promise<number> => (await expectedSpeech(engine.cacheDir, 'Hello world.', { speed })).chunks[0]!.raw.length;
    assert.is(await raw(0.5), 30 * SPT);
    assert.is(await raw(2), 7.5 * SPT);
    const out = async (speed: number): Promise<number> => (await all(engine.synthesize({ text: 'Hello world.', speed })))[0]!.pcm.length;
    assert.is(await out(0.5), (await expectedSpeech(engine.cacheDir, 'Hello world.', { speed: 0.5 })).pcm.length);
  } finally {
    await engine.close();
  }
});

test.run();
