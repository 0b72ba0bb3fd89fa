// serve-stdin, run as a real process: hostile input, streaming, cancellation, backpressure, EOF.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mulberry32 as prng } from '../src/bench/stats/prng.js';
import { bytesToPcm16 } from '../src/engine/audio/pcm.js';
import { readWavInfo } from '../src/engine/audio/wav.js';
import { FrameReader, type Frame } from '../src/serve/frame-reader.js';
import { BIN, cacheWithModels, runCli, tempDir } from './helpers.js';
import { planChunks } from '../src/engine/text/chunks.js';
import { normalizeText } from '../src/engine/text/normalize.js';

type Ev = { event: string; id?: string | null; code?: string; seq?: number; pcm?: string; [k: string]: unknown };

interface Server {
  child: ChildProcess;
  events: Ev[];
  /** Resolves with the first event matching `pred` (already seen or future). */
  waitFor(pred: (e: Ev) => boolean): Promise<Ev>;
  send(line: string | Buffer): void;
  exit: Promise<number | null>;
}

const started: ChildProcess[] = [];
// A failed assertion must not leave a server running (it would keep the test process alive).
test.after.each(() => {
  for (const c of started.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

function startServer(cache: string, args: string[] = [], opts: { readStdout?: boolean } = {}): Server {
  const child = spawn(process.execPath, [BIN, 'serve-stdin', '--output', 'stream', ...args], {
    env: { ...process.env, TTS_CACHE_DIR: cache },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  started.push(child);
  const events: Ev[] = [];
  const waiters: { pred: (e: Ev) => boolean; res: (e: Ev) => void }[] = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  if (opts.readStdout !== false) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let e: Ev;
      try {
        e = JSON.parse(line) as Ev;
      } catch {
        throw new Error(`stdout carried a line that is not JSON: ${line.slice(0, 200)}`);
      }
      events.push(e);
      for (const w of [...waiters]) if (w.pred(e)) (waiters.splice(waiters.indexOf(w), 1), w.res(e));
    });
  }
  const exit = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  void exit.then((code) => {
    if (code !== 0 && code !== null) process.stderr.write(`serve-stdin stderr:\n${stderr}\n`);
  });
  return {
    child,
    events,
    exit,
    send: (line) => child.stdin!.write(typeof line === 'string' ? `${line}\n` : line),
    waitFor: (pred) => {
      const seen = events.find(pred);
      return seen ? Promise.resolve(seen) : new Promise((res) => waiters.push({ pred, res }));
    },
  };
}

const TERMINAL = new Set(['done', 'error', 'cancelled']);

test('200+ mixed valid and hostile lines: no crash, every id gets exactly one terminal event', async () => {
  const cache = cacheWithModels();
  const out = tempDir();
  const s = startServer(cache, ['--max-line-bytes', '4096']);
  await s.waitFor((e) => e.event === 'ready');
  const rand = prng(42);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
  const sentence = (): string => `${pick(words)} ${pick(words)} ${pick(words)}.`;
  /** id → the error code the line must get, or 'done' */
  const expected = new Map<string, string>();
  const lines: (string | Buffer)[] = [];
  for (let i = 0; i < 240; i++) {
    const id = `r${i}`;
    switch (i % 12) {
      case 0:
      case 1:
        lines.push(JSON.stringify({ id, text: sentence(), output: 'stream' }));
        expected.set(id, 'done');
        break;
      case 2:
        lines.push(JSON.stringify({ id, text: sentence(), output: 'file', path: join(out, `${id}.wav`) }));
        expected.set(id, 'done');
        break;
      case 3:
        lines.push(`{"id":"${id}","text":"unterminated`); // malformed JSON
        expected.set(id, 'BAD_JSON');
        break;
      case 4:
        lines.push(JSON.stringify({ id, text: 42 })); // wrong type
        expected.set(id, 'BAD_REQUEST');
        break;
      case 5:
        lines.push(JSON.stringify({ id, text: 'hello', colour: 'blue' }));
        expected.set(id, 'UNKNOWN_FIELD');
        break;
      case 6:
        lines.push(JSON.stringify({ id, text: '   ' }));
        expected.set(id, 'BAD_REQUEST');
        break;
      case 7:
        lines.push(JSON.stringify({ id, text: 'hello', voice: 'zz_nobody' }));
        expected.set(id, 'UNKNOWN_VOICE');
        break;
      case 8:
        lines.push(JSON.stringify({ id, text: 'x'.repeat(5000) })); // over --max-line-bytes
        break; // the error cannot carry the id: the line was never read whole
      case 9:
        lines.push(Buffer.concat([Buffer.from(`{"id":"${id}","text":"caf`), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}\n')]));
        break; // invalid UTF-8: likewise without an id
      case 10:
        lines.push(JSON.stringify({ id, text: 'hello', speed: 'fast' }));
        expected.set(id, 'BAD_REQUEST');
        break;
      case 11:
        lines.push(pick([JSON.stringify({ type: 'stats' }), JSON.stringify({ type: 'cancel', id: 'nobody' }), '[1,2,3]', JSON.stringify({ id, text: 'hi', speed: 7 })]));
        if ((lines.at(-1) as string).includes('"speed":7')) expected.set(id, 'BAD_SPEED');
        break;
    }
  }
  for (const l of lines) s.send(l);
  s.send(JSON.stringify({ id: 'last', text: 'The server still serves.', output: 'stream' }));
  expected.set('last', 'done');
  s.child.stdin!.end();
  assert.is(await s.exit, 0, 'EOF: queued work finished, exit 0');

  const terminals = new Map<string, Ev[]>();
  for (const e of s.events) {
    if (typeof e.id === 'string' && TERMINAL.has(e.event)) terminals.set(e.id, [...(terminals.get(e.id) ?? []), e]);
  }
  for (const e of s.events.filter((x) => x.event === 'accepted')) assert.is(terminals.get(e.id as string)?.length, 1, `accepted ${e.id}`);
  for (const [id, want] of expected) {
    const got = terminals.get(id) ?? [];
    assert.is(got.length, 1, `${id}: ${got.length} terminal events`);
    assert.is(got[0]!.event === 'done' ? 'done' : got[0]!.code, want, `${id}`);
  }
  assert.ok(s.events.filter((e) => e.code === 'LINE_TOO_LONG').length === 20);
  assert.ok(s.events.filter((e) => e.code === 'BAD_UTF8').length === 20);
  assert.ok(existsSync(join(out, 'r2.wav')) && readWavInfo(readFileSync(join(out, 'r2.wav'))).sampleRate === 24000);
});

test('streamed chunks decode and concatenate to the PCM that tts say --out writes', async () => {
  const cache = cacheWithModels();
  const text = 'Streaming works, and this opening sentence is long enough to be a chunk. Every chunk arrives in order, and nothing is lost.';
  const file = join(tempDir(), 'ref.wav');
  const say = await runCli(['say', text, '--out', file, '--no-cache'], { env: { TTS_CACHE_DIR: cache } });
  assert.is(say.code, 0, say.stderr);
  const wav = readFileSync(file);
  const info = readWavInfo(wav);
  const s = startServer(cache, ['--no-cache']);
  s.send(JSON.stringify({ id: 's1', text }));
  await s.waitFor((e) => e.id === 's1' && TERMINAL.has(e.event));
  s.child.stdin!.end();
  assert.is(await s.exit, 0);
  const audio = s.events.filter((e) => e.event === 'audio' && e.id === 's1');
  assert.equal(audio.map((e) => e.seq), audio.map((_, i) => i));
  const pcm = Buffer.concat(audio.map((e) => Buffer.from(e.pcm as string, 'base64')));
  assert.ok(audio.length >= 2);
  assert.ok(pcm.equals(wav.subarray(info.dataOffset, info.dataOffset + info.dataBytes)), 'streamed PCM differs from the WAV');
  const done = s.events.find((e) => e.event === 'done')!;
  assert.is((done.timings as { queueMs: number }).queueMs >= 0, true);
  assert.equal(bytesToPcm16(pcm).length, info.dataBytes / 2);
});

test('--audio-encoding binary: raw PCM after each audio line, the same bytes as base64', async () => {
  const cache = cacheWithModels();
  // Two chunks: a first clause of at least 40 ids, then the rest (Kokoro's chunk planner).
  const text = 'Binary framing carries raw samples after each line. No base64 on the way, so nothing is inflated by a third, and the client reads the bytes as they are.';
  const run = async (encoding: string): Promise<{ pcm: Buffer; frames: Frame[] }> => {
    const r = await runCli(['serve-stdin', '--output', 'stream', '--audio-encoding', encoding], { env: { TTS_CACHE_DIR: cache }, input: JSON.stringify({ id: 'b', text }) + '\n' });
    assert.is(r.code, 0, r.stderr);
    const frames = new FrameReader().push(r.stdout);
    const audio = frames.filter((f) => f.event.event === 'audio');
    return { frames, pcm: Buffer.concat(audio.map((f) => f.payload ?? Buffer.from(f.event.pcm as string, 'base64'))) };
  };
  const bin = await run('binary');
  const b64 = await run('base64');
  assert.is(bin.frames[0]!.event.audio, 'binary');
  const audio = bin.frames.filter((f) => f.event.event === 'audio');
  assert.ok(audio.length >= 2);
  for (const f of audio) {
    assert.is(f.event.pcm, undefined);
    assert.is(f.payload!.length, f.event.bytes);
    assert.is(f.event.bytes, (f.event.samples as number) * 2);
  }
  assert.ok(bin.pcm.equals(b64.pcm), 'binary and base64 carry the same PCM');
  assert.is(bin.frames.at(-1)!.event.event, 'done');
});

test('"file" requests write the format their extension names; an unknown extension is refused before any synthesis', async () => {
  const cache = cacheWithModels();
  const out = tempDir();
  const s = startServer(cache);
  const ask = (id: string, path: string): void => void s.send(JSON.stringify({ id, text: 'Formats by name.', output: 'file', path }));
  ask('w', join(out, 'a.wav'));
  ask('f', join(out, 'a.flac'));
  ask('m', join(out, 'a.mp3'));
  ask('x', join(out, 'a.xyz'));
  const end = (id: string) => s.waitFor((e) => e.id === id && TERMINAL.has(e.event as string));
  const [w, f, m, x] = await Promise.all(['w', 'f', 'm', 'x'].map(end));
  assert.is(w!.event, 'done');
  assert.is(readFileSync(join(out, 'a.wav')).subarray(0, 4).toString('latin1'), 'RIFF');
  assert.is(f!.event, 'done');
  assert.is(readFileSync(join(out, 'a.flac')).subarray(0, 4).toString('latin1'), 'fLaC');
  assert.is(m!.event, 'done');
  const mp3 = readFileSync(join(out, 'a.mp3'));
  assert.ok(mp3.subarray(0, 3).toString('latin1') === 'ID3' || (mp3[0] === 0xff && (mp3[1]! & 0xe0) === 0xe0), 'an MP3 stream');
  assert.is(x!.event, 'error');
  assert.is(x!.code, 'BAD_REQUEST');
  assert.match(String(x!.message), /\.xyz/);
  assert.not.ok(existsSync(join(out, 'a.xyz')));
  s.send('{"type":"shutdown"}');
  assert.is(await s.exit, 0);
});

test('cancel mid-stream stops further chunks', async () => {
  const cache = cacheWithModels({ work: 4 });
  const s = startServer(cache, ['--no-cache']);
  const text = Array.from({ length: 40 }, (_, i) => `This is sentence number ${i + 1} of a long text.`).join(' ');
  s.send(JSON.stringify({ id: 'long', text }));
  await s.waitFor((e) => e.event === 'audio' && e.id === 'long');
  s.send(JSON.stringify({ type: 'cancel', id: 'long' }));
  const end = await s.waitFor((e) => e.id === 'long' && TERMINAL.has(e.event));
  assert.is(end.event, 'cancelled');
  const before = s.events.filter((e) => e.event === 'audio').length;
  // A new request is served after the cancelled one; no more audio of "long" arrives.
  s.send(JSON.stringify({ id: 'next', text: 'Next one.' }));
  await s.waitFor((e) => e.id === 'next' && e.event === 'done');
  s.child.stdin!.end();
  assert.is(await s.exit, 0);
  const longChunks = s.events.filter((e) => e.event === 'audio' && e.id === 'long').length;
  assert.is(longChunks, before, 'no audio for the cancelled id after its cancelled event');
  assert.ok(longChunks < 10, `${longChunks} of 40 chunks were sent`);
  // Cancelling a queued request answers at once.
  const q = startServer(cache, ['--no-cache']);
  q.send(JSON.stringify({ id: 'a', text }));
  q.send(JSON.stringify({ id: 'b', text: 'Queued behind a.' }));
  q.send(JSON.stringify({ type: 'cancel', id: 'b' }));
  q.send(JSON.stringify({ type: 'cancel', id: 'a' }));
  await q.waitFor((e) => e.id === 'a' && TERMINAL.has(e.event));
  q.child.stdin!.end();
  assert.is(await q.exit, 0);
  assert.equal(q.events.filter((e) => TERMINAL.has(e.event)).map((e) => `${e.id}:${e.event}`).sort(), ['a:cancelled', 'b:cancelled']);
});

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) * 1024;
}

test('a reader that stops reading does not make the server\'s memory grow', async () => {
  if (!existsSync('/proc/self/status')) return;
  const cache = cacheWithModels();
  // 800 identical sentences (about 200 chunks): after the first few, every chunk is a cache hit, so an
  // unbounded server would turn them all into ~150 MB of JSON at once.
  const text = Array.from({ length: 800 }, () => 'The same sentence, over and over again, for quite a while.').join(' ');
  const s = startServer(cache, [], { readStdout: false });
  const lines = createInterface({ input: s.child.stdout! });
  let warm = false;
  let audio = 0;
  let done = false;
  lines.on('line', (l) => {
    let e: Ev;
    try {
      e = JSON.parse(l) as Ev;
    } catch {
      return; // the end of a line cut off when a failed assertion kills the server (after.each): the assertion is the report
    }
    if (e.id === 'warm-up' && e.event === 'done') warm = true;
    if (e.id === 'flood' && e.event === 'audio') audio++;
    if (e.id === 'flood' && e.event === 'done') done = true;
  });
  // The model's first use (loading, its first run) is not what is measured: it happens before the base.
  s.send(JSON.stringify({ id: 'warm-up', text: 'The same sentence, over and over again, for quite a while.' }));
  while (!warm) await new Promise((r) => setTimeout(r, 20));
  const base = rssBytes(s.child.pid!);
  s.child.stdout!.pause();
  s.send(JSON.stringify({ id: 'flood', text }));
  let peak = base;
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 100));
    peak = Math.max(peak, rssBytes(s.child.pid!));
  }
  const seenWhilePaused = audio;
  assert.ok(peak - base < 40 * 1024 * 1024, `memory grew by ${((peak - base) / 1e6).toFixed(1)} MB while the reader paused`);
  s.child.stdout!.resume();
  while (!done) await new Promise((r) => setTimeout(r, 20));
  s.child.stdin!.end();
  assert.is(await s.exit, 0);
  const chunks = planChunks(normalizeText(text), { mode: 'merge' }).length; // short sentences are merged
  assert.ok(chunks > 100);
  assert.is(audio, chunks, 'every chunk still arrives once the reader reads');
  assert.ok(seenWhilePaused < chunks);
});

