// `tts warm`: everything that makes the next `tts say` fast, done ahead of time — the model files
// present and verified, the optimized model built (and measured), the model loaded and run once,
// and a list of phrases synthesized into the disk cache.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Engine } from './engine.js';
import { isTtsError, TtsError } from './errors.js';
import { findCatalogModel, loadCatalog } from './models/catalog.js';
import type { DownloadOptions } from './models/download.js';
import { findInstalledModel } from './models/installed.js';
import { installModel } from './models/install.js';
import { missingFiles, type MissingFile } from './models/missing.js';
import { optimizedDir } from './models/paths.js';
import { loadPiperList } from './models/piper-list.js';
import { isModelPath } from './models/user-model.js';
import { buildOptimizedModel, sessionTuning, type OptimizeReport, type SessionOptions } from './session.js';
import type { SessionTuning } from './session-tuning.js';
import { cpuFingerprint } from './cpu-fingerprint.js';

/** Short phrases a command-line assistant says often; pre-synthesized when no list is given. */
export const BUILT_IN_PHRASES = [
  'Done.',
  'OK.',
  'Yes.',
  'No.',
  'Ready.',
  'Hello.',
  'Goodbye.',
  'Working on it.',
  'Task complete.',
  'Something went wrong.',
  'Build succeeded.',
  'Build failed.',
  'All tests passed.',
  'Some tests failed.',
  'Download complete.',
  'Please wait.',
];

export interface WarmOptions {
  cacheDir?: string;
  model?: string;
  dtype?: string;
  voices?: string[];
  /** File with one phrase per line; the built-in list when undefined. */
  phrasesFile?: string;
  /** Build and measure the optimized model (default true). */
  optimize?: boolean;
  download?: DownloadOptions;
  /** Execution providers to try, in order (default: $TTS_PROVIDER, else by platform). */
  providers?: string[];
  /** onnxruntime session settings (threads, spinning, execution mode, memory arena). */
  session?: SessionOptions;
}

export interface WarmReport {
  model: string;
  dtype: string;
  voices: string[];
  downloaded: string[];
  verified: string[];
  /** The execution provider that ran the warm-up inference (after any fall-back to CPU). */
  provider: string;
  threads: number;
  /** The session settings the model was loaded with. */
  session: SessionTuning;
  /** Graph optimization level of the session (lower than `all` only when a load at `all` failed). */
  optLevel: string;
  /** The CPU fingerprint an optimized model is keyed by. */
  cpu: { id: string; model: string };
  /** Providers or levels that failed on the way, if any. */
  notes: string[];
  loadMs: number;
  optimized?: { originalMs: number; optimizedMs: number; used: boolean };
  firstInferenceMs: number;
  phrases: number;
  newlyCached: number;
  cacheEntries: number;
  cacheBytes: number;
}

/** A failed install, with every file that is still missing (not only the one that failed first). */
export class MissingFilesError extends TtsError {
  constructor(
    cause: TtsError,
    readonly missing: MissingFile[],
  ) {
    const list = missing.map((f) => `  ${f.url}\n    → ${f.dest}${f.size ? ` (${f.size} bytes` : ''}${f.sha256 ? `${f.size ? ', ' : ' ('}sha256 ${f.sha256})` : f.size ? ')' : ''}`).join('\n');
    super(
      cause.code,
      `${missing.length} file${missing.length === 1 ? ' is' : 's are'} missing: ${cause.message}`,
      `Fetch ${missing.length === 1 ? 'it' : 'each'} on a machine that can reach it and copy it to its place, then run \`tts warm\` again:\n${list}`,
    );
  }
}

function withAllMissing(err: unknown, missing: MissingFile[]): unknown {
  if (!isTtsError(err) || (err.code !== 'DOWNLOAD_FAILED' && err.code !== 'CHECKSUM_MISMATCH') || missing.length === 0) return err;
  return new MissingFilesError(err, missing);
}

async function readPhrases(file: string | undefined): Promise<string[]> {
  if (!file) return BUILT_IN_PHRASES;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new TtsError('BAD_INPUT', `Cannot read the phrase list ${file}: ${(err as Error).message}.`, 'Give a text file with one phrase per line.');
  }
  return text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

export async function warm(opts: WarmOptions): Promise<WarmReport> {
  const session = { ...opts.session, ...(opts.providers ? { providers: opts.providers } : {}) };
  const engine = new Engine({ ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}), session });
  const phrases = await readPhrases(opts.phrasesFile);
  const modelId = opts.model ?? process.env.TTS_MODEL ?? loadCatalog().default;
  let downloaded: string[] = [];
  let verified: string[] = [];
  if (!findCatalogModel(modelId) && !isModelPath(modelId)) await loadPiperList(engine.cacheDir, { download: opts.download ?? {} }).catch(() => undefined);
  if (findCatalogModel(modelId)) {
    const req = { model: modelId, ...(opts.dtype ? { dtype: opts.dtype } : {}), ...(opts.voices ? { voices: opts.voices } : {}) };
    try {
      const r = await installModel(engine.cacheDir, req, opts.download);
      downloaded = r.downloaded;
      verified = r.verified;
    } catch (err) {
      await engine.close();
      throw withAllMissing(err, missingFiles(engine.cacheDir, req));
    }
  } else if (!findInstalledModel(engine.cacheDir, modelId)) {
    engine.resolve({ model: modelId }); // throws the unknown-model error with the known ids
  }
  try {
    const voices = opts.voices?.length ? opts.voices : [undefined];
    const first = engine.resolve({ model: modelId, dtype: opts.dtype, voice: voices[0] });

    let optimized: OptimizeReport | undefined;
    if (opts.optimize !== false) optimized = await buildOptimizedModel(join(first.model.dir, first.modelFile), optimizedDir(engine.cacheDir), session);

    const backend = await engine.preload({ model: modelId, dtype: opts.dtype, voice: voices[0] });
    const t0 = performance.now();
    for await (const _ of engine.synthesize({ text: 'Warming up.', model: modelId, dtype: opts.dtype, voice: voices[0], noCache: true })) void _;
    const firstInferenceMs = performance.now() - t0;

    engine.cache.resetStats();
    for (const voice of voices) {
      for (const text of phrases) {
        for await (const _ of engine.synthesize({ text, model: modelId, dtype: opts.dtype, voice })) void _;
      }
    }
    const disk = await engine.cache.disk!.stats();
    return {
      model: first.model.manifest.id,
      dtype: first.dtype,
      voices: voices.map((v) => engine.resolve({ model: modelId, dtype: opts.dtype, voice: v }).voiceId),
      downloaded,
      verified,
      provider: backend.provider,
      threads: backend.threads,
      session: sessionTuning(session),
      optLevel: backend.optimized ? 'optimized file' : (backend.optLevel ?? 'n/a'),
      cpu: { id: cpuFingerprint().id, model: cpuFingerprint().model },
      notes: [...(backend.notes ?? [])],
      loadMs: backend.loadMs,
      ...(optimized ? { optimized: { originalMs: optimized.originalMs, optimizedMs: optimized.optimizedMs, used: optimized.useOptimized } } : {}),
      firstInferenceMs,
      phrases: phrases.length * voices.length,
      newlyCached: engine.stats().cache.misses,
      cacheEntries: disk.entries,
      cacheBytes: disk.bytes,
    };
  } finally {
    await engine.close();
  }
}
