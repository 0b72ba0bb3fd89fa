// The engine: the one text → audio pipeline under every command.
//
//   normalize → split into chunks → (per chunk) phonemize → ids → model → PCM16 → yield
//
// `synthesize` is an async iterable of audio chunks; every sink (speakers, WAV file, stdout,
// JSON-lines events) consumes that one shape.
import type { Backend } from './backends/backend.js';
import { floatToPcm16 } from './audio/pcm.js';
import { TtsError } from './errors.js';
import { resolveCacheDir } from './models/paths.js';
import { resolveVoice, type ResolvedVoice, type VoiceRequest } from './resolve.js';
import type { SessionOptions } from './session.js';
import { normalizeText } from './text/normalize.js';
import { splitText } from './text/split.js';

export const ENGINE_VERSION = '1';
export const MIN_SPEED = 0.5;
export const MAX_SPEED = 2.0;

export interface EngineOptions extends SessionOptions {
  /** Per-user cache directory (models, audio cache); see resolveCacheDir. */
  cacheDir?: string;
}

export interface SynthesisRequest extends VoiceRequest {
  text: string;
  /** 0.5 … 2.0; 1 is the model's natural pace. */
  speed?: number | string;
  signal?: AbortSignal;
}

export interface AudioChunk {
  /** 0-based position of the chunk in the text. */
  index: number;
  /** The normalized text this chunk speaks. */
  text: string;
  pcm: Int16Array;
  sampleRate: number;
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

export class Engine {
  readonly cacheDir: string;
  private readonly backends = new Map<string, Promise<Backend>>();

  constructor(private readonly opts: EngineOptions = {}) {
    this.cacheDir = resolveCacheDir(opts.cacheDir);
  }

  /** Which model and voice a request means (reads files only; loads nothing). */
  resolve(req: VoiceRequest): ResolvedVoice {
    return resolveVoice(this.cacheDir, req);
  }

  /** The loaded backend for a resolved voice, loading it on first use and keeping it. */
  backend(rv: ResolvedVoice): Promise<Backend> {
    const key = `${rv.model.dir}#${rv.dtype}`;
    let b = this.backends.get(key);
    if (!b) {
      b = this.loadBackend(rv);
      b.catch(() => this.backends.delete(key));
      this.backends.set(key, b);
    }
    return b;
  }

  private async loadBackend(rv: ResolvedVoice): Promise<Backend> {
    const session = { threads: this.opts.threads, providers: this.opts.providers };
    if (rv.family === 'kokoro') {
      const { KokoroBackend } = await import('./backends/kokoro.js');
      return KokoroBackend.load(rv.model, rv.modelFile, session);
    }
    throw new TtsError('UNKNOWN_MODEL', `Model family "${rv.family}" is not supported yet.`);
  }

  /**
   * Speaks `req.text`: chunks of audio in order, each as soon as it is ready. The request is checked
   * (text, speed, model, voice) before this returns, so a bad request fails before any sink starts.
   */
  synthesize(req: SynthesisRequest): AsyncIterable<AudioChunk> {
    const text = normalizeText(req.text ?? '');
    if (!text) throw new TtsError('EMPTY_TEXT', 'There is no text to speak.', 'Pass the text as an argument (tts say "Hello") or on stdin (echo Hello | tts say).');
    const speed = validateSpeed(req.speed ?? 1);
    const rv = this.resolve(req);
    return this.run(splitText(text), rv, speed, req.signal);
  }

  private async *run(chunks: string[], rv: ResolvedVoice, speed: number, signal?: AbortSignal): AsyncGenerator<AudioChunk> {
    const backend = await this.backend(rv);
    for (let index = 0; index < chunks.length; index++) {
      if (signal?.aborted) throw new TtsError('CANCELLED', 'Synthesis was cancelled.');
      const samples = await backend.synthesize(chunks[index]!, rv.voice, speed);
      yield { index, text: chunks[index]!, pcm: floatToPcm16(samples), sampleRate: backend.sampleRate };
    }
  }

  async close(): Promise<void> {
    const all = [...this.backends.values()];
    this.backends.clear();
    await Promise.all(all.map(async (b) => (await b).close().catch(() => undefined)));
  }
}
