// Long text: --file (and - for stdin), --pause, the progress line, and memory that does not grow
// with the length of the text (peak RSS of a real `tts say` process at 1 000 and 10 000 words).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readWavInfo } from '../src/engine/audio/wav.js';
import { progressLine, withProgress } from '../src/cli/say-progress.js';
import type { AudioChunk } from '../src/engine/engine.js';
import { cacheWithModels, REPO, runCli, tempDir } from './helpers.js';

const cache = cacheWithModels();
const env = { TTS_CACHE_DIR: cache, TTS_MODEL: undefined };
const TEXT = 'The first sentence is here. The second one follows. And a third closes it.';

async function wav(args: string[], input?: string): Promise<Buffer> {
  const r = await runCli(['say', ...args, '--out', '-'], { env, ...(input !== undefined ? { input } : {}) });
  assert.is(r.code, 0, r.stderr);
  return r.stdout;
}

test('--file FILE and --file - speak the same audio as the text argument', async () => {
  const file = join(tempDir(), 'text.txt');
  writeFileSync(file, TEXT);
  const arg = await wav([TEXT]);
  assert.ok((await wav(['--file', file])).equals(arg), '--file FILE');
  assert.ok((await wav(['--file', '-'], TEXT)).equals(arg), '--file -');
  const missing = await runCli(['say', '--file', join(tempDir(), 'nope.txt'), '--out', '-'], { env });
  assert.is(missing.code, 2); // a --file that does not exist is a bad flag value
  assert.match(missing.stderr, /Cannot read .*nope\.txt: it does not exist/);
  const both = await runCli(['say', 'Hi.', '--file', file, '--out', '-'], { env });
  assert.is(both.code, 2);
  assert.match(both.stderr, /Both a text and --file were given/);
});

test('--pause sets the pause after each sentence', async () => {
  const samples = async (args: string[]): Promise<number> => readWavInfo(await wav([TEXT, ...args])).dataBytes / 2;
  const base = await samples([]);
  const long = await samples(['--pause', '700']);
  const none = await samples(['--pause', '0']);
  // One pause after each chunk but the last (Kokoro merges short sentences into chunks): 200 ms each
  // by default; the same number of pauses at every setting.
  const pauses = (base - none) / (0.2 * 24000);
  assert.ok(Number.isInteger(pauses) && pauses >= 1, `pauses: ${pauses}`);
  assert.is(long - base, pauses * 0.5 * 24000);
  const bad = await runCli(['say', TEXT, '--pause', '-5', '--out', '-'], { env });
  assert.is(bad.code, 2);
});

test('the progress line: chunks, seconds of audio and time left, on a terminal only', async () => {
  assert.is(progressLine(3, 12, 7.25, 6), 'tts: chunk 3/12 · 7.3 s of audio · 0:18 left');
  assert.is(progressLine(2, undefined, 1, 1), 'tts: chunk 2 · 1.0 s of audio');
  const chunk = (index: number): AudioChunk => ({ index, total: 2, text: 'x', pcm: new Int16Array(24000), sampleRate: 24000, cached: false, isLast: index === 1 });
  async function* two(): AsyncGenerator<AudioChunk> {
    yield chunk(0);
    yield chunk(1);
  }
  const written: string[] = [];
  const tty = { isTTY: true, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
  const passed: number[] = [];
  for await (const c of withProgress(two(), tty)) passed.push(c.index);
  assert.equal(passed, [0, 1]);
  assert.match(written[0]!, /^\r\x1b\[Ktts: chunk 1\/2 · 1\.0 s of audio · 0:00 left$/);
  assert.match(written[1]!, /chunk 2\/2 · 2\.0 s of audio/);
  assert.is(written.at(-1), '\r\x1b[K'); // the line is cleared at the end
  const pipe = { isTTY: false, write: (s: string) => written.push(`pipe:${s}`) } as unknown as NodeJS.WriteStream;
  for await (const _ of withProgress(two(), pipe)) void _;
  assert.not.ok(written.some((s) => s.startsWith('pipe:')));
});

test('peak memory does not grow with the text: 1 000 and 10 000 words to WAV', async () => {
  // A cheap generated model (few samples per token) keeps the run short; a small set of distinct
  // sentences, repeated, keeps phonemization cheap (the phoneme cache) — the audio still streams
  // through the whole pipeline: about 3 and 30 MB of samples.
  const words = 'the quick brown fox jumps over a lazy dog while seven bright stars shine above quiet rivers and tall green hills'.split(' ');
  const sentences = Array.from({ length: 40 }, (_, i) => Array.from({ length: 8 + (i % 5) }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(' ') + '.');
  const text = (n: number): string => {
    const out: string[] = [];
    let count = 0;
    for (let i = 0; count < n; i++) {
      const s = sentences[i % sentences.length]!;
      out.push(s[0]!.toUpperCase() + s.slice(1));
      count += s.split(' ').length;
    }
    return out.join(' ');
  };
  const rssFor = async (n: number): Promise<{ rss: number; bytes: number }> => {
    const dir = tempDir();
    const input = join(dir, 'text.txt');
    writeFileSync(input, text(n));
    const rssFile = join(dir, 'rss');
    const c = cacheWithModels({ samplesPerToken: 300 });
    const r = await runCli(['say', '--file', input, '--out', join(dir, 'out.wav')], {
      env: { TTS_CACHE_DIR: c, TTS_MODEL: undefined, TTS_RSS_FILE: rssFile },
      nodeArgs: ['--import', join(REPO, 'test', 'fixtures', 'max-rss.mjs')],
    });
    assert.is(r.code, 0, r.stderr);
    return { rss: Number(readFileSync(rssFile, 'utf8')), bytes: readFileSync(join(dir, 'out.wav')).length };
  };
  const small = await rssFor(1000);
  const large = await rssFor(10000);
  const mb = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MB`;
  process.stdout.write(`\n    peak RSS: 1 000 words ${mb(small.rss)} (${mb(small.bytes)} of WAV), 10 000 words ${mb(large.rss)} (${mb(large.bytes)} of WAV)`);
  assert.ok(large.bytes > small.bytes * 8, 'ten times the words, about ten times the audio');
  // Holding the audio would add about three times the WAV's size (samples, joined copy, file bytes).
  assert.ok(large.rss - small.rss < 25 * 2 ** 20, `RSS grew by ${mb(large.rss - small.rss)}`);
});

test.run();
