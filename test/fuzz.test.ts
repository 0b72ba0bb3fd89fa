// The serve-stdin fuzz test (issue 16 acceptance): one real server, more than 5 000 generated
// hostile lines — broken JSON, odd and huge texts, unknown fields, wrong types, duplicate ids,
// cancels for unknown and finished ids, control messages, bytes that are not UTF-8, over-long
// lines, and "play" requests whose player fails, exits early or plays (a fake aplay that takes
// turns). The server must stay alive, write only JSON lines, and give every request id exactly one
// terminal event and nothing after it. The generator is seeded: TTS_FUZZ_SEED=<n> replays a run.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mulberry32 } from '../src/bench/stats/prng.js';
import { BIN, cacheWithModels, tempDir } from './helpers.js';
import { fakePlayer } from './fake-player.js';

const SEED = Number(process.env.TTS_FUZZ_SEED ?? 16_2026);
const LINES = 5_200;
const MAX_LINE_BYTES = 16_384;

type Ev = { event: string; id?: string | null; code?: string; line?: number; [k: string]: unknown };

interface Generated {
  lines: Buffer[];
  /** Ids of well-formed speak requests with a fresh id: each must end with exactly one terminal event. */
  mustEnd: Set<string>;
  /** How many lines of each kind were generated. */
  kinds: Map<string, number>;
}

function generate(seed: number, outDir: string): Generated {
  const rand = mulberry32(seed);
  const int = (n: number): number => Math.floor(rand() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];
  const pool = Array.from({ length: 24 }, () => `${pick(words)} ${pick(words)}, ${pick(words)}.`); // repeats: cache hits
  const odd = [
    ']'.repeat(600),
    ')'.repeat(300) + ' and "' + '"'.repeat(300),
    '1234567890'.repeat(30),
    '.'.repeat(600),
    ' '.repeat(500) + 'x' + ' '.repeat(500),
    'Emoji 😀🎉👍🏽 and flags 🇫🇷 in text.',
    'Arabic مرحبا بالعالم and Hebrew שלום עולם.',
    'Combining a\u0301\u0302\u0303 e\u0308\u0308\u0308 marks.',
    'Zero\u200bwidth\u200djoiners\ufeff and bidi \u202e reversed \u202c.',
    'Controls \u0000\u0001\u0007\u001b[31m red \u001b[0m.',
    'Lone surrogate \ud800 here and \udfff there.',
    'A [word](/zzz!!/) with a bad override.',
    'supercalifragilistic'.repeat(40),
    '$1,000,000.99 on 2024-02-29 at 23:59, 3.5 kg, 1st, 22nd, Dr. Smith.',
    '\t\t tabs \t and \r carriage returns \r inside.',
    '<speak><prosody rate="x">SSML is just text</prosody></speak>',
  ];
  const lines: Buffer[] = [];
  const mustEnd = new Set<string>();
  const kinds = new Map<string, number>();
  const used: string[] = [];
  let fresh = 0;
  const newId = (): string => {
    const id = `f${fresh++}`;
    used.push(id);
    return id;
  };
  const json = (kind: string, o: unknown, ends?: string): void => {
    lines.push(Buffer.from(JSON.stringify(o)));
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    if (ends !== undefined) mustEnd.add(ends);
  };
  const raw = (kind: string, b: Buffer | string): void => {
    lines.push(typeof b === 'string' ? Buffer.from(b) : b);
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  };
  const table: [number, () => void][] = [
    [1.5, () => { const id = newId(); json('speak stream', { id, text: pick(pool), output: 'stream' }, id); }],
    [1.2, () => { const id = newId(); json('speak play (fake player)', { id, text: pick(pool), output: 'play' }, id); }],
    [0.3, () => { const id = newId(); json('speak file', { id, text: pick(pool), output: 'file', path: join(outDir, `${id}.wav`) }, id); }],
    [0.3, () => { const id = newId(); json('speak file, bad path', { id, text: pick(pool), output: 'file', path: join(outDir, 'missing', 'dir', `${id}.wav`) }, id); }],
    [0.6, () => { const id = newId(); json('speak odd text', { id, text: pick(odd), ...(rand() < 0.5 ? { output: 'stream' } : {}) }, id); }],
    [0.5, () => raw('plain text line', `${pick(pool)} ${int(1000)}`)],
    [10, () => { const s = JSON.stringify({ id: newId(), text: pick(pool) }); raw('broken JSON (truncated)', s.slice(0, 1 + int(s.length - 2))); }],
    [5, () => raw('broken JSON (garbage)', `{${Array.from({ length: 1 + int(40) }, () => String.fromCharCode(32 + int(95))).join('')}`)],
    [1, () => raw('JSON that is not an object', pick(['[1,2,3]', '"just a string"', '42', 'null', 'true', '[]', '{}']))],
    [8, () => { const id = newId(); json('unknown field', { id, text: pick(pool), [pick(['colour', 'Text', 'ID', 'pitch', '__proto__x'])]: 1 }, id); }],
    [10, () => {
      const id = newId();
      const bad = pick<Record<string, unknown>>([
        { id: 7, text: 'x' }, { id: '', text: 'x' }, { id: 'y'.repeat(201), text: 'x' }, { id, text: 42 }, { id, text: null },
        { id, text: 'x', speed: 'fast' }, { id, text: 'x', speed: 99 }, { id, text: 'x', speed: -1 }, { id, text: 'x', output: 'speakers' },
        { id, text: 'x', output: 'stream', path: '/tmp/x' }, { id, text: 'x', output: 'file' }, { id, text: 'x', voice: 5 }, { id },
      ]);
      json('wrong type or value', bad, bad.id === id ? id : undefined);
    }],
    [4, () => { const id = newId(); json('blank text', { id, text: pick(['', ' ', '\t\n', '\u00a0']) }, id); }],
    [1, () => { const id = newId(); json('unknown voice', { id, text: pick(pool), voice: pick(['zz_nobody', 'piper:nope', 'espeak:zz', 'constructor', '__proto__']) }, id); }],
    [0.15, () => { const id = newId(); json('espeak voice', { id, text: pick(pool), voice: 'espeak:en-us', output: 'stream' }, id); }],
    [8, () => { if (used.length) json('duplicate id', { id: pick(used), text: pick(pool), output: 'stream' }); }],
    [5, () => json('cancel, unknown id', { type: 'cancel', id: `nobody-${int(1e6)}` })],
    [5, () => { if (used.length) json('cancel, real id', { type: 'cancel', id: used[Math.max(0, used.length - 1 - int(8))]! }); }],
    [2, () => json('cancel, malformed', pick<object>([{ type: 'cancel' }, { type: 'cancel', id: 5 }, { type: 'cancel', id: 'x', extra: 1 }]))],
    [2, () => json('stats', rand() < 0.5 ? { type: 'stats' } : { type: 'stats', id: pick(used.length ? used : ['s']) })],
    [2, () => json('unknown type', { type: pick(['speek', 'SHUTDOWN', 'play', 'pause', '']), id: 'z' })],
    [6, () => raw('invalid UTF-8', Buffer.concat([Buffer.from(`{"id":"${newId()}","text":"caf`), Buffer.from(pick([[0xff], [0xc3, 0x28], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]])), Buffer.from('"}')]))],
    [0.05, () => { const id = newId(); json('speak huge text (12 KB)', { id, text: Array.from({ length: 400 }, () => pick(pool)).join(' '), output: 'stream' }, id); }],
    [1, () => raw('over-long line', `{"id":"${newId()}","text":"${'w'.repeat(MAX_LINE_BYTES + int(5000))}"}`)],
    [2, () => raw('blank or CR-only line', pick(['', '   ', '\r', '\t']))],
    [0.3, () => { const id = newId(); raw('CRLF line', `${JSON.stringify({ id, text: pick(pool), output: 'stream' })}\r`); mustEnd.add(id); }],
  ];
  const total = table.reduce((a, [w]) => a + w, 0);
  while (lines.length < LINES) {
    let r = rand() * total;
    for (const [w, make] of table) {
      if ((r -= w) < 0) {
        make();
        break;
      }
    }
  }
  return { lines, mustEnd, kinds };
}

