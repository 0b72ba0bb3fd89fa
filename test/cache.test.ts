import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Engine, type AudioChunk, type SynthesisRequest } from '../src/engine/engine.js';
import { cacheWithModels, collect } from './helpers.js';

const speak = (engine: Engine, req: SynthesisRequest): Promise<AudioChunk[]> => collect(engine.synthesize(req));
const pcmOf = (chunks: AudioChunk[]): number[] => chunks.flatMap((c) => Array.from(c.pcm));

function audioEntries(cacheDir: string): string[] {
  const dir = join(cacheDir, 'audio');
  return readdirSync(dir).flatMap((sub) => readdirSync(join(dir, sub)).map((f) => join(dir, sub, f)));
}

test('a repeated request is served from the cache with identical PCM', async () => {
  const cacheDir = cacheWithModels();
  const engine = new Engine({ cacheDir });
  try {
    const text = 'The first sentence is long enough to be a chunk of its own. Second one here.';
    const a = await speak(engine, { text });
    assert.equal(a.map((c) => c.cached), [false, false]);
    const b = await speak(engine, { text });
    assert.equal(b.map((c) => c.cached), [true, true]);
    assert.equal(pcmOf(b), pcmOf(a));
    const s = engine.stats().cache;
    assert.is(s.misses, 2);
    assert.is(s.memoryHits, 2);
    assert.is(s.hitRate, 0.5);
  } finally {
    await engine.close();
  }
  // A new process (fresh memory) hits the disk cache, with the same PCM, without loading a model.
  const events: string[] = [];
  const fresh = new Engine({ cacheDir, onEvent: (e) => events.push(e.type) });
  try {
    const c = await speak(fresh, { text: 'The first sentence is long enough to be a chunk of its own. Second one here.' });
    assert.equal(c.map((x) => x.cached), [true, true]);
    assert.is(fresh.stats().cache.diskHits, 2);
    assert.not.ok(events.includes('backend-loaded'), 'no model was loaded');
    assert.equal(fresh.stats().loadedModels, []);
  } finally {
    await fresh.close();
  }
});

test('a sentence seen before hits inside a new text; voice and speed are part of the key', async () => {
  const engine = new Engine({ cacheDir: cacheWithModels() });
  try {
    // Opening sentences long enough to be the first chunk alone (short ones are merged).
    await speak(engine, { text: 'Alpha bravo, charlie delta echo foxtrot golf hotel india juliet. Charlie delta.' });
    const mixed = await speak(engine, { text: 'Kilo lima, mike november oscar papa quebec romeo sierra tango. Charlie delta.' });
    assert.equal(mixed.map((c) => c.cached), [false, true]);
    assert.equal((await speak(engine, { text: 'Charlie delta.', voice: 'gen_bravo' })).map((c) => c.cached), [false]);
    assert.equal((await speak(engine, { text: 'Charlie delta.', speed: 1.5 })).map((c) => c.cached), [false]);
    assert.equal((await speak(engine, { text: 'Charlie delta.', speed: 1.5 })).map((c) => c.cached), [true]);
  } finally {
    await engine.close();
  }
});

test('a damaged disk entry is detected, re-synthesized and replaced', async () => {
  const cacheDir = cacheWithModels();
  const first = new Engine({ cacheDir });
  const original = await speak(first, { text: 'Hello world.' });
  await first.close();
  const [entry] = audioEntries(cacheDir);
  const raw = readFileSync(entry!);
  raw[raw.length >> 1] ^= 0xff;
  writeFileSync(entry!, raw);

  const second = new Engine({ cacheDir });
  try {
    const again = await speak(second, { text: 'Hello world.' });
    assert.equal(again.map((c) => c.cached), [false]);
    assert.is(second.stats().cache.corrupt, 1);
    assert.equal(pcmOf(again), pcmOf(original));
  } finally {
    await second.close();
  }
  const third = new Engine({ cacheDir });
  try {
    const c = await speak(third, { text: 'Hello world.' });
    assert.equal(c.map((x) => x.cached), [true], 'the entry was rewritten whole');
    assert.equal(pcmOf(c), pcmOf(original));
  } finally {
    await third.close();
  }
});

test('with the cache off nothing is read or written', async () => {
  const cacheDir = cacheWithModels();
  const engine = new Engine({ cacheDir, cache: false });
  try {
    await speak(engine, { text: 'Hello world.' });
    const again = await speak(engine, { text: 'Hello world.' });
    assert.equal(again.map((c) => c.cached), [false]);
    assert.not.ok(readdirSync(cacheDir).includes('audio'));
  } finally {
    await engine.close();
  }
  const perRequest = new Engine({ cacheDir });
  try {
    await speak(perRequest, { text: 'Hello world.', noCache: true });
    assert.is(perRequest.stats().cache.misses, 0, 'no lookups');
    assert.not.ok(readdirSync(cacheDir).includes('audio'));
  } finally {
    await perRequest.close();
  }
});

test.run();
