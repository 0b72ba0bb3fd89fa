// The engine: the one text → audio pipeline under every command.
//
//   normalize → split into chunks → per chunk: cache lookup ─hit──────────────────────┐
//                                              └miss→ phonemize → ids → model → trim/fade ─┴→ pause → yield
//
// `synthesize` returns an async iterable of audio chunks; every sink (speakers, WAV file, stdout,
// JSON-lines events) consumes that one shape. It streams: the first chunk (kept short by the
// splitter) is yielded as soon as it is ready, and the next chunk is synthesized while the
// consumer plays or writes the current one. Models are loaded on the first cache miss only.
import { join } from 'node:path';
import { statSync } from 'node:fs';
import type { Backend, BackendContext } from './backends/backend.js';
import { floatToPcm16 } from './audio/pcm.js';
import { pauseSamples, trimAndFade, withPause } from './audio/postprocess.js';
import { AudioCache, type AudioCacheOptions, type CacheStats } from './cache/audio-cache.js';
import { chunkKey } from './cache/key.js';
import { espeakVersion } from './backends/espeak.js';
import { TtsError } from './errors.js';
import { fileIdentity } from './models/identity.js';
import { audioCacheDir, optimizedDir, resolveCacheDir } from './models/paths.js';
import { Phonemizer, type PhonemizerStats } from './phonemize.js';
import { BackendPool } from './pool.js';
import { resolveVoice, type ResolvedVoice, type VoiceRequest } from './resolve.js';
import type { SessionOptions } from './session.js';
import { normalizeText } from './text/normalize.js';
import { splitText, type SplitOptions } from './text/split.js';
import { applyLexicon, checkOverrides, plainWords, withInlineProtected, type Lexicon } from './text/pronunciation.js';
import { KOKORO_VOCAB } from './backends/kokoro-vocab.js';

/** Bump when a change alters the audio produced for the same input (invalidates caches). */
export const ENGINE_VERSION = '2';
export const MIN_SPEED = 0.5;
export const MAX_SPEED = 2.0;

export type EngineEvent =
  | { type: 'synth-start'; index: number }
  | { type: 'synth-end'; index: number; cached: boolean }
  | { type: 'yield'; index: number }
  | { type: 'backend-loaded'; model: string; provider: string; loadMs: number };

export interface EngineOptions {
  /** Per-user cache directory (models, audio cache); see resolveCacheDir. */
  cacheDir?: string;
  /** Audio and phoneme caches (default on). `false` neither reads nor writes them. */
  cache?: boolean;
  /** Keep the audio cache in memory only. */
  diskCache?: boolean;
  memoryCacheBytes?: number;
  diskCacheBytes?: number;
  /** Cap on the estimated memory of the models kept loaded (default 2 GiB); least recently used go first. */
  poolBytes?: number;
  session?: SessionOptions;
  split?: SplitOptions;
  /** Pronunciation overrides applied to every request (see text/pronunciation.ts). */
  lexicon?: Lexicon;
  onEvent?: (e: EngineEvent) => void;
}

export interface SynthesisRequest extends VoiceRequest {
  text: string;
  /** 0.5 … 2.0; 1 is the model's natural pace. */
  speed?: number | string;
  signal?: AbortSignal;
  /** Bypass the caches for this request. */
  noCache?: boolean;
}

export interface AudioChunk {
  /** 0-based position of the chunk in the text. */
  index: number;
  /** The normalized text this chunk speaks. */
  text: string;
  /** The chunk's audio, followed by the pause that separates it from the next chunk. */
  pcm: Int16Array;
  sampleRate: number;
  /** True when the audio came from the cache. */
  cached: boolean;
  isLast: boolean;
}

/** A chunk as emitted: its audio followed by the pause that separates it from the next chunk. */
function withItsPause(c: AudioChunk, speed: number): AudioChunk {
  return { ...c, pcm: withPause(c.pcm, pauseSamples(c.text, c.isLast, c.sampleRate, speed)) };
}

/** A speed from a number or the text of a flag, checked against the allowed range. */
export function validateSpeed(input: number | string): number {
  const speed = typeof input === 'number' ? input : Number(input);
  if (typeof input === 'string' && (input.trim() === '' || Number.isNaN(speed))) {
    throw new TtsError('BAD_SPEED', `Speed "${input}" is not a number.`, `Use a speed from ${MIN_SPEED} to ${MAX_SPEED} (1 is normal), e.g. --speed 1.2.`);
  }
  if (!Number.isFinite(speed) || speed < MIN_SPEED || speed > MAX_SPEED) {
    throw new TtsError('BAD_SPEED', `Speed ${speed} is out of range.`, `Use a speed from ${MIN_SPEED} to ${MAX_SPEED} (1 is normal).`);
  }
  return speed;
}

interface Plan {
  chunks: string[];
  rv: ResolvedVoice;
  speed: number;
  signal: AbortSignal | undefined;
  useCache: boolean;
}

