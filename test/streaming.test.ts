import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Engine, type EngineEvent } from '../src/engine/engine.js';
import { cacheWithModels, expectedSpeech } from './helpers.js';

// Five sentences, each long enough (over 150 ids) to be a chunk of its own: short ones would be merged.
const LONG = 'goes on and on about the weather and the sea and the long road home through the hills and the valleys and the small towns on the way back to the city';
const FIVE = ['The first sentence', 'The second sentence', 'A third sentence', 'Then a fourth sentence', 'And the fifth sentence'].map((s) => `${s} ${LONG}.`).join(' ');

test('the first chunk is yielded before the last chunk is synthesized', async () => {
  const events: EngineEvent[] = [];
  const engine = new Engine({ cacheDir: cacheWithModels({ work: 2 }), cache: false, onEvent: (e) => events.push(e) });
  try {
    const seen: number[] = [];
    for await (const c of engine.synthesize({ text: FIVE })) {
      seen.push(c.index);
      events.push({ type: 'yield', index: -1 - c.index }); // marks the consumer's receipt
    }
    assert.equal(seen, [0, 1, 2, 3, 4]);
    const at = (pred: (e: EngineEvent) => boolean): number => events.findIndex(pred);
    const firstReceived = at((e) => e.type === 'yield' && e.index === -1);
    const lastDone = at((e) => e.type === 'synth-end' && e.index === 4);
    const lastStarted = at((e) => e.type === 'synth-start' && e.index === 4);
    assert.ok(firstReceived >= 0 && lastDone >= 0);
    assert.ok(firstReceived < lastStarted, 'the consumer had chunk 0 before chunk 4 was even started');
    assert.ok(firstReceived < lastDone);
    // Look-ahead: chunk i+1 starts before the consumer receives chunk i.
    for (let i = 0; i < 4; i++) {
      assert.ok(at((e) => e.type === 'synth-start' && e.index === i + 1) < at((e) => e.type === 'yield' && e.index === -1 - i), `look-ahead at ${i}`);
    }
  } finally {
    await engine.close();
  }
});

test('a long first sentence gives a short first chunk', async () => {
  const engine = new Engine({ cacheDir: cacheWithModels(), cache: false });
  try {
    const text = 'Although this opening sentence goes on for quite a long time, with several clauses and asides, it still ends eventually.';
    const chunks: string[] = [];
    for await (const c of engine.synthesize({ text })) chunks.push(c.text);
    assert.is(chunks[0], 'Although this opening sentence goes on for quite a long time,');
    assert.is(chunks.join(' '), text);
  } finally {
    await engine.close();
  }
});

test('streamed chunks concatenate to exactly the expected speech, pauses included (before loudness normalization)', async () => {
  const cacheDir = cacheWithModels();
  const engine = new Engine({ cacheDir, cache: false });
  try {
    const parts: number[] = [];
    for await (const c of engine.synthesize({ text: FIVE, loudness: null })) for (const v of c.pcm) parts.push(v);
    const expected = await expectedSpeech(cacheDir, FIVE);
    assert.is(expected.chunks.length, 5);
    assert.equal(parts, Array.from(expected.pcm));
  } finally {
    await engine.close();
  }
});

test('a consumer that stops early stops synthesis without errors', async () => {
  const events: EngineEvent[] = [];
  const engine = new Engine({ cacheDir: cacheWithModels(), cache: false, onEvent: (e) => events.push(e) });
  try {
    for await (const c of engine.synthesize({ text: FIVE })) if (c.index === 1) break;
    await new Promise((r) => setTimeout(r, 50));
    assert.not.ok(events.some((e) => e.type === 'synth-start' && e.index >= 3), 'nothing past the look-ahead was started');
  } finally {
    await engine.close();
  }
});

test.run();
