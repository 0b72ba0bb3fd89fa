// Messages between a ThreadedBackend (thread-backend.ts) and its worker thread (thread-worker.ts).
import type { InstalledModel } from '../models/installed.js';
import type { SessionOptions } from '../session.js';

export interface LoadMessage {
  family: 'kokoro' | 'piper';
  model: InstalledModel;
  modelFile: string;
  session: SessionOptions;
  /** Phoneme disk cache folder (undefined: none). */
  phonemeDir?: string;
  phonemeMemory: boolean;
}

export type Request =
  | { id: number; op: 'synthesize'; text: string; voice: string; speed: number }
  | { id: number; op: 'inspect'; text: string; voice: string }
  | { id: number; op: 'close' };

export type Reply =
  | { id: 0; op: 'loaded'; sampleRate: number; provider: string; loadMs: number; threads: number; voices: string[] }
  | { id: number; op: 'result'; value: unknown }
  | { id: number; op: 'error'; error: { name: string; message: string; code?: string; hint?: string } };
