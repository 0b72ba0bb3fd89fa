// Faults, for real (issue 16 items 1 and 9, issue 11 item 5): players that fail or exit early,
// a server that dies under its client, closed and full outputs, a cache folder that is a file, a
// full disk under `warm`, damaged voice configs and packs, text that is not UTF-8. Each one must
// end in a clear message (never a stack trace) and the right exit code, and never hang.
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { espeakPhonemes } from '../src/engine/espeak-wasm.js';
import { TtsClient, ServerError } from '../src/serve/client.js';
import { BIN, cacheWithModels, runCli, tempDir, type RunResult } from './helpers.js';
import { fakePlayer, LONG_TEXT } from './fake-player.js';

const BOUND = { killAfterMs: 90_000 }; // a hang fails the test instead of blocking the suite

/**
 * A failure reported in words: the exit code (1; bad input may be a usage error, 2, where the CLI
 * maps usage codes), the message, and no stack trace.
 */
function failsClearly(r: RunResult, pattern: RegExp, what: string, codes: number[] = [1]): void {
  assert.is.not(r.code, null, `${what}: the process hung and was killed`);
  assert.ok(codes.includes(r.code!), `${what}: exit code ${r.code} (stderr: ${r.stderr})`);
  assert.match(r.stderr, pattern, what);
  assert.match(r.stderr, /^tts: /m, `${what}: a tts message`);
  assert.not.match(r.stderr, /^\s+at .+(:\d+:\d+\)?|\(native\))$/m, `${what}: a stack trace was printed:\n${r.stderr}`);
  assert.not.match(r.stderr, /Node\.js v\d|Unhandled|node:internal/, `${what}: crashed:\n${r.stderr}`);
}

/** Bad input from the user: 1 here, 2 once the CLI maps usage error codes (issue 12's exit codes). */
const USAGE = [1, 2];

type Ev = { event: string; id?: string | null; code?: string; line?: number; message?: string; [k: string]: unknown };

/** Every stdout line as an event; fails on any line that is not a JSON object. */
function events(stdout: Buffer): Ev[] {
  return stdout
    .toString('utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const e = JSON.parse(l) as Ev;
      assert.type(e.event, 'string', `not an event: ${l.slice(0, 200)}`);
      return e;
    });
}

const TERMINAL = new Set(['done', 'error', 'cancelled']);
const terminalsOf = (evs: Ev[], id: string): Ev[] => evs.filter((e) => e.id === id && TERMINAL.has(e.event));

// ---------------------------------------------------------------- playback (issue 16 item 1)

test('say: a player that fails at once (aplay with no sound card) is a clear error, exit 1, pointing to --out', async () => {
  const cache = cacheWithModels();
  const player = fakePlayer('fails');
  const r = await runCli(['say', LONG_TEXT, '--no-cache'], { env: { TTS_CACHE_DIR: cache, TTS_PLAYER: player.path }, ...BOUND });
  failsClearly(r, /Audio playback failed: aplay exited with code 1: aplay: main:831: audio open error/, 'failing player');
  assert.match(r.stderr, /--out speech\.wav/);
  assert.match(r.stderr, /--device/);
});

test('say: a player that exits 0 before taking all the audio is an error, not a hang', async () => {
  const cache = cacheWithModels();
  const player = fakePlayer('exits-early');
  const r = await runCli(['say', LONG_TEXT, '--no-cache'], { env: { TTS_CACHE_DIR: cache, TTS_PLAYER: player.path }, ...BOUND });
  failsClearly(r, /Audio playback failed: aplay exited before all the audio was played/, 'early-exiting player');
  assert.is(player.calls().length, 1);
});

