// Acceptance: every voice family (the built-in espeak-ng voice, a generated Kokoro model, a
// generated Piper model), for short, medium and long texts, comes out at -16 ± 1 LUFS with true
// peaks at or under -1 dBTP, measured by the project's own meter; the cache keeps the raw audio.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { measureWav } from './audio-helpers.js';
import { cacheWithModels, expectedSpeech, runCli, tempDir } from './helpers.js';

const cache = cacheWithModels({ piper: true });
const env = { TTS_CACHE_DIR: cache, TTS_MODEL: undefined };
const SENTENCES = [
  'The quick brown fox jumps over the lazy dog.',
  'It was a bright cold day in April, and the clocks were striking thirteen.',
  'Call me Ishmael.',
  'Some years ago, never mind how long precisely, I thought I would sail about a little.',
  'Would you like a cup of tea, or perhaps something stronger?',
  'The rain in Spain stays mainly in the plain.',
];
const TEXTS = {
  short: 'Hello world.',
  medium: SENTENCES.slice(0, 3).join(' '),
  long: [...SENTENCES, ...SENTENCES].join(' '),
};
const VOICES = { espeak: 'espeak:en-us', kokoro: 'gen_alpha', piper: 'piper:piper-gen' };

async function say(text: string, args: string[]): Promise<Buffer> {
  const out = join(tempDir(), 'x.wav');
  const r = await runCli(['say', text, '--out', out, ...args], { env });
  assert.is(r.code, 0, r.stderr);
  return readFileSync(out);
}

for (const [family, voice] of Object.entries(VOICES)) {
  test(`${family}: short, medium and long texts come out at -16 ± 1 LUFS and ≤ -1 dBTP`, async () => {
    for (const [size, text] of Object.entries(TEXTS)) {
      const m = measureWav(await say(text, ['--voice', voice]));
      process.stdout.write(`\n    ${family} ${size} (${m.seconds.toFixed(1)} s): ${m.lufs.toFixed(2)} LUFS, ${m.dbtp.toFixed(2)} dBTP`);
      assert.ok(Math.abs(m.lufs + 16) <= 1, `${family} ${size}: ${m.lufs.toFixed(2)} LUFS`);
      assert.ok(m.dbtp <= -1, `${family} ${size}: ${m.dbtp.toFixed(2)} dBTP`);
    }
  });
}

test('--loudness sets another target; --no-normalize keeps the model level', async () => {
  const m = measureWav(await say(TEXTS.medium, ['--voice', VOICES.espeak, '--loudness', '-23']));
  assert.ok(Math.abs(m.lufs + 23) <= 1, `${m.lufs} LUFS`);
  const raw = measureWav(await say(TEXTS.medium, ['--voice', VOICES.espeak, '--no-normalize']));
  assert.ok(raw.lufs < -19, `the built-in voice is quieter than -16 on its own: ${raw.lufs}`);
  const bad = await runCli(['say', 'Hi.', '--loudness', 'loud', '--out', join(tempDir(), 'x.wav')], { env });
  assert.is(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /--loudness "loud" is not a number/);
});

test('the cache keeps the raw model output: a normalized run, then --no-normalize from the cache, gives the raw audio', async () => {
  const text = 'Cached audio stays raw. Normalization comes after the cache.';
  await say(text, []); // fills the cache, normalized on the way out
  const again = await runCli(['say', text, '--out', '-', '--no-normalize'], { env });
  assert.is(again.code, 0, again.stderr);
  const expected = await expectedSpeech(cache, text);
  const got = measureWav(again.stdout);
  assert.is(got.samples.length, expected.pcm.length);
  assert.equal(Array.from(got.samples.subarray(0, 5000), (v) => Math.round(v * 32768)), Array.from(expected.pcm.subarray(0, 5000)));
});

test.run();
