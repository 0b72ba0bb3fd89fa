// onnxruntime-node sessions: options, execution providers, and clear errors for bad model files.
// onnxruntime is imported here, lazily, and nowhere else, so commands that need no inference
// (help, cached playback) never load it.
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, platform } from 'node:os';
import { basename } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { TtsError } from './errors.js';

export type OrtModule = typeof import('onnxruntime-node');
let ortModule: Promise<OrtModule> | undefined;

export function loadOrt(): Promise<OrtModule> {
  ortModule ??= import('onnxruntime-node').then((m) => ((m as unknown as { default?: OrtModule }).default ?? m));
  return ortModule!;
}

/** True once onnxruntime-node has been imported in this process. */
export function isOrtLoaded(): boolean {
  return ortModule !== undefined;
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

export interface SessionOptions {
  /** Intra-op threads (default: physical cores). */
  threads?: number;
  /** Execution providers to try, in order (default: by platform). */
  providers?: string[];
}

export interface LoadedSession {
  session: InferenceSession;
  ort: OrtModule;
  provider: string;
  threads: number;
  loadMs: number;
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
    const dir = new URL(`../../../node_modules/onnxruntime-node/bin/napi-v6/linux/${process.arch}/`, import.meta.url);
    return existsSync(new URL('libonnxruntime_providers_cuda.so', dir));
  } catch {
    return false;
  }
}

export async function createSession(modelPath: string, opts: SessionOptions = {}): Promise<LoadedSession> {
  if (!existsSync(modelPath)) {
    throw new TtsError('MODEL_MISSING', `Model file ${modelPath} is missing.`, 'Run `tts warm` to download it.');
  }
  const ort = await loadOrt();
  const threads = opts.threads ?? physicalCores();
  const providers = opts.providers ?? defaultProviders();
  let lastError: unknown;
  for (const provider of providers) {
    const t0 = performance.now();
    try {
      const session = await ort.InferenceSession.create(modelPath, {
        executionProviders: [provider],
        graphOptimizationLevel: 'all',
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
      });
      return { session, ort, provider, threads, loadMs: performance.now() - t0 };
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

function isCorruptModelError(err: unknown): boolean {
  return err instanceof Error && /protobuf|parse|invalid|corrupt|load model/i.test(err.message);
}
