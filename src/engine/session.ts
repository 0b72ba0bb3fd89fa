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
import { cpuFingerprint, type CpuFingerprint } from './cpu-fingerprint.js';
import { usableCpus } from './cpu-limit.js';
import { resolveTuning, type ExecutionMode, type SessionTuning } from './session-tuning.js';

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

/**
 * Intra-op threads by default: $TTS_THREADS when set (a whole number ≥ 1, else a usage error),
 * else the physical cores, but no more CPUs than the affinity mask and cgroup quota allow.
 */
export function defaultThreads(): number {
  return sessionTuning().threads;
}

/** Intra-op threads when $TTS_THREADS does not say: the physical cores within the CPU limit. */
export function machineThreads(): number {
  return Math.max(1, Math.min(physicalCores(), usableCpus()));
}

/**
 * The settings a session is created with: each one `opts` gives, else its variable ($TTS_THREADS,
 * $TTS_SPINNING, $TTS_EXECUTION_MODE, $TTS_MEM_ARENA; the config file fills these in), else the
 * measured default (threads: the physical cores within the CPU limit).
 */
export function sessionTuning(opts: SessionOptions = {}): SessionTuning {
  return resolveTuning(opts, machineThreads);
}

export interface SessionOptions {
  /** Intra-op threads (default: defaultThreads()). */
  threads?: number;
  /** Execution providers to try, in order (default: $TTS_PROVIDER, else defaultProviders()). */
  providers?: string[];
  /** Folder of optimized models built by `tts warm`; used when that was measured to load faster. */
  optimizedDir?: string;
  /** Let idle intra-op threads spin-wait for work (onnxruntime's default; off here: see session-tuning.ts). */
  spinning?: boolean;
  /** Run independent graph nodes in parallel (default sequential). */
  executionMode?: ExecutionMode;
  /** onnxruntime's CPU memory arena (default on). */
  memArena?: boolean;
}

export type OptLevel = 'all' | 'extended' | 'basic' | 'disabled';
/** Graph optimization levels, tried in this order when a model fails to load. */
export const OPT_LEVELS: readonly OptLevel[] = ['all', 'extended', 'basic', 'disabled'];

export interface LoadedSession {
  session: InferenceSession;
  ort: OrtModule;
  provider: string;
  threads: number;
  loadMs: number;
  /** True when the session was loaded from a cached optimized model. */
  optimized: boolean;
  /** The graph optimization level the session was created with. */
  optLevel: OptLevel;
  modelPath: string;
  options: SessionOptions;
  /** What went wrong on the way (a provider or level that failed), for verbose output and reports. */
  notes: string[];
}

/** Execution providers onnxruntime-node knows by name; others are a usage error. */
export const KNOWN_PROVIDERS = ['cpu', 'cuda', 'coreml', 'dml', 'webgpu'] as const;

/**
 * A provider list from a flag or $TTS_PROVIDER ("coreml" or "cuda,cpu"). CPU is appended when not
 * named, so a provider that cannot load or run the model still leaves one that can.
 */
export function parseProviders(text: string): string[] {
  const names = text.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const unknown = names.filter((n) => !(KNOWN_PROVIDERS as readonly string[]).includes(n));
  if (names.length === 0 || unknown.length > 0) {
    throw new TtsError('BAD_PROVIDER', `Unknown execution provider "${unknown[0] ?? text}".`, `Use one or more of ${KNOWN_PROVIDERS.join(', ')}, separated by commas (e.g. --provider coreml).`);
  }
  return names.includes('cpu') ? names : [...names, 'cpu'];
}

/**
 * Providers tried when none is asked for: CUDA when its library is installed, then CPU. CoreML is
 * opt-in (`--provider coreml`): on Kokoro it splits the graph into 129 partitions, fails at run time
 * ("Unable to get shape for output") and brings no speed-up, as reported upstream.
 */
export function defaultProviders(): string[] {
  const env = process.env.TTS_PROVIDER;
  if (env) return parseProviders(env);
  return platform() === 'linux' && cudaProviderInstalled() ? ['cuda', 'cpu'] : ['cpu'];
}

function cudaProviderInstalled(): boolean {
  try {
    const ortMain = createRequire(import.meta.url).resolve('onnxruntime-node');
    return existsSync(join(dirname(ortMain), '..', 'bin', 'napi-v6', 'linux', process.arch, 'libonnxruntime_providers_cuda.so'));
  } catch {
    return false;
  }
}

const firstLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0]!.trim();

/**
 * A session for `modelPath`: each provider in turn, and on CPU each optimization level from
 * `all` down to `disabled` before the file is called damaged (some exports, fp16 ones among them,
 * fail to load only at the highest levels).
 */
