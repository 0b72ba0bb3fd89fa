// The engine: the one text → audio pipeline under every command.
//
//   normalize → split into chunks → per chunk: cache lookup ─hit──────────────────────┐
//                                              └miss→ phonemize → ids → model → trim/fade ─┴→ pause → loudness → sample rate → yield
//
// `synthesize` returns an async iterable of audio chunks; every sink (speakers, WAV file, stdout,
// JSON-lines events) consumes that one shape. It streams: the first chunk (kept short by the
// splitter) is yielded as soon as it is ready, and the next chunk is synthesized while the
// consumer plays or writes the current one. Models are loaded on the first cache miss only.
import { join } from 'node:path';
import { statSync } from 'node:fs';
import type { Backend, BackendContext } from './backends/backend.js';
import { concatPcm16, floatToPcm16Finite } from './audio/pcm.js';
import { pauseSamples, trimAndFade } from './audio/postprocess.js';
import { DEFAULT_LOUDNESS_LUFS } from './audio/loudness-normalizer.js';
import { OutputStage } from './audio/output-stage.js';
import { LoudnessMeter } from './audio/loudness-meter.js';
import { CALIBRATION_TEXT, calibrationKey, VoiceLoudnessStore } from './audio/voice-loudness.js';
import { AudioCache, type AudioCacheOptions, type CacheStats, type SharedAudioStore } from './cache/audio-cache.js';
import { chunkKey } from './cache/key.js';
import { TtsError } from './errors.js';
import { audioCacheDir, optimizedDir, resolveCacheDir } from './models/paths.js';
import { Phonemizer, type PhonemizerStats } from './phonemize.js';
import { BackendPool } from './pool.js';
import { resolveVoice, type ResolvedVoice, type VoiceRequest } from './resolve.js';
import type { SessionOptions } from './session.js';
import { normalizeText } from './text/normalize.js';
import { planChunks } from './text/chunks.js';
import { applyLexicon, checkOverrides, plainWords, withInlineProtected, type Lexicon } from './text/pronunciation.js';
import { KOKORO_VOCAB } from './backends/kokoro-vocab.js';

import { ENGINE_VERSION } from './engine-version.js';
import { validateSpeed } from './speed.js';
import { modelIdentity, recordedFileIdentity } from './models/model-identity.js';
import { lexiconDigest, wholeChunk, wholeRequestKey, WHOLE_REQUEST_SECONDS } from './request-cache.js';
export { ENGINE_VERSION } from './engine-version.js';
export type { AudioChunk } from './audio-chunk.js';
import type { AudioChunk } from './audio-chunk.js';
export { MAX_SPEED, MIN_SPEED, validateSpeed } from './speed.js';

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
  /** A cache shared with other processes (e.g. Redis), behind memory and disk. */
  sharedCache?: SharedAudioStore;
  /** Run each model in a worker thread, so synthesis never blocks this thread (servers). */
  backendThread?: boolean;
  /** Cap on the estimated memory of the models kept loaded (default 2 GiB); least recently used go first. */
  poolBytes?: number;
  session?: SessionOptions;
  /** Pronunciation overrides applied to every request (see text/pronunciation.ts). */
  lexicon?: Lexicon;
  /**
   * Also cache the whole output of short requests (up to WHOLE_REQUEST_SECONDS), so the same request
   * again is one cache read: request-cache.ts for a one-shot `say`, PreparedSpeech.whole for a server.
   */
  wholeRequests?: boolean;
  onEvent?: (e: EngineEvent) => void;
}

export interface SynthesisRequest extends VoiceRequest {
  text: string;
  /** 0.5 … 2.0; 1 is the model's natural pace. */
  speed?: number | string;
  signal?: AbortSignal;
  /** Bypass the caches for this request. */
  noCache?: boolean;
  /** Target integrated loudness in LUFS (default -16, true peak ≤ -1 dBTP); null: no normalization. */
  loudness?: number | null;
  /** Output sample rate in Hz (default: the model's). */
  sampleRate?: number;
  /** Pause after a sentence in ms (default 200; half of it after a clause). */
  pauseMs?: number;
}


function noText(): TtsError {
  return new TtsError('EMPTY_TEXT', 'There is no text to speak.', 'Pass the text as an argument (tts say "Hello") or on stdin (echo Hello | tts say).');
}