test('say: a player that neither reads nor exits is stopped as stuck, and the error says so', async () => {
  const cache = cacheWithModels();
  const player = fakePlayer('hangs');
  const env = { TTS_CACHE_DIR: cache, TTS_PLAYER: player.path, TTS_PLAYER_STALL_MS: '1500' };
  const r = await runCli(['say', LONG_TEXT, '--no-cache'], { env, ...BOUND });
  failsClearly(r, /Audio playback failed: aplay stopped taking audio for 1\.5 s; it was stopped/, 'stuck player');
});

test('say: the fully cached fast path reports a failing player once, and does not play again through oclif', async () => {
  const cache = cacheWithModels();
  const text = 'Cached and then played.';
  const first = await runCli(['say', text, '--out', join(tempDir(), 'warm.wav')], { env: { TTS_CACHE_DIR: cache } });
  assert.is(first.code, 0, first.stderr);
  const player = fakePlayer('fails');
  const r = await runCli(['say', text], { env: { TTS_CACHE_DIR: cache, TTS_PLAYER: player.path }, ...BOUND });
  failsClearly(r, /Audio playback failed/, 'fast path');
  assert.is(player.calls().length, 1, `the player was started ${player.calls().length} times`);
});

test('say --device NAME reaches the player (aplay -D NAME); a player that cannot choose one says so', async () => {
  const cache = cacheWithModels();
  const player = fakePlayer('plays');
  const r = await runCli(['say', 'Hello there.', '--no-cache', '--device', 'plughw:7,0'], { env: { TTS_CACHE_DIR: cache, TTS_PLAYER: player.path }, ...BOUND });
  assert.is(r.code, 0, r.stderr);
  assert.equal(player.calls().map((c) => c.split(' ').slice(0, 2)), [['-D', 'plughw:7,0']]);
  const viaEnv = await runCli(['say', 'Hello there.', '--no-cache'], { env: { TTS_CACHE_DIR: cache, TTS_PLAYER: player.path, TTS_DEVICE: 'default:CARD=USB' }, ...BOUND });
  assert.is(viaEnv.code, 0, viaEnv.stderr);
  assert.match(player.calls()[1]!, /^-D default:CARD=USB /);
  // A player without a device option (not aplay/paplay) cannot honour --device.
  const other = join(tempDir(), 'someplayer');
  writeFileSync(other, '#!/bin/sh\ncat > /dev/null\n', { mode: 0o755 });
  const refused = await runCli(['say', 'Hello there.', '--no-cache', '--device', 'hw:1'], { env: { TTS_CACHE_DIR: cache, TTS_PLAYER: other }, ...BOUND });
  failsClearly(refused, /Cannot choose the device "hw:1": .*someplayer cannot choose one/, 'device with a player that cannot choose');
});

test('serve-stdin: failing and early-exiting players end their requests with NO_AUDIO_OUTPUT; the server goes on', async () => {
  const cache = cacheWithModels();
  for (const kind of ['fails', 'exits-early'] as const) {
    const player = fakePlayer(kind);
    const lines = [
      ...[1, 2, 3].map((i) => JSON.stringify({ id: `p${i}`, text: LONG_TEXT, output: 'play' })),
      'Plain text is played too.',
      JSON.stringify({ id: 's', text: 'Still serving.', output: 'stream' }),
    ];
    const r = await runCli(['serve-stdin', '--no-cache', '--output', 'play'], { env: { TTS_CACHE_DIR: cache, TTS_PLAYER: player.path }, input: lines.join('\n') + '\n', ...BOUND });
    assert.is(r.code, 0, `${kind}: ${r.stderr}`);
    const evs = events(r.stdout);
    for (const id of ['p1', 'p2', 'p3']) {
      const t = terminalsOf(evs, id);
      assert.is(t.length, 1, `${kind} ${id}`);
      assert.is(t[0]!.code, 'NO_AUDIO_OUTPUT', `${kind} ${id}`);
      assert.match(t[0]!.message!, kind === 'fails' ? /exited with code 1: aplay: main:831/ : /exited before all the audio was played/);
    }
    assert.is(terminalsOf(evs, 'line-4').length, 1);
    assert.equal(terminalsOf(evs, 's').map((e) => e.event), ['done']);
    assert.not.match(r.stderr, /Unhandled|^\s+at /m);
  }
});