export class Engine {
  readonly cacheDir: string;
  readonly cache: AudioCache;
  readonly phonemizer: Phonemizer;
  private readonly pool: BackendPool;
  private readonly identities = new Map<string, Promise<string>>();

  constructor(private readonly opts: EngineOptions = {}) {
    this.cacheDir = resolveCacheDir(opts.cacheDir);
    const disk = opts.cache !== false && opts.diskCache !== false;
    const cacheOpts: AudioCacheOptions = {
      ...(disk ? { dir: audioCacheDir(this.cacheDir) } : {}),
      ...(opts.memoryCacheBytes !== undefined ? { memoryBytes: opts.memoryCacheBytes } : {}),
      ...(opts.diskCacheBytes !== undefined ? { diskBytes: opts.diskCacheBytes } : {}),
    };
    this.cache = new AudioCache(cacheOpts);
    this.phonemizer = new Phonemizer(disk ? join(this.cacheDir, 'phonemes') : undefined, { memory: opts.cache !== false });
    this.pool = new BackendPool(opts.poolBytes ?? 2 * 1024 ** 3);
  }

  /** Which model and voice a request means (reads files only; loads nothing). */
  resolve(req: VoiceRequest): ResolvedVoice {
    return resolveVoice(this.cacheDir, req);
  }

  /** The loaded backend for a resolved voice, from the pool or loaded now. */
  backend(rv: ResolvedVoice): Promise<Backend> {
    const bytes = (): number => {
      try {
        return rv.modelFile ? statSync(join(rv.model.dir, rv.modelFile)).size : 0;
      } catch {
        return 0; // createSession reports the missing file
      }
    };
    return this.pool.get(`${rv.model.dir}#${rv.dtype}`, bytes, () => this.loadBackend(rv));
  }

  private async loadBackend(rv: ResolvedVoice): Promise<Backend> {
    const ctx: BackendContext = {
      session: { optimizedDir: optimizedDir(this.cacheDir), ...this.opts.session },
      phonemizer: this.phonemizer,
    };
    let backend: Backend;
    if (rv.family === 'kokoro') {
      const { KokoroBackend } = await import('./backends/kokoro.js');
      backend = await KokoroBackend.load(rv.model, rv.modelFile, ctx);
    } else if (rv.family === 'espeak') {
      const { EspeakBackend } = await import('./backends/espeak.js');
      backend = new EspeakBackend();
    } else {
      const { PiperBackend } = await import('./backends/piper.js');
      backend = await PiperBackend.load(rv.model, rv.modelFile, ctx);
    }
    this.opts.onEvent?.({ type: 'backend-loaded', model: rv.model.manifest.id, provider: backend.provider, loadMs: backend.loadMs });
    return backend;
  }

  /** Loads the backend for a request ahead of time (model preload). */
  async preload(req: VoiceRequest = {}): Promise<Backend> {
    return this.backend(this.resolve(req));
  }

  /**
   * Speaks `req.text`: chunks of audio in order, each as soon as it is ready. The request is checked
   * (text, speed, model, voice) before this returns, so a bad request fails before any sink starts.
   */
  synthesize(req: SynthesisRequest): AsyncIterable<AudioChunk> {
    const plan = this.plan(req);
    return this.run({ ...plan, signal: req.signal, useCache: this.opts.cache !== false && !req.noCache });
  }

  /** Checks a request and cuts its text into chunks: normalize (overrides kept whole), then split. */
  private plan(req: SynthesisRequest): { chunks: string[]; rv: ResolvedVoice; speed: number } {
    const { text, speed } = this.check(req);
    const rv = this.resolve(req);
    if (rv.family === 'kokoro') checkOverrides(text, (s) => KOKORO_VOCAB.has(s), 'Kokoro', this.opts.lexicon);
    return { chunks: withInlineProtected(text, (t) => splitText(t, this.opts.split)), rv, speed };
  }

  /** The checks of a request that need no model: its text is not empty, its speed in range. */
  check(req: SynthesisRequest): { text: string; speed: number } {
    const text = withInlineProtected(applyLexicon(req.text ?? '', this.opts.lexicon), normalizeText);
    if (!plainWords(text).trim()) throw new TtsError('EMPTY_TEXT', 'There is no text to speak.', 'Pass the text as an argument (tts say "Hello") or on stdin (echo Hello | tts say).');
    return { text, speed: validateSpeed(req.speed ?? 1) };
  }

  /** What each chunk of a request would send the model (phonemes and ids), without synthesizing. */
  async inspect(req: SynthesisRequest): Promise<{ text: string; phonemes: string; ids: number[][] }[]> {
    const { chunks, rv } = this.plan(req);
    const backend = await this.backend(rv);
    const out = [];
    for (const text of chunks) out.push({ text, ...(await backend.inspect(text, rv.voice)) });
    return out;
  }

