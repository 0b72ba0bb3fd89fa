// onnxruntime session settings as flags (--threads, --spinning, --execution-mode, --mem-arena) on
// every command that runs a model, with $TTS_* variables and config-file keys for their defaults:
// they reach the session onnxruntime creates (in the servers' synthesis thread too), bench and warm
// record them, bad values are usage errors, and `tts config` shows where each comes from.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sessionTuning } from '../src/engine/session.js';
import { tuningEnv, type SessionTuning } from '../src/engine/session-tuning.js';
import { BIN, cacheWithModels, offlineCatalog, runCli, tempDir } from './helpers.js';
import { killServers, startHttpServer } from './http-helpers.js';

const cache = cacheWithModels();
const clean = { TTS_THREADS: undefined, TTS_SPINNING: undefined, TTS_EXECUTION_MODE: undefined, TTS_MEM_ARENA: undefined, TTS_CONFIG: undefined, TTS_DEBUG: undefined };
const env = { ...clean, TTS_CACHE_DIR: cache, TTS_CATALOG: offlineCatalog(), TTS_MODEL: undefined, TTS_VOICE: undefined, XDG_CONFIG_HOME: tempDir() };
const debug = { ...env, TTS_DEBUG: '1' };

/** The settings as flags, and the line onnxruntime's session reports with TTS_DEBUG for them. */
const FLAGS = ['--threads', '1', '--spinning', '--execution-mode', 'parallel', '--no-mem-arena'];
const SESSION_LINE = /onnxruntime session for \S+\.onnx: provider cpu, intra-op threads 1, spinning on, execution mode parallel, memory arena off,/;
const DEFAULT_LINE = /onnxruntime session for \S+\.onnx: provider cpu, intra-op threads \d+, spinning off, execution mode sequential, memory arena on,/;
const CHOSEN: SessionTuning = { threads: 1, spinning: true, executionMode: 'parallel', memArena: false };

test.after.each(() => killServers());

test('say: the session flags reach onnxruntime; without them the measured defaults; flags beat variables', async () => {
  const out = join(tempDir(), 'a.wav');
  const r = await runCli(['say', 'Hello there.', '--out', out, '--no-cache', ...FLAGS], { env: debug });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, SESSION_LINE);
  const plain = await runCli(['say', 'Hello there.', '--out', out, '--no-cache'], { env: debug });
  assert.is(plain.code, 0, plain.stderr);
  assert.match(plain.stderr, DEFAULT_LINE);
  // The variables set the same defaults…
  const vars = { TTS_THREADS: '1', TTS_SPINNING: '1', TTS_EXECUTION_MODE: 'parallel', TTS_MEM_ARENA: '0' };
  const fromEnv = await runCli(['say', 'Hello there.', '--out', out, '--no-cache'], { env: { ...debug, ...vars } });
  assert.is(fromEnv.code, 0, fromEnv.stderr);
  assert.match(fromEnv.stderr, SESSION_LINE);
  // …and a flag beats its variable.
  const beaten = await runCli(['say', 'Hello there.', '--out', out, '--no-cache', '--no-spinning', '--mem-arena', '--execution-mode', 'sequential', '--threads', '2'], { env: { ...debug, ...vars } });
  assert.is(beaten.code, 0, beaten.stderr);
  assert.match(beaten.stderr, /intra-op threads 2, spinning off, execution mode sequential, memory arena on,/);
});

test('serve-stdin: the settings reach the session of its synthesis thread (and onnxruntime starts that many threads)', async () => {
  const run = (threads: string): Promise<{ stderr: string; tasks?: number }> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'serve-stdin', '--output', 'stream', '--no-cache', ...FLAGS.slice(2), '--threads', threads], {
        env: Object.fromEntries(Object.entries({ ...process.env, ...debug }).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      let tasks: number | undefined;
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (tasks === undefined && /"event":"ready"/.test(out)) {
          // The model is loaded (not --lazy): onnxruntime's intra-op pool exists by now.
          tasks = existsSync(`/proc/${child.pid}/task`) ? readdirSync(`/proc/${child.pid}/task`).length : -1;
          child.stdin.end('{"id":"1","text":"Hello there."}\n');
        }
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        if (code !== 0) reject(new Error(`serve-stdin exited with ${code}:\n${err}`));
        else resolve({ stderr: err, ...(tasks !== undefined && tasks >= 0 ? { tasks } : {}) });
      });
    });
  const one = await run('1');
  assert.match(one.stderr, SESSION_LINE);
  const three = await run('3');
  assert.match(three.stderr, /intra-op threads 3, spinning on, execution mode parallel, memory arena off,/);
  if (one.tasks === undefined || three.tasks === undefined) console.log('  (no /proc: thread count not checked)');
  else assert.is(three.tasks - one.tasks, 2, `threads of the process: ${one.tasks} with --threads 1, ${three.tasks} with --threads 3`);
});