// ---------------------------------------------------------------- protocol: one terminal event per id

test('serve-stdin: errors about other lines never carry a live or finished id; an id gets one terminal event and nothing after', async () => {
  const cache = cacheWithModels({ work: 2 });
  const long = Array.from({ length: 20 }, (_, i) => `Sentence ${i + 1} keeps the request running.`).join(' ');
  const lines = [
    JSON.stringify({ id: 'a', text: long, output: 'stream' }),
    JSON.stringify({ id: 'a', text: 'Same id while a runs.' }), // DUPLICATE_ID, not a's
    '{"id":"a","text":"broken', // BAD_JSON naming a: not a's
    '{"type":"cancel","id":"a"', // a broken cancel naming a: not a's
    JSON.stringify({ type: 'cancel', id: 'nobody' }), // UNKNOWN_ID: null
    JSON.stringify({ id: 'b', text: 'x', colour: 'red' }), // refused: b's one terminal event
    JSON.stringify({ id: 'b', text: 'b again, corrected.' }), // b is used up: DUPLICATE_ID, null
    JSON.stringify({ id: 'c', text: 'Short.', output: 'stream' }),
    JSON.stringify({ type: 'stats', id: 'a' }), // a stats tag, outside the scheme
  ];
  const input = lines.join('\n') + '\n';
  const r = await runCli(['serve-stdin', '--no-cache', '--output', 'stream'], { env: { TTS_CACHE_DIR: cache }, input, ...BOUND });
  assert.is(r.code, 0, r.stderr);
  const evs = events(r.stdout);
  assert.equal(terminalsOf(evs, 'a').map((e) => e.event), ['done']);
  assert.equal(terminalsOf(evs, 'b').map((e) => `${e.event}:${e.code}`), ['error:UNKNOWN_FIELD']);
  assert.equal(terminalsOf(evs, 'c').map((e) => e.event), ['done']);
  const nulls = evs.filter((e) => e.event === 'error' && e.id === null).map((e) => `${e.line}:${e.code}`);
  assert.equal(nulls, ['2:DUPLICATE_ID', '3:BAD_JSON', '4:BAD_JSON', '5:UNKNOWN_ID', '7:DUPLICATE_ID']);
  // Reusing a finished id later is refused too, without touching the finished request: send x,
  // wait for its done, send x again, within one server.
  const child = spawn(process.execPath, [BIN, 'serve-stdin', '--no-cache', '--output', 'stream'], { env: { ...process.env, TTS_CACHE_DIR: cache }, stdio: ['pipe', 'pipe', 'ignore'] });
  const seen: Ev[] = [];
  let buf = '';
  const doneX = new Promise<void>((res) =>
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const e = JSON.parse(buf.slice(0, nl)) as Ev;
        buf = buf.slice(nl + 1);
        seen.push(e);
        if (e.id === 'x' && e.event === 'done') res();
      }
    }),
  );
  child.stdin.write(JSON.stringify({ id: 'x', text: 'First.' }) + '\n');
  await doneX;
  child.stdin.end(JSON.stringify({ id: 'x', text: 'Second.' }) + '\n');
  const code = await new Promise<number | null>((res) => child.on('close', res));
  assert.is(code, 0);
  assert.equal(seen.filter((e) => e.id === 'x').map((e) => e.event), ['accepted', 'audio', 'done']);
  assert.equal(seen.filter((e) => e.event === 'error').map((e) => `${e.id}:${e.line}:${e.code}`), ['null:2:DUPLICATE_ID']);
});

// ---------------------------------------------------------------- the client (issue 16 item 9)

