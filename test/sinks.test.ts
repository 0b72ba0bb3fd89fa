// Output sinks for real: `--out -` streams as chunks are made (a real process on a real pipe), and
// `--out FILE` never leaves a temp file behind or writes through a planted symlink — not on
// Ctrl-C, not after a kill — and a cancelled serve-stdin "file" request leaves the old file alone.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readWavInfo } from '../src/engine/audio/wav.js';
import { BIN, cacheWithModels, REPO, runCli, tempDir } from './helpers.js';

const cache = cacheWithModels();
const env: Record<string, string | undefined> = { ...process.env, TTS_CACHE_DIR: cache };
delete env.TTS_MODEL;
const SENTENCES = Array.from({ length: 20 }, (_, i) => `This is sentence number ${i + 1} of the stream.`);

/** Resolves when `pred` holds (checked every 20 ms), or rejects after `ms`. */
async function until(pred: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('--out - delivers the first chunk before the last one exists: live stdin, real pipe', async () => {
  const p = spawn(process.execPath, [BIN, 'say', '--out', '-', '--no-cache'], { env, cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let stderr = '';
  p.stdout.on('data', (d: Buffer) => out.push(d));
  p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((res) => p.on('close', res));
  p.stdin.write(`${SENTENCES[0]}\n`);
  // The first sentence's audio arrives while stdin is still open and the last sentence unwritten.
  await until(() => Buffer.concat(out).length > 44 + 1000, 60_000, `the first chunk on stdout (stderr: ${stderr})`);
  const firstBytes = Buffer.concat(out).length;
  assert.is(Buffer.concat(out).toString('ascii', 0, 4), 'RIFF');
  p.stdin.end(SENTENCES.slice(1).join(' ') + '\n');
  assert.is(await exited, 0, stderr);
  const all = Buffer.concat(out);
  assert.ok(all.length > firstBytes * 5, `the rest followed: ${firstBytes} then ${all.length} bytes`);
  assert.is(readWavInfo(all).sampleRate, 24000);
});

test('--out FILE: an existing file is replaced only when the new one is complete; a symlink at the name is replaced, not written through', async () => {
  const dir = tempDir();
  const victim = join(tempDir(), 'victim.txt');
  writeFileSync(victim, 'do not touch');
  symlinkSync(victim, join(dir, 'x.wav'));
  const r = await runCli(['say', 'Hello there.', '--out', join(dir, 'x.wav')], { env });
  assert.is(r.code, 0, r.stderr);
  assert.is(readFileSync(victim, 'utf8'), 'do not touch');
  assert.is(readFileSync(join(dir, 'x.wav')).toString('ascii', 0, 4), 'RIFF');
  assert.equal(readdirSync(dir), ['x.wav']);
});

test('a stale temp file of a dead process (even a planted symlink) is swept at start; a live one is left', async () => {
  const dir = tempDir();
  const victim = join(tempDir(), 'victim.txt');
  writeFileSync(victim, 'do not touch');
  const dead = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => dead.on('close', r));
  const stale = `.x.wav.${dead.pid}-0123456789abcdef.tts-tmp`;
  const planted = `.y.wav.${dead.pid}-fedcba9876543210.tts-tmp`;
  const live = `.z.wav.${process.pid}-00112233445566ff.tts-tmp`;
  writeFileSync(join(dir, stale), 'partial audio');
  symlinkSync(victim, join(dir, planted));
  writeFileSync(join(dir, live), 'another process is writing this');
  const r = await runCli(['say', 'Hello there.', '--out', join(dir, 'x.wav')], { env });
  assert.is(r.code, 0, r.stderr);
  assert.equal(readdirSync(dir).sort(), [live, 'x.wav'].sort());
  assert.is(readFileSync(victim, 'utf8'), 'do not touch');
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} during --out leaves no temp file and keeps the old file`, async () => {
    const slow = cacheWithModels({ work: 6 });
    const dir = tempDir();
    writeFileSync(join(dir, 'book.wav'), 'the old book');
    const text = Array.from({ length: 60 }, (_, i) => `Sentence ${i + 1} takes a while to make.`).join(' ');
    const p = spawn(process.execPath, [BIN, 'say', text, '--out', join(dir, 'book.wav'), '--no-cache'], { env: { ...env, TTS_CACHE_DIR: slow }, cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; sig: NodeJS.Signals | null }>((res) => p.on('close', (code, sig) => res({ code, sig })));
    // Wait until audio is being written into the temp file, then interrupt.
    await until(() => readdirSync(dir).some((f) => f.endsWith('.tts-tmp') && readFileSync(join(dir, f)).length > 44), 120_000, `a temp file with audio (stderr: ${stderr})`);
    p.kill(signal);
    const { code, sig } = await exited;
    assert.ok(sig === signal || code !== 0, `the process stopped (${code}, ${sig})`);
    assert.equal(readdirSync(dir), ['book.wav']);
    assert.is(readFileSync(join(dir, 'book.wav'), 'utf8'), 'the old book');
  });
}

test('serve-stdin: cancelling a "file" request keeps the existing file and leaves no temp', async () => {
  const slow = cacheWithModels({ work: 6 });
  const dir = tempDir();
  const path = join(dir, 'keep.wav');
  writeFileSync(path, 'precious');
  const p = spawn(process.execPath, [BIN, 'serve-stdin', '--no-cache'], { env: { ...env, TTS_CACHE_DIR: slow }, cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise((res) => p.on('close', res));
  const text = Array.from({ length: 40 }, (_, i) => `Sentence ${i + 1} of a long request.`).join(' ');
  p.stdin.write(JSON.stringify({ id: 'f', text, output: 'file', path }) + '\n');
  await until(() => readdirSync(dir).some((f) => f.endsWith('.tts-tmp')), 120_000, 'the temp file');
  p.stdin.write(JSON.stringify({ type: 'cancel', id: 'f' }) + '\n');
  await until(() => /"event":"(cancelled|done|error)","id":"f"/.test(stdout), 120_000, 'the terminal event');
  p.stdin.end();
  await exited;
  assert.match(stdout, /"event":"cancelled","id":"f"/);
  assert.is(readFileSync(path, 'utf8'), 'precious');
  assert.equal(readdirSync(dir), ['keep.wav']);
  assert.not.ok(existsSync(join(dir, 'keep.wav.tmp')));
});

test.run();
