// bin/load-bundle.cjs: the CommonJS bundles of the one-shot paths load through V8's code cache kept
// beside them. Each load runs in a fresh Node, as a start of `tts` does.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cacheWithModels, REPO, runCli, runCliTraced, tempDir } from './helpers.js';

const LOADER = join(REPO, 'bin', 'load-bundle.cjs');

/** Loads `file` in a new Node process, calls its run(), saves the cache; returns what it saw. */
function load(file: string): { value: unknown; fromCache: boolean } {
  const script = `const b = require(${JSON.stringify(LOADER)}).loadBundle(${JSON.stringify(file)});
    b.exports.run().then((value) => { b.save(); process.stdout.write(JSON.stringify({ value, fromCache: b.fromCache })); });`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { value: unknown; fromCache: boolean };
}

const bundle = (answer: number): string => `'use strict';
const { basename } = require('node:path');
const importEsm = globalThis[Symbol.for('tts.import')]; // as src/engine/esm-import.ts does
exports.run = async () => ({ answer: ${answer}, name: basename(__filename), dynamic: typeof (await importEsm('node:os')).cpus });`;

test('the first start compiles and saves; the next runs from the cache with the same results', () => {
  const dir = tempDir();
  const file = join(dir, 'b.cjs');
  writeFileSync(file, bundle(1));
  const first = load(file);
  assert.equal(first, { value: { answer: 1, name: 'b.cjs', dynamic: 'function' }, fromCache: false });
  assert.is(readdirSync(join(dir, '.code-cache')).length, 1);
  const second = load(file);
  assert.equal(second, { value: { answer: 1, name: 'b.cjs', dynamic: 'function' }, fromCache: true }, 'import() works from cached code too');
});

test('a rebuilt bundle never runs the old code, and the old cache file goes', () => {
  const dir = tempDir();
  const file = join(dir, 'b.cjs');
  writeFileSync(file, bundle(1));
  load(file);
  const [old] = readdirSync(join(dir, '.code-cache'));
  // Same length, another answer, and the file's time moved as a build moves it.
  writeFileSync(file, bundle(2));
  const later = new Date(Date.now() + 5000);
  utimesSync(file, later, later);
  const rebuilt = load(file);
  assert.equal(rebuilt, { value: { answer: 2, name: 'b.cjs', dynamic: 'function' }, fromCache: false });
  const files = readdirSync(join(dir, '.code-cache'));
  assert.is(files.length, 1);
  assert.is.not(files[0], old);
  assert.is(load(file).fromCache, true);
});

test('a cache that cannot be written is no error: the bundle still runs, compiled each time', () => {
  const dir = tempDir();
  const file = join(dir, 'b.cjs');
  writeFileSync(file, bundle(3));
  writeFileSync(join(dir, '.code-cache'), 'not a folder');
  assert.equal(load(file), { value: { answer: 3, name: 'b.cjs', dynamic: 'function' }, fromCache: false });
  assert.equal(load(file).fromCache, false);
});

test('a damaged cache file is rejected by V8 and rewritten', () => {
  const dir = tempDir();
  const file = join(dir, 'b.cjs');
  writeFileSync(file, bundle(4));
  load(file);
  const cacheDir = join(dir, '.code-cache');
  const [name] = readdirSync(cacheDir);
  writeFileSync(join(cacheDir, name!), Buffer.alloc(64, 7));
  assert.equal(load(file), { value: { answer: 4, name: 'b.cjs', dynamic: 'function' }, fromCache: false });
  assert.is(load(file).fromCache, true);
});

test('the CommonJS bundles import ES modules only through esm-import.ts (code from the cache has no import())', () => {
  for (const f of ['fast-say.cjs', 'root-help.cjs']) {
    const code = readFileSync(join(REPO, 'dist', f), 'utf8');
    assert.not.match(code, /\bimport\(\s*["'`]/, `${f} calls import() with a literal`);
  }
});

test('a cached say from the code cache: WAV, and MP3 (an ES module encoder), and a request cached chunk by chunk (the engine module)', async () => {
  const cache = cacheWithModels();
  const env = { TTS_CACHE_DIR: cache };
  const dir = tempDir();
  const say = (text: string, out: string) => runCli(['say', text, '--out', join(dir, out)], { env });
  assert.is((await say('The code cache works.', 'a.wav')).code, 0);
  rmSync(join(REPO, 'dist', '.code-cache'), { recursive: true, force: true });
  for (let i = 0; i < 2; i++) {
    // The first run compiles and saves the code; the second runs it from the cache.
    const wav = await say('The code cache works.', `w${i}.wav`);
    assert.is(wav.code, 0, wav.stderr);
    const mp3 = await say('The code cache works.', `m${i}.mp3`);
    assert.is(mp3.code, 0, mp3.stderr);
    assert.ok(statSync(join(dir, `m${i}.mp3`)).size > 500);
    assert.ok(readdirSync(join(REPO, 'dist', '.code-cache')).some((f) => f.startsWith('fast-say.cjs-')));
  }
  assert.equal(readFileSync(join(dir, 'w1.wav')), readFileSync(join(dir, 'a.wav')));
  // Cached chunk by chunk only (the whole request was not kept: another pause): the engine's module.
  const chunked = await runCliTraced(['say', 'The code cache works.', '--pause', '300', '--out', join(dir, 'c.wav')], { env });
  assert.is(chunked.code, 0, chunked.stderr);
  assert.ok(chunked.modules.some((m) => m.endsWith('/dist/fast-say-engine.mjs')), 'the engine module was imported');
  assert.not.ok(chunked.modules.some((m) => m.endsWith('/dist/tts.mjs')), 'not the full CLI');
  assert.equal(readFileSync(join(dir, 'c.wav')), readFileSync(join(dir, 'a.wav')));
});

test.run();