test('TtsClient: when the server dies, pending requests and stats reject instead of hanging; later calls fail at once', async () => {
  const cache = cacheWithModels({ work: 4 });
  const client = await TtsClient.start({ cacheDir: cache, args: ['--no-cache'], stderr: 'ignore' });
  const long = client.speak(Array.from({ length: 30 }, (_, i) => `Sentence ${i + 1} is being spoken.`).join(' '));
  const queued = client.speak('Waiting in the queue.');
  const it = long[Symbol.asyncIterator]();
  await it.next(); // the server is working on it
  (client as unknown as { child: { kill(sig: string): void } }).child.kill('SIGKILL');
  const stats = client.stats(); // sent to a server that can no longer answer
  const failure = async (p: Promise<unknown>): Promise<ServerError> => {
    try {
      await p;
    } catch (err) {
      return err as ServerError;
    }
    throw new Error('resolved');
  };
  const drain = async (): Promise<void> => {
    for (let r = await it.next(); !r.done; r = await it.next());
  };
  for (const err of [await failure(drain()), await failure(long.done), await failure(queued.done), await failure(stats)]) {
    assert.instance(err, ServerError);
    assert.is(err.code, 'SERVER_EXITED');
  }
  const later = client.speak('After the end.');
  assert.is((await failure(later.done)).code, 'SERVER_EXITED');
  assert.is.not(await client.close(), 0);
});

test('TtsClient: reusing a request id fails that request at once (the server would refuse it)', async () => {
  const cache = cacheWithModels();
  const client = await TtsClient.start({ cacheDir: cache, args: ['--no-cache'], stderr: 'ignore' });
  try {
    const first = client.speak('One.', { id: 'same' });
    const second = client.speak('Two.', { id: 'same' });
    const err = await second.done.catch((e: ServerError) => e);
    assert.instance(err, ServerError);
    assert.is((err as ServerError).code, 'DUPLICATE_ID');
    assert.is((await first.done)?.chunks, 1);
  } finally {
    assert.is(await client.close(), 0);
  }
});

// ---------------------------------------------------------------- outputs and disks

