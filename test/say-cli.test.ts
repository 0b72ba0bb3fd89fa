import { spawnSync } from 'node:child_process';
import { chmodSync, createReadStream, existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bytesToPcm16 } from '../src/engine/audio/pcm.js';
import { readWavInfo } from '../src/engine/audio/wav.js';
import { cacheWithModels, expectedSpeech, offlineCatalog, runCli, tempDir } from './helpers.js';

const SPT = 1800; // samples per token of the generated model
const cache = cacheWithModels();
const env = { TTS_CACHE_DIR: cache, TTS_MODEL: undefined };

// "Hello world." → həlˈO wˈɜɹld. → 13 ids, plus the two pads: the model's output.
const HELLO_RAW = 15 * SPT;
const hello = await expectedSpeech(cache, 'Hello world.');

test('tts say --out writes a 24 kHz mono WAV whose length is what the model produced', async () => {
  const out = join(tempDir(), 'a.wav');
  const r = await runCli(['say', 'Hello world.', '--out', out, '--no-normalize'], { env });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout.length, 0);
  const info = readWavInfo(readFileSync(out));
  assert.is(info.sampleRate, 24000);
  assert.is(info.channels, 1);
  assert.is(info.bitsPerSample, 16);
  // Without loudness normalization the file holds the model's output with its silent edges trimmed
  // (see audio/postprocess.ts).
  assert.is(hello.chunks[0]!.raw.length, HELLO_RAW);
  assert.is(info.dataBytes / 2, hello.pcm.length);
  assert.ok(hello.pcm.length > HELLO_RAW - 2 * SPT && hello.pcm.length < HELLO_RAW, `${hello.pcm.length} samples`);
  assert.equal(Array.from(bytesToPcm16(readFileSync(out).subarray(info.dataOffset))), Array.from(hello.pcm));
});

test('echo text | tts say --out - streams the same samples to stdout', async () => {
  const out = join(tempDir(), 'a.wav');
  const a = await runCli(['say', 'Hello world.', '--out', out], { env });
  assert.is(a.code, 0, a.stderr);
  const b = await runCli(['say', '--out', '-'], { env, input: 'Hello world.\n' });
  assert.is(b.code, 0, b.stderr);
  assert.ok(b.stdout.subarray(44).equals(readFileSync(out).subarray(44)), 'stdout samples differ from the file');
});

test('--speed changes the length; another voice changes the samples', async () => {
  const dir = tempDir();
  const run = async (args: string[]): Promise<Buffer> => {
    const f = join(dir, `${args.join('_')}.wav`);
    const r = await runCli(['say', 'Hello world.', '--out', f, ...args], { env });
    assert.is(r.code, 0, r.stderr);
    return readFileSync(f);
  };
  const base = await run([]);
  const fast = await run(['--speed', '2']);
  const other = await run(['--voice', 'gen_bravo']);
  assert.is((fast.length - 44) / 2, (await expectedSpeech(cache, 'Hello world.', { speed: 2 })).pcm.length);
  assert.ok(fast.length < base.length * 0.6);
  assert.not.ok(other.equals(base));
  assert.is((other.length - 44) / 2, (await expectedSpeech(cache, 'Hello world.', { voice: 'gen_bravo' })).pcm.length);
  assert.ok(Math.abs(other.length - base.length) < 0.01 * base.length, 'same words, about the same length');
});

async function failsWith(args: string[], pattern: RegExp, opts: { env?: Record<string, string | undefined>; input?: string; code?: number } = {}): Promise<string> {
  const r = await runCli(args, { env: { ...env, ...opts.env }, ...(opts.input !== undefined ? { input: opts.input } : {}) });
  assert.is(r.code, opts.code ?? 1, `exit code for ${args.join(' ')}: ${r.stderr}`);
  assert.match(r.stderr, pattern);
  assert.is(r.stdout.length, 0);
  return r.stderr;
}

test('empty text is refused with a usage hint', async () => {
  await failsWith(['say', '   '], /no text to speak[\s\S]*echo Hello \| tts say/, { code: 2 });
  await failsWith(['say', '--out', '-'], /no text to speak/, { input: '', code: 2 });
});

test('an unknown voice is refused and the valid ones are listed', async () => {
  const err = await failsWith(['say', 'Hi.', '--voice', 'zz_nobody', '--out', '-'], /Unknown voice "zz_nobody"/, { code: 2 });
  assert.match(err, /gen_alpha, gen_bravo, gen_charlie/);
});

