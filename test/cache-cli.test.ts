import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DiskCache } from '../src/engine/cache/disk.js';
import { cacheWithModels, runCli, runCliTraced, tempDir } from './helpers.js';

const heavy = (mods: string[]): string[] => mods.filter((m) => /onnxruntime|\/phonemizer\//.test(m));

test('a fully cached tts say loads neither onnxruntime nor the phonemizer, and says the same', async () => {
  const cache = cacheWithModels();
  const env = { TTS_CACHE_DIR: cache };
  const dir = tempDir();
  const first = await runCliTraced(['say', 'Cached words. Twice over.', '--out', join(dir, 'a.wav')], { env });
  assert.is(first.code, 0, first.stderr);
  assert.ok(heavy(first.modules).length > 0, 'the first run did load them');
  const second = await runCliTraced(['say', 'Cached words. Twice over.', '--out', join(dir, 'b.wav')], { env });
  assert.is(second.code, 0, second.stderr);
  assert.equal(heavy(second.modules), []);
  assert.ok(readFileSync(join(dir, 'b.wav')).equals(readFileSync(join(dir, 'a.wav'))));
  // --no-cache goes back to the model.
  const third = await runCliTraced(['say', 'Cached words. Twice over.', '--no-cache', '--out', join(dir, 'c.wav')], { env });
  assert.is(third.code, 0, third.stderr);
  assert.ok(heavy(third.modules).length > 0);
  assert.ok(readFileSync(join(dir, 'c.wav')).equals(readFileSync(join(dir, 'a.wav'))));
});

test('a fully cached say takes the fast path: the oclif bundle is not even loaded', async () => {
  const cache = cacheWithModels();
  const env = { TTS_CACHE_DIR: cache };
  const dir = tempDir();
  const miss = await runCliTraced(['say', 'Fast path please.', '--out', join(dir, 'a.wav')], { env });
  assert.is(miss.code, 0, miss.stderr);
  assert.ok(miss.modules.some((m) => m.endsWith('/dist/tts.mjs')), 'a miss goes through oclif');
  const hit = await runCliTraced(['say', 'Fast path please.', '--out', join(dir, 'b.wav')], { env });
  assert.is(hit.code, 0, hit.stderr);
  assert.not.ok(hit.modules.some((m) => m.endsWith('/dist/tts.mjs')), 'a hit does not load oclif');
  assert.ok(hit.modules.some((m) => m.endsWith('/dist/fast-say.cjs')), 'the tracing sees the CommonJS fast path');
  assert.ok(readFileSync(join(dir, 'b.wav')).equals(readFileSync(join(dir, 'a.wav'))));
  // Same through stdin, and to stdout.
  const piped = await runCliTraced(['say', '--out', '-'], { env, input: 'Fast path please.\n' });
  assert.is(piped.code, 0, piped.stderr);
  // The same samples; a WAV streamed to stdout carries "length unknown" in its header.
  assert.ok(piped.stdout.subarray(44).equals(readFileSync(join(dir, 'a.wav')).subarray(44)));
  assert.not.ok(piped.modules.some((m) => m.endsWith('/dist/tts.mjs')));
  // Anything the fast path does not handle goes to oclif, with the same result.
  const help = await runCliTraced(['say', '--help'], { env });
  assert.match(help.stdout.toString(), /USAGE/);
  const bad = await runCliTraced(['say', 'Fast path please.', '--out', join(dir, 'no', 'x.wav')], { env });
  assert.is(bad.code, 1);
  assert.match(bad.stderr, /folder does not exist/);
});

test('a say kept whole is one cache read: the engine is not loaded; chunks alone go through the engine, which keeps the whole for next time', async () => {
  const cache = cacheWithModels();
  const env = { TTS_CACHE_DIR: cache };
  const dir = tempDir();
  const text = 'Whole requests. Are kept whole.';
  const first = await runCliTraced(['say', text, '--out', join(dir, 'a.wav')], { env });
  assert.is(first.code, 0, first.stderr);
  const entries = (): string[] => readdirSync(join(cache, 'audio')).flatMap((s) => readdirSync(join(cache, 'audio', s)).filter((f) => !f.startsWith('.')));
  const all = entries();
  assert.ok(all.length >= 2, `chunk entries and the whole request: ${all.join(' ')}`);
  const engineBundle = (mods: string[]): boolean => mods.some((m) => m.endsWith('/dist/fast-say-engine.mjs') || m.endsWith('/src/engine/engine.js'));
  const whole = await runCliTraced(['say', text, '--out', join(dir, 'b.wav')], { env });
  assert.is(whole.code, 0, whole.stderr);
  assert.not.ok(engineBundle(whole.modules), 'a whole-request hit does not load the engine');
  assert.ok(readFileSync(join(dir, 'b.wav')).equals(readFileSync(join(dir, 'a.wav'))));
  // Another request that shares the chunks (another loudness) is served from them by the engine, without oclif.
  const other = await runCliTraced(['say', text, '--loudness=-23', '--out', join(dir, 'c.wav')], { env });
  assert.is(other.code, 0, other.stderr);
  assert.ok(engineBundle(other.modules), 'chunk hits go through the engine');
  assert.not.ok(other.modules.some((m) => m.endsWith('/dist/tts.mjs')), 'still without oclif');
  assert.is(entries().length, all.length + 1, 'and the new whole request is kept');
  const again = await runCliTraced(['say', text, '--loudness=-23', '--out', join(dir, 'd.wav')], { env });
  assert.not.ok(engineBundle(again.modules));
  assert.ok(readFileSync(join(dir, 'd.wav')).equals(readFileSync(join(dir, 'c.wav'))));
  assert.not.ok(readFileSync(join(dir, 'c.wav')).equals(readFileSync(join(dir, 'a.wav'))), 'the loudness is part of the whole request');
});

test('the fast path knows exactly the flags of tts say', async () => {
  const { SAY_FLAGS } = await import('../src/cli/fast-say.js');
  const { default: Say } = await import('../src/commands/say.js');
  const fast = Object.entries(SAY_FLAGS).map(([k, v]) => `${k}:${'short' in v ? v.short : ''}`).sort();
  const oclif = Object.entries({ ...Say.baseFlags, ...Say.flags })
    .filter(([k]) => k !== 'phonemes') // --phonemes always takes the full path
    .map(([k, v]) => `${k}:${(v as { char?: string }).char ?? ''}`)
    .sort();
  assert.equal(fast, oclif);
});

test('two processes filling the cache at once leave no damaged entry and no temp file', async () => {
  const cache = cacheWithModels();
  const env = { TTS_CACHE_DIR: cache };
  // Sentences long enough (over 150 ids) to be chunks of their own, so both processes write the same 12 entries.
  const long = 'goes on about the weather and the sea and the long road home through the hills and the valleys and the small towns on the way back to the city';
  const sentences = Array.from({ length: 12 }, (_, i) => `Sentence number ${['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'][i]} ${long}.`);
  const a = sentences.join(' ');
  const b = [...sentences].reverse().join(' ');
  const dir = tempDir();
  const [ra, rb] = await Promise.all([
    runCli(['say', a, '--out', join(dir, 'a.wav')], { env }),
    runCli(['say', b, '--out', join(dir, 'b.wav')], { env }),
  ]);
  assert.is(ra.code, 0, ra.stderr);
  assert.is(rb.code, 0, rb.stderr);
  const disk = new DiskCache(join(cache, 'audio'), 1e9);
  const v = await disk.verify();
  assert.is(v.entries, 12);
  assert.is(v.corrupt, 0);
  const leftovers = readdirSync(join(cache, 'audio')).flatMap((s) => readdirSync(join(cache, 'audio', s))).filter((f) => f.endsWith('.tmp'));
  assert.equal(leftovers, []);
  // And a third run is served entirely from what they wrote.
  const c = await runCliTraced(['say', a, '--out', join(dir, 'c.wav')], { env });
  assert.is(c.code, 0, c.stderr);
  assert.equal(heavy(c.modules), []);
  assert.ok(readFileSync(join(dir, 'c.wav')).equals(readFileSync(join(dir, 'a.wav'))));
});

test('--no-cache writes no cache files', async () => {
  const cache = cacheWithModels();
  const r = await runCli(['say', 'Hello.', '--no-cache', '--out', join(tempDir(), 'x.wav')], { env: { TTS_CACHE_DIR: cache } });
  assert.is(r.code, 0, r.stderr);
  assert.not.ok(existsSync(join(cache, 'audio')));
  assert.not.ok(existsSync(join(cache, 'phonemes')));
});

test.run();