test('serve (HTTP): the settings reach the session it preloads', async () => {
  const server = await startHttpServer(cache, FLAGS, Object.fromEntries(Object.entries(debug).filter(([, v]) => v !== undefined)) as Record<string, string>);
  assert.match(server.stderr(), SESSION_LINE);
});

test('warm reports the settings it loaded the model with; bench --json records them', async () => {
  const phrases = join(tempDir(), 'phrases.txt');
  writeFileSync(phrases, 'Ready.\n');
  const w = await runCli(['warm', '--model', 'kokoro-gen', '--phrases', phrases, '--no-optimize', '--json', ...FLAGS], { env: debug });
  assert.is(w.code, 0, w.stderr);
  assert.match(w.stderr, SESSION_LINE);
  assert.equal((JSON.parse(w.stdout.toString()) as { session: SessionTuning }).session, CHOSEN);
  const text = await runCli(['warm', '--model', 'kokoro-gen', '--phrases', phrases, '--no-optimize', ...FLAGS], { env });
  assert.is(text.code, 0, text.stderr);
  assert.match(text.stdout.toString(), /provider +cpu, 1 thread, spinning, parallel, no memory arena, optimization/);

  const b = await runCli(['bench', '--scenario', 'warm', '-n', '3', '--warmup', '0', '--size', 'short', '--no-write', '--json', ...FLAGS], { env: debug });
  assert.is(b.code, 0, b.stderr);
  assert.match(b.stderr, SESSION_LINE);
  const out = JSON.parse(b.stdout.toString()) as { environment: { threads: number; session: SessionTuning } };
  assert.equal(out.environment.session, CHOSEN);
  assert.is(out.environment.threads, 1);
});

