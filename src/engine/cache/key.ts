// Cache keys. A chunk's audio depends on: the engine's processing (ENGINE_VERSION), the model file
// and voice file (their sha256), the voice name, the speed and the normalized chunk text. All of
// these are known before the phonemizer or the model is loaded, so a hit loads neither.
import { createHash } from 'node:crypto';

export interface ChunkKeyParts {
  engineVersion: string;
  /** sha256 of the model file (and of the voice file, for Kokoro), joined. */
  modelIdentity: string;
  voice: string;
  speed: number;
  text: string;
}

export function chunkKey(p: ChunkKeyParts): string {
  return createHash('sha256')
    .update(['audio', p.engineVersion, p.modelIdentity, p.voice, p.speed.toFixed(3), p.text].join('\u0000'))
    .digest('hex');
}

export function phonemeKey(phonemizerId: string, language: string, text: string): string {
  return createHash('sha256').update(['phonemes', phonemizerId, language, text].join('\u0000')).digest('hex');
}