interface Plan {
  chunks: string[];
  rv: ResolvedVoice;
  speed: number;
  signal: AbortSignal | undefined;
  useCache: boolean;
  loudness: number | null;
  sampleRate: number | undefined;
  pauseMs: number | undefined;
  /** Where to keep the whole output (short requests with wholeRequests on). */
  requestKey?: string;
}

/** A request cut into chunks, ready to be produced chunk by chunk (see Engine.prepare). */
export interface PreparedSpeech {
  readonly texts: readonly string[];
  readonly voiceId: string;
  readonly model: string;
  isCached(index: number): Promise<boolean>;
  /** Chunk i from the cache (raw: no pause, no output stage), or undefined. */
  cached(index: number): Promise<AudioChunk | undefined>;
  /** Chunk i from the model (raw), cached for next time. */
  synthesize(index: number): Promise<AudioChunk>;
  /** The request's whole output, when an earlier one like it left it in the cache (wholeRequests): one chunk, no stage to run. */
  whole(): Promise<AudioChunk | undefined>;
  /** The request's chunks, in order, as they leave the engine: each with its pause, through the output stage (loudness, sample rate). */
  output(chunks: AsyncIterable<AudioChunk>): AsyncIterable<AudioChunk>;
}

export class Engine {
  readonly cacheDir: string;
  readonly cache: AudioCache;
  readonly phonemizer: Phonemizer;
  private readonly pool: BackendPool;
  private readonly identities = new Map<string, Promise<string>>();
  private readonly voiceLoudnessStore: VoiceLoudnessStore;
  private readonly calibrating = new Map<string, Promise<number>>();

