// Shared test helpers: temp cache folders with generated models, running the real CLI, and the
// reference data in ../shared (skipped with a message when absent).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installKokoroTestModel, installPiperTestModel, type GenOptions } from '../scripts/gen-test-models.js';
import { concatPcm16, floatToPcm16 } from '../src/engine/audio/pcm.js';
import { pauseSamples, trimAndFade, withPause } from '../src/engine/audio/postprocess.js';
import { KokoroBackend } from '../src/engine/backends/kokoro.js';
import { resolveVoice } from '../src/engine/resolve.js';
import { normalizeText } from '../src/engine/text/normalize.js';
import { planChunks } from '../src/engine/text/chunks.js';

export const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const BIN = join(REPO, 'bin', 'run.cjs');
export const REFERENCE = resolve(REPO, '..', 'shared', 'reference');

/** The reference data folder, or undefined after printing why the caller's checks are skipped. */
export function reference(what: string): string | undefined {
  if (existsSync(REFERENCE)) return REFERENCE;
  process.stdout.write(`\n  skipped: reference data not present (${REFERENCE}); ${what}\n`);
  return undefined;
}

const temps: string[] = [];
process.on('exit', () => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

export function tempDir(prefix = 'tts-test-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}

/** A fresh cache folder holding the generated Kokoro model (and Piper ones when asked). */
export function cacheWithModels(opts: GenOptions & { piper?: boolean; inputName?: 'input_ids' | 'tokens' } = {}): string {
  const dir = tempDir('tts-cache-');
  installKokoroTestModel(dir, opts);
  if (opts.piper) {
    installPiperTestModel(dir, opts);
    installPiperTestModel(dir, { ...opts, numSpeakers: 4 });
  }
  return dir;
}

export interface RunResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  input?: string | Buffer;
  cwd?: string;
  /** Extra node flags, e.g. ['--import', …]. */
  nodeArgs?: string[];
  /** Kill the process (code null) if it has not ended by then: a hang fails instead of blocking the suite. */
  killAfterMs?: number;
}

/** Runs the real `tts` CLI. */
export function runCli(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((res, rej) => {
    const env = { ...process.env, ...opts.env };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
    const p = spawn(process.execPath, [...(opts.nodeArgs ?? []), BIN, ...args], { env, cwd: opts.cwd ?? REPO, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    p.stdout.on('data', (d: Buffer) => out.push(d));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = opts.killAfterMs ? setTimeout(() => p.kill('SIGKILL'), opts.killAfterMs) : undefined;
    p.on('error', rej);
    p.on('close', (code) => (clearTimeout(timer), res({ code, stdout: Buffer.concat(out), stderr: err })));
    if (opts.input !== undefined) p.stdin.end(opts.input);
    else p.stdin.end();
  });
}

/** Runs the CLI with module tracing; returns the result and the URLs of the ES modules it loaded. */
export async function runCliTraced(args: string[], opts: RunOptions = {}): Promise<RunResult & { modules: string[] }> {
  const trace = join(tempDir('tts-trace-'), 'modules.txt');
  writeFileSync(trace, '');
  const r = await runCli(args, { ...opts, env: { ...opts.env, TTS_TRACE_FILE: trace }, nodeArgs: ['--import', join(REPO, 'test', 'fixtures', 'trace-modules.mjs')] });
  return { ...r, modules: readFileSync(trace, 'utf8').split('\n').filter(Boolean) };
}

export interface ExpectedChunk {
  text: string;
  /** The model's raw output for the chunk. */
  raw: Float32Array;
  /** What the engine should emit for it: trimmed, faded, PCM16, followed by its pause. */
  pcm: Int16Array;
}

/**
 * What the engine should produce for `text`, computed stage by stage from the model itself:
 * the test oracle for "the output is the model's output, post-processed as documented".
 */
export async function expectedSpeech(
  cacheDir: string,
  text: string,
  opts: { voice?: string; speed?: number; model?: string } = {},
): Promise<{ chunks: ExpectedChunk[]; pcm: Int16Array; sampleRate: number }> {
  const speed = opts.speed ?? 1;
  const rv = resolveVoice(cacheDir, { ...(opts.voice ? { voice: opts.voice } : {}), ...(opts.model ? { model: opts.model } : {}) });
  const backend = await KokoroBackend.load(rv.model, rv.modelFile, { session: { threads: 1 } });
  try {
    const texts = planChunks(normalizeText(text, rv.language), { mode: 'merge' });
    const chunks: ExpectedChunk[] = [];
    for (const [i, t] of texts.entries()) {
      const raw = await backend.synthesize(t, rv.voice, speed);
      const pause = pauseSamples(t, i === texts.length - 1, backend.sampleRate, speed);
      chunks.push({ text: t, raw, pcm: withPause(floatToPcm16(trimAndFade(raw, backend.sampleRate)), pause) });
    }
    return { chunks, pcm: concatPcm16(chunks.map((c) => c.pcm)), sampleRate: backend.sampleRate };
  } finally {
    await backend.close();
  }
}

/** A copy of the built-in catalog whose URLs point at a closed port on 127.0.0.1: "offline". */
export function offlineCatalog(): string {
  const catalog = readFileSync(join(REPO, 'models', 'catalog.json'), 'utf8').replace(/https:\/\/[^"]+/g, (url) => `http://127.0.0.1:9/${url.split('/').pop()}`);
  const path = join(tempDir('tts-catalog-'), 'catalog.json');
  writeFileSync(path, catalog);
  return path;
}

/** Every chunk of a stream, in order. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const c of it) out.push(c);
  return out;
}