test('a speed out of range is refused with the valid range', async () => {
  await failsWith(['say', 'Hi.', '--speed', '3', '--out', '-'], /Speed 3 is out of range[\s\S]*0\.5 to 2/, { code: 2 });
  await failsWith(['say', 'Hi.', '--speed', 'fast', '--out', '-'], /Speed "fast" is not a number/, { code: 2 });
});

test('a missing model says how to get it', async () => {
  // Named, so it is downloaded (here from a catalog whose server refuses) or the command fails with the fix.
  await failsWith(['say', 'Hi.', '--model', 'kokoro-v1.0', '--out', '-'], /kokoro-v1.0 is not installed and could not be downloaded[\s\S]*tts warm --model kokoro-v1.0/, { env: { TTS_CATALOG: offlineCatalog() } });
  await failsWith(['say', 'Hi.', '--model', 'nonsense', '--out', '-'], /Unknown model "nonsense"/, { code: 2 });
});

test('a truncated model file is reported by name', async () => {
  const broken = cacheWithModels();
  const file = join(broken, 'models', 'kokoro-gen', 'model.onnx');
  truncateSync(file, 2000);
  const out = join(tempDir(), 'x.wav');
  const err = await failsWith(['say', 'Hi.', '--out', out], /could not be loaded/, { env: { TTS_CACHE_DIR: broken } });
  assert.match(err, file);
  assert.not.ok(existsSync(out));
});

test('an unwritable --out path fails with a clear error and leaves no partial file', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'keep.wav'), 'precious');
  await failsWith(['say', 'Hi.', '--out', join(dir, 'no', 'such', 'dir', 'x.wav')], /folder does not exist/);
  await failsWith(['say', 'Hi.', '--out', dir], /it is a folder/);
  if (process.getuid?.() !== 0) {
    // Permissions do not stop root, so this case only means something for other users.
    chmodSync(dir, 0o500);
    await failsWith(['say', 'Hi.', '--out', join(dir, 'x.wav')], /not writable/);
    chmodSync(dir, 0o700);
  }
  assert.equal(readdirSync(dir), ['keep.wav']);
  assert.is(readFileSync(join(dir, 'keep.wav'), 'utf8'), 'precious');
  // A folder that refuses the write itself (even for root): the failure comes after synthesis.
  if (existsSync('/proc/self')) {
    await failsWith(['say', 'Hi.', '--out', '/proc/tts-test.wav'], /Cannot write \/proc\/tts-test\.wav/);
    assert.not.ok(readdirSync('/proc').some((f) => f.includes('tts-test')));
  }
});

test('--out to a device or a pipe writes into it and never replaces it', async () => {
  if (!existsSync('/dev/null')) return;
  const r = await runCli(['say', 'Hello world.', '--out', '/dev/null'], { env });
  assert.is(r.code, 0, r.stderr);
  assert.ok(statSync('/dev/null').isCharacterDevice(), '/dev/null is still a device');
  const fifo = join(tempDir(), 'pipe');
  if (spawnSync('mkfifo', [fifo]).status !== 0) return;
  const reader = new Promise<Buffer>((res) => {
    const parts: Buffer[] = [];
    createReadStream(fifo).on('data', (d) => parts.push(d as Buffer)).on('end', () => res(Buffer.concat(parts)));
  });
  const w = await runCli(['say', 'Hello world.', '--out', fifo], { env });
  assert.is(w.code, 0, w.stderr);
  const got = await reader;
  assert.is(readWavInfo(got).dataBytes / 2, hello.pcm.length);
  assert.ok(statSync(fifo).isFIFO());
});

test('tts voices lists the installed voices', async () => {
  const r = await runCli(['voices', '--installed', '--json'], { env });
  assert.is(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout.toString()) as { voice: string; model: string; isDefault: boolean; builtIn?: boolean }[];
  assert.equal(rows.filter((x) => !x.builtIn).map((x) => x.voice), ['gen_alpha', 'gen_bravo', 'gen_charlie']);
  assert.ok(rows[0]!.isDefault);
  assert.ok(rows.some((x) => x.voice === 'espeak:en-us' && x.builtIn), 'the built-in voice is listed');
});

test.run();