  constructor(private readonly opts: EngineOptions = {}) {
    this.cacheDir = resolveCacheDir(opts.cacheDir);
    const disk = opts.cache !== false && opts.diskCache !== false;
    const cacheOpts: AudioCacheOptions = {
      ...(disk ? { dir: audioCacheDir(this.cacheDir) } : {}),
      ...(opts.memoryCacheBytes !== undefined ? { memoryBytes: opts.memoryCacheBytes } : {}),
      ...(opts.diskCacheBytes !== undefined ? { diskBytes: opts.diskCacheBytes } : {}),
      ...(opts.sharedCache && opts.cache !== false ? { shared: opts.sharedCache } : {}),
    };
    this.cache = new AudioCache(cacheOpts);
    this.phonemizer = new Phonemizer(disk ? join(this.cacheDir, 'phonemes') : undefined, { memory: opts.cache !== false });
    this.pool = new BackendPool(opts.poolBytes ?? 2 * 1024 ** 3);
    // Voice calibrations describe the model, not a request: kept on disk even with the caches off.
    this.voiceLoudnessStore = new VoiceLoudnessStore(opts.diskCache !== false ? join(this.cacheDir, 'loudness') : undefined);
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
    if (this.opts.backendThread && rv.family !== 'espeak') {
      const { ThreadedBackend } = await import('./backends/thread-backend.js');
      const disk = this.opts.cache !== false && this.opts.diskCache !== false;
      backend = await ThreadedBackend.load({ family: rv.family, model: rv.model, modelFile: rv.modelFile, session: ctx.session, ...(disk ? { phonemeDir: join(this.cacheDir, 'phonemes') } : {}), phonemeMemory: this.opts.cache !== false });
    } else if (rv.family === 'kokoro') {
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
    const plan: Plan = { ...this.plan(req), signal: req.signal, useCache: this.opts.cache !== false && !req.noCache };
    if (!plan.useCache || !this.opts.wholeRequests) return this.emitted(this.run(plan), plan);
    return async function* (this: Engine): AsyncGenerator<AudioChunk> {
      const key = this.requestKeyOf(req, plan, await this.modelIdentity(plan.rv));
      yield* this.emitted(this.run(plan), { ...plan, requestKey: key });
    }.call(this);
  }

  /** lexiconDigest(opts.lexicon), made on first use. */
  private overrides: string | undefined;

  private requestKeyOf(req: SynthesisRequest, plan: Pick<Plan, 'rv' | 'speed' | 'loudness' | 'sampleRate' | 'pauseMs'>, identity: string): string {
    this.overrides ??= lexiconDigest(this.opts.lexicon);
    return wholeRequestKey({ text: req.text ?? '', speed: plan.speed, loudness: plan.loudness, sampleRate: plan.sampleRate, pauseMs: plan.pauseMs }, plan.rv, identity, this.overrides);
  }

  /**
   * Speaks text that arrives in pieces (sentences from a pipe that stays open): each piece is
   * synthesized as soon as it comes, and all go through one output stage, so the loudness carries
   * across them. Every chunk is followed by its pause (the stream's end is not known in advance).
   */
  synthesizeStream(pieces: AsyncIterable<string>, req: Omit<SynthesisRequest, 'text'>): AsyncIterable<AudioChunk> {
    const speed = validateSpeed(req.speed ?? 1);
    const rv = this.resolve(req);
    const base: Plan = { chunks: [], rv, speed, signal: req.signal, useCache: this.opts.cache !== false && !req.noCache, ...this.outputOptions(req) };
    const run = async function* (this: Engine): AsyncGenerator<AudioChunk> {
      let index = 0;
      for await (const text of pieces) {
        let plan: Plan;
        try {
          plan = { ...base, ...this.plan({ ...req, text }) };
        } catch (err) {
          if (err instanceof TtsError && err.code === 'EMPTY_TEXT') continue; // a piece with no words
          throw err;
        }
        for await (const c of this.run(plan)) yield { ...c, index: index++, total: undefined, isLast: false };
      }
      if (index === 0) this.plan({ ...req, text: '' }); // throws EMPTY_TEXT
    }.call(this);
    return this.emitted(run, base);
  }

  private outputOptions(req: Omit<SynthesisRequest, 'text'>): Pick<Plan, 'loudness' | 'sampleRate' | 'pauseMs'> {
    return { loudness: req.loudness === undefined ? DEFAULT_LOUDNESS_LUFS : req.loudness, sampleRate: req.sampleRate, pauseMs: req.pauseMs };
  }

  /**
   * Checks a request and cuts its text into chunks: normalize by the voice's language (overrides
   * kept whole), then plan chunks (text/chunks.ts): Kokoro merges sentences, Piper and espeak speak one per chunk.
   */
  private plan(req: SynthesisRequest): Omit<Plan, 'signal' | 'useCache'> {
    const { speed } = this.check(req);
    const rv = this.resolve(req);
    const text = withInlineProtected(applyLexicon(req.text ?? '', this.opts.lexicon), (t) => normalizeText(t, rv.language));
    if (!plainWords(text).trim()) throw noText();
    if (rv.family === 'kokoro') checkOverrides(text, (s) => KOKORO_VOCAB.has(s), 'Kokoro', this.opts.lexicon);
    const mode = rv.family === 'kokoro' ? 'merge' : 'sentence';
    return { chunks: withInlineProtected(text, (t) => planChunks(t, { mode })), rv, speed, ...this.outputOptions(req) };
  }

  /** The checks of a request that need no model or voice: its text is not empty, its speed in range. */
  check(req: SynthesisRequest): { speed: number } {
    if (!plainWords(normalizeText(req.text ?? '', '')).trim()) throw noText();
    return { speed: validateSpeed(req.speed ?? 1) };
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
    const { chunks, rv } = plan;
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
      yield current;
    }
  }

  /**
   * The whole request from the cache, or undefined when a chunk is missing — in which case nothing
   * was loaded or synthesized. (The CLI's fast path for a fully cached `say`.)
   */
  async fromCache(req: SynthesisRequest): Promise<AsyncIterable<AudioChunk> | undefined> {
    if (this.opts.cache === false || req.noCache) return undefined;
    const plan: Plan = { ...this.plan(req), signal: undefined, useCache: true };
    const identity = await this.modelIdentity(plan.rv);
    const out: AudioChunk[] = [];
    for (let index = 0; index < plan.chunks.length; index++) {
      const hit = await this.cachedChunk(plan, identity, index);
      if (!hit) return undefined;
      out.push(hit);
    }
    // Normalizing needs the voice's calibration; measuring it would need the model.
    if (plan.loudness !== null && this.voiceLoudnessStore.get(calibrationKey(ENGINE_VERSION, identity, plan.rv.voiceId)) === undefined) return undefined;
    return this.emitted(out, this.opts.wholeRequests ? { ...plan, requestKey: this.requestKeyOf(req, plan, identity) } : plan);
  }


