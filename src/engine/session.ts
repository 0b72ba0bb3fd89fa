// onnxruntime-node sessions: options, execution providers, and clear errors for bad model files.
// onnxruntime is imported here, lazily, and nowhere else, so commands that need no inference
// (help, cached playback) never load it.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { availableParallelism, platform } from 'node:os';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { TtsError } from './errors.js';
import { fileIdentity } from './models/identity.js';

export type OrtModule = typeof import('onnxruntime-node');
let ortModule: Promise<OrtModule> | undefined;

export function loadOrt(): Promise<OrtModule> {
  ortModule ??= import('onnxruntime-node').then((m) => ((m as unknown as { default?: OrtModule }).default ?? m));
  return ortModule!;
}

/** Physical cores (Linux: distinct core ids in /proc/cpuinfo), else the logical count. */
export function physicalCores(): number {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const cores = new Set<string>();
    let phys = '0';
    for (const line of info.split('\n')) {
      const [k, v] = line.split(':').map((s) => s.trim());
      if (k === 'physical id') phys = v ?? '0';
      if (k === 'core id') cores.add(`${phys}/${v}`);
    }
    if (cores.size > 0) return cores.size;
  } catch {
    /* not Linux */
  }
  return availableParallelism();
}

/** Intra-op threads by default: $TTS_THREADS when it is a whole number ≥ 1, else the physical cores. */
export function defaultThreads(): number {
  const n = Number(process.env.TTS_THREADS);
  return Number.isInteger(n) && n >= 1 ? n : physicalCores();
}

export interface SessionOptions {
  /** Intra-op threads (default: $TTS_THREADS, else physical cores). */
  threads?: number;
  /** Execution providers to try, in order (default: by platform). */
  providers?: string[];
  /** Folder of optimized models built by `tts warm`; used when that was measured to load faster. */
  optimizedDir?: string;
}

export interface LoadedSession {
  session: InferenceSession;
  ort: OrtModule;
  provider: string;
  threads: number;
  loadMs: number;
  /** True when the session was loaded from a cached optimized model. */
  optimized: boolean;
}

/** Providers worth trying here: CUDA when its library is installed, CoreML on macOS, then CPU. */
export function defaultProviders(): string[] {
  const list: string[] = [];
  if (platform() === 'linux' && cudaProviderInstalled()) list.push('cuda');
  if (platform() === 'darwin') list.push('coreml');
  list.push('cpu');
  return list;
}

function cudaProviderInstalled(): boolean {
  try {
    const ortMain = createRequire(import.meta.url).resolve('onnxruntime-node');
    return existsSync(join(dirname(ortMain), '..', 'bin', 'napi-v6', 'linux', process.arch, 'libonnxruntime_providers_cuda.so'));
  } catch {
    return false;
  }
}

export async function createSession(modelPath: string, opts: SessionOptions = {}): Promise<LoadedSession> {
  if (!existsSync(modelPath)) {
    throw new TtsError('MODEL_MISSING', `Model file ${modelPath} is missing.`, 'Run `tts warm` to download it.');
  }
  const ort = await loadOrt();
  const threads = opts.threads ?? defaultThreads();
  const providers = opts.providers ?? defaultProviders();
  let lastError: unknown;
  for (const provider of providers) {
    const optimized = opts.optimizedDir ? await optimizedChoice(opts.optimizedDir, modelPath, provider, ort) : undefined;
    const t0 = performance.now();
    try {
      const session = await ort.InferenceSession.create(optimized ?? modelPath, sessionOptions(provider, threads, optimized ? 'disabled' : 'all'));
      return { session, ort, provider, threads, loadMs: performance.now() - t0, optimized: optimized !== undefined };
    } catch (err) {
      lastError = err;
      if (isCorruptModelError(err)) break;
    }
  }
  const detail = lastError instanceof Error ? lastError.message.split('\n')[0] : String(lastError);
  throw new TtsError(
    'MODEL_CORRUPT',
    `Model file ${modelPath} could not be loaded: it is damaged, truncated or not an ONNX model (${detail}).`,
    `Delete ${basename(modelPath)} and run \`tts warm\` to download it again.`,
  );
}

type OptLevel = 'disabled' | 'all';

function sessionOptions(provider: string, threads: number, level: OptLevel, optimizedModelFilePath?: string): InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    graphOptimizationLevel: level,
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    logSeverityLevel: 3, // errors only: warnings would land on the user's terminal
    ...(optimizedModelFilePath ? { optimizedModelFilePath } : {}),
  };
}

/**
 * Optimized models: ORT can save the graph it optimized, and loading that file can be faster than
 * optimizing again. Whether it is depends on the model and machine, so `tts warm` measures both
 * loads and records the answer next to the optimized file; sessions use it only when it won.
 */
interface OptimizedRecord {
  model: string;
  originalMs: number;
  optimizedMs: number;
  useOptimized: boolean;
}

async function optimizedPaths(dir: string, modelPath: string, provider: string, ort: OrtModule): Promise<{ file: string; record: string }> {
  const sha = await fileIdentity(modelPath);
  const file = join(dir, `${sha.slice(0, 24)}-${provider}-ort${ort.env.versions.common}.onnx`);
  return { file, record: `${file}.json` };
}

async function optimizedChoice(dir: string, modelPath: string, provider: string, ort: OrtModule): Promise<string | undefined> {
  try {
    const { file, record } = await optimizedPaths(dir, modelPath, provider, ort);
    const r = JSON.parse(await readFile(record, 'utf8')) as OptimizedRecord;
    return r.useOptimized && existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

export interface OptimizeReport extends OptimizedRecord {
  file: string;
  provider: string;
}

/** Builds the optimized model for `modelPath`, times a load of each, and records which is faster. */
export async function buildOptimizedModel(modelPath: string, dir: string, opts: SessionOptions = {}): Promise<OptimizeReport> {
  const ort = await loadOrt();
  const threads = opts.threads ?? defaultThreads();
  const provider = (await createSession(modelPath, { ...opts, optimizedDir: undefined })).provider;
  const { file, record } = await optimizedPaths(dir, modelPath, provider, ort);
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const timeLoad = async (path: string, level: OptLevel, out?: string): Promise<number> => {
    const t0 = performance.now();
    const s = await ort.InferenceSession.create(path, sessionOptions(provider, threads, level, out));
    const ms = performance.now() - t0;
    await s.release();
    return ms;
  };
  await timeLoad(modelPath, 'all', tmp);
  await rename(tmp, file);
  // Alternate the two loads and keep the best of three each, so one slow load decides nothing.
  const originalMs: number[] = [];
  const optimizedMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    originalMs.push(await timeLoad(modelPath, 'all'));
    optimizedMs.push(await timeLoad(file, 'disabled'));
  }
  const r: OptimizedRecord = {
    model: modelPath,
    originalMs: Math.min(...originalMs),
    optimizedMs: Math.min(...optimizedMs),
    useOptimized: Math.min(...optimizedMs) < Math.min(...originalMs) * 0.9,
  };
  await writeFile(record, JSON.stringify(r, null, 2) + '\n');
  return { ...r, file, provider };
}

function isCorruptModelError(err: unknown): boolean {
  return err instanceof Error && /protobuf|parse|invalid|corrupt|load model/i.test(err.message);
}
