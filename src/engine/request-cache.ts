// Whole requests in the audio cache: a short request's output, after every stage, kept under a key
// made of everything it depends on (cache/key.ts requestKey), so the same one-shot `say` again is
// one cache read — no text processing, no model, no output stage. Looking one up needs only the
// files on disk (resolve.ts, models/model-identity.ts), not the engine.
import { ENGINE_VERSION } from './engine-version.js';
import { requestKey } from './cache/key.js';
import { AudioCache, type CachedClip } from './cache/audio-cache.js';
import { audioCacheDir } from './models/paths.js';
import { modelIdentity } from './models/model-identity.js';
import { resolveVoice, type ResolvedVoice, type VoiceRequest } from './resolve.js';
import { validateSpeed } from './speed.js';
import type { Lexicon } from './text/pronunciation.js';
import type { AudioChunk } from './audio-chunk.js';

/** Longest output kept whole. */
export const WHOLE_REQUEST_SECONDS = 30;

export interface WholeRequest {
  text: string;
  speed: number;
  loudness: number | null;
  sampleRate: number | undefined;
  pauseMs: number | undefined;
}

/** The pronunciation overrides in the stable form a key holds ('' for none); computed once per lexicon. */
export function lexiconDigest(lexicon: Lexicon | undefined): string {
  return lexicon ? JSON.stringify([...lexicon.entries].map(([w, e]) => [w, e.phonemes ?? '', e.respelling ?? ''])) : '';
}

/** `overrides`: lexiconDigest of the request's pronunciation lexicon. */
export function wholeRequestKey(req: WholeRequest, rv: ResolvedVoice, identity: string, overrides: string): string {
  return requestKey({ engineVersion: ENGINE_VERSION, modelIdentity: identity, voice: rv.voiceId, speed: req.speed, loudness: req.loudness, sampleRate: req.sampleRate, pauseMs: req.pauseMs, lexicon: overrides, text: req.text });
}

/** A request's whole output from the disk cache of `cacheDir`, or undefined (also when the request is not valid). */
export async function cachedWholeRequest(
  cacheDir: string,
  req: VoiceRequest & Omit<WholeRequest, 'speed'> & { speed: number | string },
  lexicon: Lexicon | undefined,
): Promise<CachedClip | undefined> {
  try {
    const rv = resolveVoice(cacheDir, req);
    const key = wholeRequestKey({ ...req, speed: validateSpeed(req.speed) }, rv, await modelIdentity(rv), lexiconDigest(lexicon));
    return await new AudioCache({ dir: audioCacheDir(cacheDir) }).get(key);
  } catch {
    return undefined;
  }
}

/** A whole request's output as the one chunk of its text. */
export function wholeChunk(text: string, clip: CachedClip): AudioChunk {
  return { index: 0, total: 1, text, pcm: clip.pcm, sampleRate: clip.sampleRate, cached: true, isLast: true };
}

/** The same, as the stream of chunks a sink takes. */
export async function* wholeChunks(text: string, clip: CachedClip): AsyncGenerator<AudioChunk> {
  yield wholeChunk(text, clip);
}