export async function createSession(modelPath: string, opts: SessionOptions = {}): Promise<LoadedSession> {
  if (!existsSync(modelPath)) {
    throw new TtsError('MODEL_MISSING', `Model file ${modelPath} is missing.`, 'Run `tts warm` to download it.');
  }
  const ort = await loadOrt();
  const tuning = sessionTuning(opts);
  const providers = opts.providers ?? defaultProviders();
  const notes: string[] = [];
  for (const provider of providers) {
    const optimized = opts.optimizedDir ? await optimizedChoice(opts.optimizedDir, modelPath, provider, ort) : undefined;
    const attempts = [
      ...(optimized ? [{ path: optimized, optLevel: 'disabled' as OptLevel }] : []),
      ...(provider === 'cpu' ? OPT_LEVELS : (['all'] as const)).map((optLevel) => ({ path: modelPath, optLevel })),
    ];
    for (const { path, optLevel } of attempts) {
      const t0 = performance.now();
      try {
        const ortOptions = sessionOptions(provider, optLevel, tuning);
        const session = await ort.InferenceSession.create(path, ortOptions);
        const loadMs = performance.now() - t0;
        if (process.env.TTS_DEBUG) process.stderr.write(`tts: debug: onnxruntime session for ${basename(path)}: ${describeOrtOptions(ortOptions)}, load ${loadMs.toFixed(0)} ms\n`);
        return { session, ort, provider, threads: tuning.threads, loadMs, optimized: path !== modelPath, optLevel, modelPath, options: { ...opts, ...tuning }, notes };
      } catch (err) {
        notes.push(`${provider}${path !== modelPath ? ' (optimized file)' : ''} at optimization level ${optLevel}: ${firstLine(err)}`);
      }
    }
  }
  throw new TtsError(
    'MODEL_CORRUPT',
    `Model file ${modelPath} could not be loaded by onnxruntime ${ort.env.versions.common} with any provider or optimization level: it may be damaged, truncated, or an export this onnxruntime cannot run. Tried: ${notes.join('; ')}.`,
    `Delete ${basename(modelPath)} and run \`tts warm\` to download it again; if that does not help, try another --dtype.`,
  );
}

/** onnxruntime's options for a session on `provider` at optimization `level` with tuning `t` (bench-vs-kokoro-js gives its peer the same). */
export function sessionOptions(provider: string, level: OptLevel, t: SessionTuning, optimizedModelFilePath?: string): InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    graphOptimizationLevel: level,
    intraOpNumThreads: t.threads,
    interOpNumThreads: 1,
    executionMode: t.executionMode,
    enableCpuMemArena: t.memArena,
    extra: { session: { intra_op: { allow_spinning: t.spinning ? '1' : '0' } } },
    logSeverityLevel: 3, // errors only: warnings would land on the user's terminal
    ...(optimizedModelFilePath ? { optimizedModelFilePath } : {}),
  };
}

/** What onnxruntime was given, read back from the options object itself (for --verbose). */
function describeOrtOptions(o: InferenceSession.SessionOptions): string {
  const spin = (o.extra as { session?: { intra_op?: { allow_spinning?: string } } } | undefined)?.session?.intra_op?.allow_spinning;
  return `provider ${String(o.executionProviders?.[0])}, intra-op threads ${o.intraOpNumThreads}, spinning ${spin === '1' ? 'on' : 'off'}, execution mode ${o.executionMode}, memory arena ${o.enableCpuMemArena ? 'on' : 'off'}, optimization ${o.graphOptimizationLevel}`;
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
  const file = join(dir, `${sha.slice(0, 24)}-${provider}-ort${ort.env.versions.common}-${cpuFingerprint().id}.onnx`);
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
  /** The CPU the optimized file was built for (it may hold kernels specific to it). */
  cpu: CpuFingerprint;
}

/** Builds the optimized model for `modelPath`, times a load of each, and records which is faster. */
export async function buildOptimizedModel(modelPath: string, dir: string, opts: SessionOptions = {}): Promise<OptimizeReport> {
  const ort = await loadOrt();
  const tuning = sessionTuning(opts);
  // Which provider loads this model here; that session is released at once (no second copy kept).
  const probe = await createSession(modelPath, { ...opts, optimizedDir: undefined });
  const provider = probe.provider;
  await probe.session.release();
  const { file, record } = await optimizedPaths(dir, modelPath, provider, ort);
  if (process.env.TTS_DEBUG) {
    process.stderr.write(
      `tts: debug: the optimized model ${basename(file)} may hold kernels specific to this CPU (${cpuFingerprint().model}); it is used only on a CPU with the same fingerprint (${cpuFingerprint().id}).\n`,
    );
  }
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const timeLoad = async (path: string, level: OptLevel, out?: string): Promise<number> => {
    const t0 = performance.now();
    const s = await ort.InferenceSession.create(path, sessionOptions(provider, level, tuning, out));
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
  return { ...r, file, provider, cpu: cpuFingerprint() };
}