  /** The chunks as they leave the engine: each with its pause, through the request's output stage. */
  private async *emitted(chunks: AsyncIterable<AudioChunk> | Iterable<AudioChunk>, plan: Plan): AsyncGenerator<AudioChunk> {
    // The calibration (first use of a voice only) runs while the first chunk is synthesized.
    const voiceLufs = plan.loudness === null ? undefined : this.voiceLoudness(plan.rv);
    voiceLufs?.catch(() => undefined); // the chunks report the same failure
    let stage: OutputStage | undefined;
    // The output kept whole for plan.requestKey, while it stays short.
    let whole: Int16Array[] | undefined = plan.requestKey ? [] : undefined;
    let wholeSamples = 0;
    let rate = 0;
    for await (const c of chunks) {
      stage ??= new OutputStage({
        loudness: plan.loudness,
        ...(plan.sampleRate ? { sampleRate: plan.sampleRate } : {}),
        ...(voiceLufs ? { voiceLufs: await voiceLufs } : {}),
      });
      // Each chunk leaves followed by the pause that separates it from the next.
      const out = { ...c, ...(await stage.process(c.pcm, c.sampleRate, pauseSamples(c.text, c.isLast, c.sampleRate, plan.speed, plan.pauseMs))) };
      if (whole) {
        wholeSamples += out.pcm.length;
        rate = out.sampleRate;
        if (wholeSamples <= WHOLE_REQUEST_SECONDS * rate) whole.push(out.pcm);
        else whole = undefined;
        // Stored as the last chunk leaves (a consumer may stop reading there), written in the background; close() waits for it.
        if (whole && c.isLast) this.inBackground(this.cache.put(plan.requestKey!, { pcm: concatPcm16(whole), sampleRate: rate }));
      }
      yield out;
    }
  }

  private readonly background = new Set<Promise<void>>();

  private inBackground(p: Promise<void>): void {
    const tracked: Promise<void> = p.catch(() => undefined).finally(() => this.background.delete(tracked));
    this.background.add(tracked);
  }

  /** The voice's calibrated loudness: stored, or measured now (once per voice) and stored. */
  private async voiceLoudness(rv: ResolvedVoice): Promise<number> {
    const key = calibrationKey(ENGINE_VERSION, await this.modelIdentity(rv), rv.voiceId);
    const stored = this.voiceLoudnessStore.get(key);
    if (stored !== undefined) return stored;
    let measuring = this.calibrating.get(key);
    if (!measuring) {
      measuring = (async () => {
        const backend = await this.backend(rv);
        const meter = new LoudnessMeter(backend.sampleRate);
        for (const t of planChunks(normalizeText(CALIBRATION_TEXT, rv.language), { mode: 'sentence' })) meter.push(trimAndFade(await backend.synthesize(t, rv.voice, 1), backend.sampleRate));
        const lufs = meter.integrated();
        this.voiceLoudnessStore.set(key, lufs);
        return lufs;
      })().finally(() => this.calibrating.delete(key));
      this.calibrating.set(key, measuring);
    }
    return measuring;
  }

  /**
   * A checked request whose chunks can be produced one at a time, in any order, by a scheduler:
   * `isCached(i)` peeks (no audio read, not counted), `cached(i)` looks chunk i up without loading
   * anything, `synthesize(i)` runs the model (and caches the result). The last two return the
   * chunk followed by its pause, as `synthesize` yields it.
   */
  async prepare(req: SynthesisRequest): Promise<PreparedSpeech> {
    const useCache = this.opts.cache !== false && !req.noCache;
    const plan: Plan = { ...this.plan(req), signal: req.signal, useCache };
    const identity = useCache ? await this.modelIdentity(plan.rv) : '';
    const wholeKey = useCache && this.opts.wholeRequests ? this.requestKeyOf(req, plan, identity) : undefined;
    return {
      texts: plan.chunks,
      voiceId: plan.rv.voiceId,
      model: plan.rv.model.manifest.id,
      isCached: (i) => (useCache ? this.cache.has(this.chunkKey(plan, identity, i)) : Promise.resolve(false)),
      cached: (i) => (useCache ? this.cachedChunk(plan, identity, i) : Promise.resolve(undefined)),
      synthesize: async (i) => {
        if (plan.signal?.aborted) throw new TtsError('CANCELLED', 'Synthesis was cancelled.');
        return this.synthesizeChunk(plan, identity, i);
      },
      whole: async () => {
        const hit = wholeKey === undefined ? undefined : await this.cache.get(wholeKey, { countMiss: false });
        return hit && wholeChunk(req.text ?? '', hit);
      },
      output: (chunks) => this.emitted(chunks, wholeKey === undefined ? plan : { ...plan, requestKey: wholeKey }),
    };
  }