test('bench hands the settings to the tts processes it starts, as variables they read back unchanged', () => {
  const saved = { ...process.env };
  try {
    for (const t of [CHOSEN, { threads: 3, spinning: false, executionMode: 'sequential', memArena: true } as SessionTuning]) {
      Object.assign(process.env, tuningEnv(t));
      assert.equal(sessionTuning(), t);
    }
  } finally {
    for (const k of Object.keys(tuningEnv(CHOSEN))) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
});

test('bad session settings are usage errors: exit 2, one line naming the value and its source, one line of fix', async () => {
  const config = join(tempDir(), 'config.json');
  writeFileSync(config, '{"threads": "many"}');
  const cases: [string, string[], Record<string, string>, RegExp][] = [
    ['--threads 0 on say', ['say', 'hi', '--threads', '0'], {}, /--threads is "0", not a number of threads/],
    ['--threads x on serve-stdin', ['serve-stdin', '--threads', 'x'], {}, /--threads is "x"/],
    ['--threads 1.5 on serve', ['serve', '--threads', '1.5'], {}, /--threads is "1\.5"/],
    ['--threads -1 on bench', ['bench', '--no-write', '--threads', '-1'], {}, /--threads is "-1"/],
    ['--threads two on warm', ['warm', '--threads', 'two'], {}, /--threads is "two"/],
    ['--execution-mode on say', ['say', 'hi', '--execution-mode', 'fast'], {}, /--execution-mode=fast .*sequential, parallel/],
    ['--execution-mode on bench', ['bench', '--no-write', '--execution-mode', 'fast'], {}, /--execution-mode=fast/],
    ['$TTS_SPINNING', ['say', 'hi'], { TTS_SPINNING: 'maybe' }, /\$TTS_SPINNING is "maybe", neither on nor off/],
    ['$TTS_MEM_ARENA', ['serve-stdin'], { TTS_MEM_ARENA: '2' }, /\$TTS_MEM_ARENA is "2"/],
    ['$TTS_EXECUTION_MODE', ['warm'], { TTS_EXECUTION_MODE: 'fast' }, /\$TTS_EXECUTION_MODE is "fast", not an execution mode/],
    ['$TTS_THREADS', ['bench', '--no-write'], { TTS_THREADS: '0' }, /\$TTS_THREADS is "0"/],
    ['config file key', ['say', 'hi'], { TTS_CONFIG: config }, new RegExp(`"threads" in ${config.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is "many"`)],
  ];
  for (const [what, args, extra, message] of cases) {
    const r = await runCli(args, { env: { ...env, ...extra } });
    assert.is(r.code, 2, `${what}: exit ${r.code}\n${r.stderr}`);
    const lines = r.stderr.trimEnd().split('\n');
    assert.ok(lines.length >= 1 && lines.length <= 2, `${what}: ${lines.length} lines:\n${r.stderr}`);
    assert.match(lines[0]!, /^tts( [a-z-]+)?: \S/, what);
    assert.match(lines[0]!, message, what);
    assert.is(r.stdout.length, 0, `${what}: nothing on stdout`);
  }
});

test('a fully cached say (the fast path) refuses a bad setting as the full command does', async () => {
  const own = cacheWithModels();
  const out = join(tempDir(), 'a.wav');
  const first = await runCli(['say', 'Cached words.', '--out', out], { env: { ...env, TTS_CACHE_DIR: own } });
  assert.is(first.code, 0, first.stderr);
  const ok = await runCli(['say', 'Cached words.', '--out', out, '--threads', '1', '--execution-mode', 'parallel'], { env: { ...env, TTS_CACHE_DIR: own } });
  assert.is(ok.code, 0, ok.stderr);
  const bad = await runCli(['say', 'Cached words.', '--out', out, '--threads', '0'], { env: { ...env, TTS_CACHE_DIR: own } });
  assert.is(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /--threads is "0"/);
  const badEnv = await runCli(['say', 'Cached words.', '--out', out], { env: { ...env, TTS_CACHE_DIR: own, TTS_MEM_ARENA: 'sometimes' } });
  assert.is(badEnv.code, 2, badEnv.stderr);
  assert.match(badEnv.stderr, /\$TTS_MEM_ARENA is "sometimes"/);
});

test('tts config shows the session settings and where each comes from; the config file sets them', async () => {
  const dir = tempDir();
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ spinning: true, executionMode: 'parallel' }));
  const r = await runCli(['config', '--json'], { env: { ...env, TTS_CONFIG: config, TTS_THREADS: '3' } });
  assert.is(r.code, 0, r.stderr);
  const settings = (JSON.parse(r.stdout.toString()) as { settings: { name: string; value: string; source: string }[] }).settings;
  const get = (name: string) => settings.find((s) => s.name === name);
  assert.equal(get('threads'), { name: 'threads', value: '3', source: 'env TTS_THREADS' });
  assert.equal(get('spinning'), { name: 'spinning', value: 'true', source: config });
  assert.equal(get('executionMode'), { name: 'executionMode', value: 'parallel', source: config });
  assert.equal(get('memArena'), { name: 'memArena', value: '1 (on)', source: 'default' });
  const table = await runCli(['config'], { env: { ...env, TTS_CONFIG: config } });
  assert.is(table.code, 0, table.stderr);
  assert.match(table.stdout.toString(), /\nthreads +\d+ \(the physical cores within the CPU limit\) +default\n/);
  assert.match(table.stdout.toString(), /\nspinning +true +\S+config\.json\n/);
  // What the file says is what the session gets.
  const say = await runCli(['say', 'Hello there.', '--out', join(dir, 'a.wav'), '--no-cache', '--threads', '1', '--no-mem-arena'], { env: { ...debug, TTS_CONFIG: config } });
  assert.is(say.code, 0, say.stderr);
  assert.match(say.stderr, SESSION_LINE);
});

test.run();