test('--out - into a closed pipe (EPIPE) and into /dev/full (ENOSPC): a message, exit 1, no stack trace', async () => {
  const cache = cacheWithModels();
  for (const extra of [['--no-cache'], []]) {
    // EPIPE: the reader has gone before tts writes.
    const child = spawn(process.execPath, [BIN, 'say', 'Hello world. Second sentence.', '--out', '-', ...extra], { env: { ...process.env, TTS_CACHE_DIR: cache }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((res) => child.on('close', res));
    failsClearly({ code, stdout: Buffer.alloc(0), stderr }, /EPIPE|closed the pipe/, `EPIPE ${extra.join(' ')}`);
    if (!existsSync('/dev/full')) continue;
    const full = openSync('/dev/full', 'w');
    const c2 = spawn(process.execPath, [BIN, 'say', 'Hello world.', '--out', '-', ...extra], { env: { ...process.env, TTS_CACHE_DIR: cache }, stdio: ['ignore', full, 'pipe'] });
    closeSync(full);
    let err2 = '';
    c2.stderr!.on('data', (d: Buffer) => (err2 += d.toString()));
    const code2 = await new Promise<number | null>((res) => c2.on('close', res));
    failsClearly({ code: code2, stdout: Buffer.alloc(0), stderr: err2 }, /ENOSPC/, `/dev/full ${extra.join(' ')}`);
  }
});

test('TTS_CACHE_DIR naming a file: say, warm and voices say so, exit 1', async () => {
  const file = join(tempDir(), 'not-a-folder');
  writeFileSync(file, 'x');
  for (const args of [['say', 'Hello.', '--out', join(tempDir(), 'x.wav')], ['warm'], ['serve-stdin']]) {
    const r = await runCli(args, { env: { TTS_CACHE_DIR: file }, ...BOUND });
    failsClearly(r, /The cache folder .*not-a-folder is a file, not a folder/, args[0]!, USAGE);
  }
});

test('warm on a full disk (a 1 MiB tmpfs): a message naming the file, exit 1, no .part left', async () => {
  const mnt = tempDir('tts-tmpfs-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt], { stdio: 'ignore' });
  } catch {
    process.stdout.write('\n  skipped: cannot mount a tmpfs here (needs root)\n');
    return;
  }
  const body = randomBytes(3 * 1024 * 1024);
  const server = createServer((_req, res) => res.writeHead(200, { 'Content-Length': body.byteLength }).end(body));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const sha256 = createHash('sha256').update(body).digest('hex');
    const catalog = join(tempDir(), 'catalog.json');
    writeFileSync(
      catalog,
      JSON.stringify({
        version: 1,
        default: 'big',
        models: [
          {
            id: 'big',
            family: 'kokoro',
            description: 'bigger than the disk',
            sampleRate: 24000,
            defaultVoice: 'xx_one',
            defaultDtype: 'fp32',
            variants: { fp32: { file: 'model.onnx', url: `${base}/model.onnx`, size: body.byteLength, sha256 } },
            voices: { url: `${base}/{voice}.bin`, size: 522240, sha256: { xx_one: 'f'.repeat(64) } },
          },
        ],
      }),
    );
    const cache = join(mnt, 'cache');
    const r = await runCli(['warm'], { env: { TTS_CACHE_DIR: cache, TTS_CATALOG: catalog, TTS_MODEL: undefined }, ...BOUND });
    failsClearly(r, /No space left on the device for .*model\.onnx/, 'full disk');
    const dir = join(cache, 'models', 'big');
    assert.equal(existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.part')) : [], [], 'no .part left filling the disk');
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    execFileSync('umount', [mnt]);
  }
});

// ---------------------------------------------------------------- damaged models and voices

test('malformed Piper configs: each one a MODEL_CORRUPT message naming the file, exit 1', async () => {
  const cache = cacheWithModels({ piper: true });
  const path = join(cache, 'models', 'piper-gen', 'piper-gen.onnx.json');
  const good = JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;
  const damaged: [string, (c: Record<string, any>) => unknown, RegExp][] = [
    ['truncated', () => null, /Cannot read the Piper voice config/],
    ['an array', () => [1, 2], /not a JSON object/],
    ['no audio', (c) => ({ ...c, audio: undefined }), /audio\.sample_rate is undefined/],
    ['negative rate', (c) => ({ ...c, audio: { sample_rate: -1 } }), /audio\.sample_rate is -1/],
    ['rate as text', (c) => ({ ...c, audio: { sample_rate: 'abc' } }), /audio\.sample_rate is "abc"/],
    ['id as text', (c) => ({ ...c, phoneme_id_map: { ...c.phoneme_id_map, '^': 'x' } }), /phoneme_id_map\["\^"\] is "x"/],
    ['id too large', (c) => ({ ...c, phoneme_id_map: { ...c.phoneme_id_map, a: [1e9] } }), /phoneme_id_map\["a"\] is \[1000000000\]/],
    ['espeak voice a number', (c) => ({ ...c, espeak: { voice: 5 } }), /espeak\.voice is 5/],
    ['inference as text', (c) => ({ ...c, inference: { noise_scale: 'loud' } }), /inference\.noise_scale is "loud"/],
    ['unknown espeak voice', (c) => ({ ...c, espeak: { voice: 'zz' } }), /needs the espeak-ng voice "zz"/],
  ];
  for (const [what, damage, pattern] of damaged) {
    const text = what === 'truncated' ? JSON.stringify(good).slice(0, 100) : JSON.stringify(damage(structuredClone(good)));
    writeFileSync(path, text);
    const out = join(tempDir(), 'p.wav');
    const r = await runCli(['say', 'Hello world.', '--voice', 'piper:piper-gen', '--no-cache', '--out', out], { env: { TTS_CACHE_DIR: cache }, ...BOUND });
    failsClearly(r, pattern, what);
    assert.match(r.stderr, /piper-gen/, what);
    assert.not.ok(existsSync(out), `${what}: no output file`);
  }
});

test('an unknown espeak-ng voice is an UNKNOWN_VOICE error, not empty phonemes and a silent exit 1', async () => {
  const before = process.exitCode;
  try {
    await espeakPhonemes('Hello world', 'zz');
    assert.unreachable('should throw');
  } catch (err) {
    assert.is((err as { code?: string }).code, 'UNKNOWN_VOICE');
    assert.match((err as Error).message, /espeak-ng has no voice "zz"/);
  }
  assert.is(process.exitCode, before, 'espeak-ng\'s exit status must not become the process\'s');
  assert.is(await espeakPhonemes('Hallo Welt', 'de'), 'hˈaloː vˈɛlt');
  const r = await runCli(['say', 'Hello.', '--voice', 'espeak:zz', '--phonemes'], { env: { TTS_CACHE_DIR: tempDir() }, ...BOUND });
  failsClearly(r, /espeak-ng has no voice "zz"/, 'espeak:zz --phonemes', USAGE);
  assert.is(r.stdout.length, 0, 'no empty phonemes printed');
});

test('a voice pack holding NaN is VOICE_CORRUPT (exit 1), not silent audio with exit 0', async () => {
  const cache = cacheWithModels();
  const pack = join(cache, 'models', 'kokoro-gen', 'voices', 'gen_alpha.bin');
  const values = new Float32Array(readFileSync(pack).buffer.slice(0));
  values[300 * 256 + 7] = Number.NaN; // one style value, in a row that long inputs use
  writeFileSync(pack, Buffer.from(values.buffer));
  const out = join(tempDir(), 'nan.wav');
  const r = await runCli(['say', 'Hello world.', '--voice', 'gen_alpha', '--out', out], { env: { TTS_CACHE_DIR: cache }, ...BOUND });
  failsClearly(r, /Voice file .*gen_alpha\.bin is damaged: row 300 of its style vectors holds NaN/, 'NaN pack');
  assert.not.ok(existsSync(out));
  values.fill(Number.POSITIVE_INFINITY);
  writeFileSync(pack, Buffer.from(values.buffer));
  const inf = await runCli(['say', 'Hello world.', '--voice', 'gen_alpha', '--out', out, '--no-cache'], { env: { TTS_CACHE_DIR: cache }, ...BOUND });
  failsClearly(inf, /row 0 of its style vectors holds Infinity/, 'infinite pack');
});

test('stdin that is not UTF-8 is refused with the offset of the bad byte, never spoken as "�"', async () => {
  const cache = cacheWithModels();
  const out = join(tempDir(), 'u.wav');
  const input = Buffer.concat([Buffer.from('Hello caf'), Buffer.from([0xe9]), Buffer.from(' world.')]); // latin-1 é
  const r = await runCli(['say', '--out', out], { env: { TTS_CACHE_DIR: cache }, input, ...BOUND });
  failsClearly(r, /not valid UTF-8 \(byte 9: 0xe9\)/, 'latin-1 stdin', USAGE);
  assert.match(r.stderr, /iconv/);
  assert.not.ok(existsSync(out));
  const phon = await runCli(['say', '--phonemes'], { env: { TTS_CACHE_DIR: cache }, input: Buffer.from([0x48, 0x69, 0xff, 0xfe]), ...BOUND });
  failsClearly(phon, /not valid UTF-8 \(byte 2: 0xff\)/, 'bad bytes with --phonemes', USAGE);
  assert.not.match(phon.stdout.toString(), /\uFFFD/);
  const ok = await runCli(['say', '--out', out], { env: { TTS_CACHE_DIR: cache }, input: 'Café, naïve, €5.', ...BOUND });
  assert.is(ok.code, 0, ok.stderr);
});

test.run();