  private chunkKey(plan: Plan, identity: string, index: number): string {
    return chunkKey({ engineVersion: ENGINE_VERSION, modelIdentity: identity, voice: plan.rv.voiceId, speed: plan.speed, text: plan.chunks[index]! });
  }

  private async cachedChunk(plan: Plan, identity: string, index: number): Promise<AudioChunk | undefined> {
    const hit = await this.cache.get(this.chunkKey(plan, identity, index));
    return hit && { index, total: plan.chunks.length, text: plan.chunks[index]!, pcm: hit.pcm, sampleRate: hit.sampleRate, cached: true, isLast: index === plan.chunks.length - 1 };
  }

  /** One chunk's audio (without its pause): from the cache, or synthesized and then cached. */
  private async produce(plan: Plan, identity: string, index: number): Promise<AudioChunk> {
    if (plan.signal?.aborted) throw new TtsError('CANCELLED', 'Synthesis was cancelled.');
    this.opts.onEvent?.({ type: 'synth-start', index });
    const hit = plan.useCache ? await this.cachedChunk(plan, identity, index) : undefined;
    if (hit) {
      this.opts.onEvent?.({ type: 'synth-end', index, cached: true });
      return hit;
    }
    return this.synthesizeChunk(plan, identity, index);
  }

  /** One chunk's audio (without its pause), synthesized, then cached. */
  private async synthesizeChunk(plan: Plan, identity: string, index: number): Promise<AudioChunk> {
    const text = plan.chunks[index]!;
    const isLast = index === plan.chunks.length - 1;
    const backend = await this.backend(plan.rv);
    if (plan.signal?.aborted) throw new TtsError('CANCELLED', 'Synthesis was cancelled.');
    const samples = await backend.synthesize(text, plan.rv.voice, plan.speed);
    const pcm = floatToPcm16Finite(trimAndFade(samples, backend.sampleRate));
    if (!pcm) throw new TtsError('MODEL_CORRUPT', `The model ${plan.rv.model.manifest.id} produced invalid audio (NaN or infinite samples) for voice ${plan.rv.voiceId}.`, 'Its model or voice file is damaged: delete them and run `tts warm` to download them again.');
    if (plan.useCache) await this.cache.put(this.chunkKey(plan, identity, index), { pcm, sampleRate: backend.sampleRate }).catch(() => undefined);
    this.opts.onEvent?.({ type: 'synth-end', index, cached: false });
    return { index, total: plan.chunks.length, text, pcm, sampleRate: backend.sampleRate, cached: false, isLast };
  }

  /** sha256 of the model file (and voice pack), from their recorded identities (models/model-identity.ts). */
  private modelIdentity(rv: ResolvedVoice): Promise<string> {
    return modelIdentity(rv, (file) => this.identityOf(file));
  }

  private identityOf(file: string): Promise<string> {
    let p = this.identities.get(file);
    if (!p) {
      p = recordedFileIdentity(file);
      p.catch(() => this.identities.delete(file));
      this.identities.set(file, p);
    }
    return p;
  }

  stats(): { cache: CacheStats; phonemes: PhonemizerStats; loadedModels: string[] } {
    return { cache: this.cache.stats(), phonemes: this.phonemizer.stats(), loadedModels: this.pool.keys() };
  }

  async close(): Promise<void> {
    await Promise.all([...this.background]);
    await Promise.all([this.pool.closeAll(), this.cache.disk?.idle()]);
  }
}
