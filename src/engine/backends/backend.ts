// What every synthesis backend offers the engine. A backend holds one loaded model; the engine
// hands it one chunk of normalized text at a time and gets float samples back.
import type { Phonemizer } from '../phonemize.js';
import type { SessionOptions } from '../session.js';

/** What the engine gives a backend when loading it. */
export interface BackendContext {
  session: SessionOptions;
  phonemizer: Phonemizer;
}

export interface Backend {
  readonly family: 'kokoro' | 'piper' | 'espeak';
  readonly sampleRate: number;
  /** The execution provider that really loaded (cpu, cuda, coreml; "wasm" for espeak). */
  readonly provider: string;
  readonly loadMs: number;
  /** Intra-op threads of its session (1 where there is none). */
  readonly threads: number;
  /** ONNX backends: the graph optimization level, whether the cached optimized model was used, and what failed on the way. */
  readonly optLevel?: string;
  readonly optimized?: boolean;
  readonly notes?: readonly string[];
  /** Voices this backend can speak with. */
  voices(): string[];
  /** One chunk of normalized text → mono samples at `sampleRate`, in [-1, 1]. */
  synthesize(text: string, voice: string, speed: number): Promise<Float32Array>;
  /** What `synthesize` would send the model for a chunk: its phonemes and id sequences. */
  inspect(text: string, voice: string): Promise<{ phonemes: string; ids: number[][] }>;
  close(): Promise<void>;
}