test('SIGTERM cancels what is running and exits 0', async () => {
  const cache = cacheWithModels({ work: 4 });
  const s = startServer(cache, ['--no-cache']);
  const text = Array.from({ length: 30 }, (_, i) => `Sentence ${i + 1} keeps the server busy.`).join(' ');
  s.send(JSON.stringify({ id: 'busy', text }));
  // Requests share the synthesis slot chunk by chunk, so the second one is long too: it is still
  // running when the signal comes.
  s.send(JSON.stringify({ id: 'waiting', text: `Never finished. ${text}` }));
  await s.waitFor((e) => e.event === 'audio');
  s.child.kill('SIGTERM');
  assert.is(await s.exit, 0);
  assert.equal(s.events.filter((e) => TERMINAL.has(e.event)).map((e) => `${e.id}:${e.event}`).sort(), ['busy:cancelled', 'waiting:cancelled']);
});

test('stats answers with request counts, the rolling latency window and cache figures', async () => {
  const cache = cacheWithModels();
  const s = startServer(cache, ['--monitor-window', '10']);
  for (let i = 0; i < 6; i++) s.send(JSON.stringify({ id: `q${i}`, text: `Request number ${i}.` }));
  // Every request's end (they may finish out of order: each writes its own events).
  await Promise.all(Array.from({ length: 6 }, (_, i) => s.waitFor((e) => e.id === `q${i}` && e.event === 'done')));
  s.send(JSON.stringify({ type: 'stats', id: 'st' }));
  const st = (await s.waitFor((e) => e.event === 'stats')) as Ev & { requests: { done: number }; latency: { count: number; p95: number; trend: string }; cache: { misses: number } };
  s.child.stdin!.end();
  assert.is(await s.exit, 0);
  assert.is(st.id, 'st');
  assert.is(st.requests.done, 6);
  assert.is(st.latency.count, 6);
  assert.ok(st.latency.p95 > 0);
  assert.ok(['rising', 'falling', 'steady'].includes(st.latency.trend));
  assert.is(st.cache.misses, 6);
});

test('--warn-p95 warns on stderr when the rolling P95 passes the threshold', async () => {
  const cache = cacheWithModels({ work: 4 });
  const r = await runCli(['serve-stdin', '--output', 'stream', '--no-cache', '--warn-p95', '1'], {
    env: { TTS_CACHE_DIR: cache },
    input: Array.from({ length: 6 }, (_, i) => JSON.stringify({ id: `w${i}`, text: `Warning test number ${i}.` })).join('\n') + '\n',
  });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning: rolling P95 latency \d+ ms is above the 1 ms threshold/);
  assert.is(r.stderr.match(/is above the/g)?.length, 1, 'one warning when it crosses, not one per request');
});

test.run();