test(`serve-stdin survives ${LINES} generated hostile lines: only JSON out, one terminal event per id, none after it (seed ${SEED})`, async () => {
  const cache = cacheWithModels();
  const outDir = tempDir('tts-fuzz-out-');
  const player = fakePlayer('rotates');
  const { lines, mustEnd, kinds } = generate(SEED, outDir);
  const final = JSON.stringify({ id: 'final', text: 'Still alive at the end.', output: 'stream' });
  const input = [...lines, Buffer.from(JSON.stringify({ type: 'stats', id: 'final-stats' })), Buffer.from(final)];

  const child = spawn(process.execPath, [BIN, 'serve-stdin', '--output', 'stream', '--parallel', '2', '--max-queue', '100000', '--max-line-bytes', String(MAX_LINE_BYTES)], {
    env: { ...process.env, TTS_CACHE_DIR: cache, TTS_PLAYER: player.path },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 170_000); // a hang fails instead of blocking the suite
  const out: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('close', (code, signal) => res({ code, signal })));
  child.stdin.on('error', () => undefined); // reported below as a dead server
  for (const l of input) {
    if (!child.stdin.write(Buffer.concat([l, Buffer.from('\n')]))) await new Promise((r) => child.stdin.once('drain', r));
  }
  child.stdin.end();
  const { code, signal } = await closed;
  clearTimeout(killer);
  const where = `(seed ${SEED}; replay with TTS_FUZZ_SEED=${SEED})`;
  if (signal) {
    const seen = Buffer.concat(out).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Ev);
    const open = new Map<string, Ev>();
    for (const e of seen) if (typeof e.id === 'string') (['done', 'error', 'cancelled'].includes(e.event) ? open.delete(e.id) : e.event === 'accepted' && open.set(e.id, e));
    const first = [...open.keys()][0] ?? '';
    const sent = input.find((l) => l.includes(`"id":"${first}"`))?.toString().slice(0, 300);
    assert.unreachable(`the server hung and was killed ${where}; ${seen.length} events; unfinished: ${[...open.keys()].slice(0, 10).join(', ')} (of ${open.size}); first: ${sent}; its events: ${seen.filter((e) => e.id === first).map((e) => e.event).join(' ')}; last: ${JSON.stringify(seen.at(-1)).slice(0, 300)}\n${stderr.slice(-2000)}`);
  }
  assert.is(code, 0, `the server exited with ${code} ${where}\n${stderr.slice(-2000)}`);
  assert.not.match(stderr, /Unhandled|^\s+at .+:\d+:\d+\)?$/m, `stderr carries a crash ${where}`);

  // stdout: JSON objects, one per line, nothing else.
  const text = Buffer.concat(out).toString('utf8');
  if (process.env.TTS_FUZZ_DUMP) writeFileSync(process.env.TTS_FUZZ_DUMP, text);
  assert.ok(text.endsWith('\n'), 'stdout ends with a complete line');
  const events: Ev[] = text
    .slice(0, -1)
    .split('\n')
    .map((l, i) => {
      let e: unknown;
      try {
        e = JSON.parse(l);
      } catch {
        assert.unreachable(`stdout line ${i + 1} is not JSON ${where}: ${l.slice(0, 200)}`);
      }
      assert.ok(typeof e === 'object' && e !== null && typeof (e as Ev).event === 'string', `stdout line ${i + 1} is not an event ${where}`);
      return e as Ev;
    });
  assert.is(events[0]!.event, 'ready');

  // Per id: exactly one terminal event, nothing after it, and `accepted` before any audio.
  const TERMINAL = new Set(['done', 'error', 'cancelled']);
  const byId = new Map<string, Ev[]>();
  for (const e of events) if (typeof e.id === 'string' && e.event !== 'stats') byId.set(e.id, [...(byId.get(e.id) ?? []), e]);
  for (const [id, evs] of byId) {
    const t = evs.findIndex((e) => TERMINAL.has(e.event));
    assert.ok(t >= 0, `id ${JSON.stringify(id).slice(0, 60)} has no terminal event ${where}: ${evs.map((e) => e.event).join(' ')}`);
    assert.is(t, evs.length - 1, `id ${JSON.stringify(id).slice(0, 60)} has events after its terminal one ${where}: ${evs.map((e) => e.event + (e.code ? `:${e.code}` : '')).join(' ')}`);
    if (evs.some((e) => e.event === 'audio' || e.event === 'done')) assert.is(evs[0]!.event, 'accepted', `id ${id}: ${evs[0]!.event} before accepted`);
  }
  for (const id of [...mustEnd, 'final']) assert.ok(byId.has(id), `request ${id} got no terminal event ${where}`);
  assert.is(byId.get('final')!.at(-1)!.event, 'done', `the server still serves after all of it: ${JSON.stringify(byId.get('final')!.at(-1))}`);
  assert.ok(events.some((e) => e.event === 'stats' && e.id === 'final-stats'));

  // What happened, for the record (shown with --verbose-like output when the suite runs).
  const outcome = new Map<string, number>();
  for (const e of events) if (TERMINAL.has(e.event)) {
    const k = e.event === 'error' ? `error ${e.code}${e.id === null ? ' (id null)' : ''}` : e.event;
    outcome.set(k, (outcome.get(k) ?? 0) + 1);
  }
  const plays = player.calls().length;
  // Some play requests must really have met each kind of player (fail, exit early, play).
  assert.ok(plays >= 3, `${plays} player runs`);
  const failedPlays = events.filter((e) => e.event === 'error' && e.code === 'NO_AUDIO_OUTPUT').length;
  assert.ok(failedPlays >= 1, 'some playback failed');
  if (process.env.TTS_FUZZ_REPORT) {
    process.stdout.write(`\n  fuzz seed ${SEED}: ${input.length} lines, ${events.length} events, ${plays} player runs\n`);
    for (const [k, n] of [...kinds].sort((a, b) => b[1] - a[1])) process.stdout.write(`    line  ${String(n).padStart(5)}  ${k}\n`);
    for (const [k, n] of [...outcome].sort((a, b) => b[1] - a[1])) process.stdout.write(`    event ${String(n).padStart(5)}  ${k}\n`);
  }
});

test.run();
