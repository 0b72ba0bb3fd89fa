// Output formats: each one decodes back (with ffmpeg, an independent decoder) to audio of the
// right duration and sample rate; the format comes from --format or the extension, and a mismatch
// or an unknown extension is a usage error (exit 2) that writes nothing.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { WavEncoder } from '../src/engine/audio/encoders/wav-encoder.js';
import { readWavInfo, wavHeader } from '../src/engine/audio/wav.js';
import { decodeWithFfmpeg, ffmpegPresent } from './audio-helpers.js';
import { cacheWithModels, runCli, tempDir } from './helpers.js';

const cache = cacheWithModels({ piper: true });
const env = { TTS_CACHE_DIR: cache, TTS_MODEL: undefined };
const TEXT = 'Formats decode back to the same audio. The duration and the rate are kept.';

async function say(args: string[]): Promise<{ code: number | null; stderr: string; stdout: Buffer }> {
  return runCli(['say', TEXT, ...args], { env });
}

/** The reference: the WAV for the same text and voice (its samples are what every format encodes). */
async function reference(voice: string, rate?: number): Promise<{ rate: number; samples: number }> {
  const r = await say(['--voice', voice, '--out', '-', ...(rate ? ['--sample-rate', String(rate)] : [])]);
  assert.is(r.code, 0, r.stderr);
  const info = readWavInfo(r.stdout);
  return { rate: info.sampleRate, samples: info.dataBytes / 2 };
}

test('wav, flac, mp3 and opus files decode to the right sample rate and duration (Kokoro 24 kHz, Piper 16 kHz)', async () => {
  if (!ffmpegPresent('formats not decoded back')) return;
  const dir = tempDir();
  for (const voice of ['gen_alpha', 'piper:piper-gen']) {
    const ref = await reference(voice);
    for (const [ext, codec] of [['wav', 'pcm_s16le'], ['flac', 'flac'], ['mp3', 'mp3'], ['opus', 'opus']] as const) {
      const file = join(dir, `${voice.replace(/\W/g, '_')}.${ext}`);
      const r = await say(['--voice', voice, '--out', file]);
      assert.is(r.code, 0, r.stderr);
      const d = decodeWithFfmpeg(file);
      assert.is(d.codec, codec);
      // Opus always decodes at 48 kHz (the rate it codes at); the others keep the model's rate.
      const rate = ext === 'opus' ? 48000 : ref.rate;
      assert.is(d.sampleRate, rate, `${ext} sample rate`);
      const expected = (ref.samples / ref.rate) * rate;
      // Lossless formats are exact; MP3 adds the encoder's delay and padding (< 1 frame + 529 samples).
      const tolerance = ext === 'mp3' ? 1152 + 529 + 576 : ext === 'opus' ? 1 : 0;
      assert.ok(Math.abs(d.samples - expected) <= tolerance, `${voice} ${ext}: ${d.samples} samples, expected ${expected}`);
    }
  }
});

test('--sample-rate resamples (libsamplerate): same duration at the new rate, in every format', async () => {
  if (!ffmpegPresent('resampled formats not decoded back')) return;
  const ref = await reference('gen_alpha');
  const up = await reference('gen_alpha', 48000);
  assert.is(up.rate, 48000);
  // Each chunk is converted on its own: its length rounds to within a sample per chunk.
  assert.ok(Math.abs(up.samples - ref.samples * 2) <= 4, `${up.samples} vs ${ref.samples * 2}`);
  const down = join(tempDir(), 'x.flac');
  const r = await say(['--out', down, '--sample-rate', '16000']);
  assert.is(r.code, 0, r.stderr);
  const d = decodeWithFfmpeg(down);
  assert.is(d.sampleRate, 16000);
  assert.ok(Math.abs(d.samples - (ref.samples * 2) / 3) <= 4, `${d.samples}`);
});

test('--format pcm writes raw s16le: exactly the WAV\'s samples, no header', async () => {
  const wav = await say(['--out', '-']);
  const pcm = await say(['--out', '-', '--format', 'pcm']);
  assert.is(pcm.code, 0, pcm.stderr);
  const info = readWavInfo(wav.stdout);
  assert.ok(pcm.stdout.equals(wav.stdout.subarray(info.dataOffset)), 'raw PCM = the WAV data');
});

test('--out - streams a WAV whose header says "length unknown"; a file gets its real sizes', async () => {
  const piped = await say(['--out', '-']);
  assert.is(piped.stdout.readUInt32LE(4), 0xffffffff);
  assert.is(piped.stdout.readUInt32LE(40), 0xffffffff);
  const file = join(tempDir(), 'x.wav');
  await say(['--out', file]);
  const bytes = readFileSync(file);
  assert.is(bytes.readUInt32LE(40), bytes.length - 44);
  assert.is(bytes.readUInt32LE(4), bytes.length - 8);
  assert.ok(bytes.subarray(44).equals(piped.stdout.subarray(44)), 'same samples');
});

test('an unknown extension, a --format that contradicts the extension, an unknown format: exit 2, nothing written', async () => {
  const dir = tempDir();
  const cases: [string[], RegExp][] = [
    [['--out', join(dir, 'x.mp4')], /Cannot tell the format of .*x\.mp4.*"\.mp4"/],
    [['--out', join(dir, 'x.mp3'), '--format', 'wav'], /--format wav does not match the extension of .*x\.mp3 \(mp3\)/],
    [['--out', join(dir, 'x.wav'), '--format', 'ogg'], /[Ee]xpected --format=ogg to be one of|Unknown format/],
    [['--out', join(dir, 'x.wav'), '--sample-rate', '1000'], /Sample rate "1000" is not supported/],
  ];
  for (const [args, pattern] of cases) {
    const r = await say(args);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
  }
  assert.equal(readdirSync(dir), []);
});

test('a WAV file cannot pass 4 GiB of samples: a clear error instead of a broken header', () => {
  assert.throws(() => wavHeader(24000, 0xffffffff), /do not fit a WAV header/);
  const enc = new WavEncoder(24000, true, 1000);
  enc.write(new Int16Array(400));
  assert.throws(() => enc.write(new Int16Array(400)), (err: Error & { code?: string }) => err.code === 'OUTPUT_TOO_LONG' && /more than a WAV file can hold/.test(err.message));
  // A stream has no sizes to overflow.
  const stream = new WavEncoder(24000, false, 1000);
  stream.write(new Int16Array(400));
  stream.write(new Int16Array(400));
});

test.run();
