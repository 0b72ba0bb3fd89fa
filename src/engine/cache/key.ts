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

/**
 * A whole request's output (after the output stage), for a cached one-shot `say` that then runs no
 * stage at all: everything the output depends on besides the chunk parts — the request's raw text
 * (before normalization), the pronunciation overrides, loudness, sample rate and pauses.
 */
export interface RequestKeyParts extends ChunkKeyParts {
  loudness: number | null;
  sampleRate: number | undefined;
  pauseMs: number | undefined;
  /** The user's pronunciation overrides, in a stable form ('' when none). */
  lexicon: string;
}

export function requestKey(p: RequestKeyParts): string {
  return createHash('sha256')
    .update(['request', p.engineVersion, p.modelIdentity, p.voice, p.speed.toFixed(3), String(p.loudness), String(p.sampleRate ?? ''), String(p.pauseMs ?? ''), p.lexicon, p.text].join('\u0000'))
    .digest('hex');
}

export function phonemeKey(phonemizerId: string, language: string, text: string): string {
  return createHash('sha256').update(['phonemes', phonemizerId, language, text].join('\u0000')).digest('hex');
}