  private async *run(plan: Plan): AsyncGenerator<AudioChunk> {
    const { chunks, rv, speed } = plan;
    const identity = plan.useCache ? await this.modelIdentity(rv) : '';
    const produce = (index: number): Promise<AudioChunk> => this.produce(plan, identity, index);
    let next = produce(0);
    for (let index = 0; index < chunks.length; index++) {
      const current = await next;
      if (index + 1 < chunks.length) {
        // Look ahead: the next chunk is synthesized while this one is played or written.
        next = produce(index + 1);
        next.catch(() => undefined); // surfaced when awaited; silenced if the consumer stops early
      }
      this.opts.onEvent?.({ type: 'yield', index });
      yield withItsPause(current, speed);
    }
  }

  /**
   * The whole request from the cache, or undefined when a chunk is missing — in which case nothing
   * was loaded or synthesized. (The CLI's fast path for a fully cached `say`.)
   */
  async fromCache(req: SynthesisRequest): Promise<AudioChunk[] | undefined> {
    if (this.opts.cache === false || req.noCache) return undefined;
    const plan: Plan = { ...this.plan(req), signal: undefined, useCache: true };
    const identity = await this.modelIdentity(plan.rv);
    const out: AudioChunk[] = [];
    for (let index = 0; index < plan.chunks.length; index++) {
      const hit = await this.cachedChunk(plan, identity, index);
      if (!hit) return undefined;
      out.push(withItsPause(hit, plan.speed));
    }
    return out;
  }

  private chunkKey(plan: Plan, identity: string, index: number): string {
    return chunkKey({ engineVersion: ENGINE_VERSION, modelIdentity: identity, voice: plan.rv.voiceId, speed: plan.speed, text: plan.chunks[index]! });
  }

  private async cachedChunk(plan: Plan, identity: string, index: number): Promise<AudioChunk | undefined> {
    const hit = await this.cache.get(this.chunkKey(plan, identity, index));
    return hit && { index, text: plan.chunks[index]!, pcm: hit.pcm, sampleRate: hit.sampleRate, cached: true, isLast: index === plan.chunks.length - 1 };
  }

  /** One chunk's audio (without its pause): from the cache, or synthesized and then cached. */
  private async produce(plan: Plan, identity: string, index: number): Promise<AudioChunk> {
    if (plan.signal?.aborted) throw new TtsError('CANCELLED', 'Synthesis was cancelled.');
    const text = plan.chunks[index]!;
    const isLast = index === plan.chunks.length - 1;
    this.opts.onEvent?.({ type: 'synth-start', index });
    const hit = plan.useCache ? await this.cachedChunk(plan, identity, index) : undefined;
    if (hit) {
      this.opts.onEvent?.({ type: 'synth-end', index, cached: true });
      return hit;
    }
    const backend = await this.backend(plan.rv);
    if (plan.signal?.aborted) throw new TtsError('CANCELLED', 'Synthesis was cancelled.');
    const samples = await backend.synthesize(text, plan.rv.voice, plan.speed);
    const pcm = floatToPcm16(trimAndFade(samples, backend.sampleRate));
    if (plan.useCache) await this.cache.put(this.chunkKey(plan, identity, index), { pcm, sampleRate: backend.sampleRate }).catch(() => undefined);
    this.opts.onEvent?.({ type: 'synth-end', index, cached: false });
    return { index, text, pcm, sampleRate: backend.sampleRate, cached: false, isLast };
  }

  /** sha256 of the model file (and voice pack), from their recorded identities. */
  private modelIdentity(rv: ResolvedVoice): Promise<string> {
    if (rv.family === 'espeak') return Promise.resolve(espeakVersion());
    const files = [join(rv.model.dir, rv.modelFile)];
    if (rv.model.manifest.config) files.push(join(rv.model.dir, rv.model.manifest.config));
    if (rv.family === 'kokoro') files.push(join(rv.model.dir, rv.model.manifest.voicesDir ?? 'voices', `${rv.voice}.bin`));
    return Promise.all(files.map((f) => this.identityOf(f))).then((ids) => ids.join('+'));
  }

  private identityOf(file: string): Promise<string> {
    let p = this.identities.get(file);
    if (!p) {
      p = fileIdentity(file).catch((err: NodeJS.ErrnoException) => {
        this.identities.delete(file);
        if (err.code === 'ENOENT') throw new TtsError('MODEL_MISSING', `File ${file} is missing.`, 'Run `tts warm` to download it again.');
        throw err;
      });
      this.identities.set(file, p);
    }
    return p;
  }

  stats(): { cache: CacheStats; phonemes: PhonemizerStats; loadedModels: string[] } {
    return { cache: this.cache.stats(), phonemes: this.phonemizer.stats(), loadedModels: this.pool.keys() };
  }

  async close(): Promise<void> {
    await this.pool.closeAll();
  }
}
