// Post-processing of each synthesized chunk, so that chunks join without gaps or clicks:
// leading and trailing silence is trimmed (keeping a short margin), the edges get a short
// raised-cosine fade, and at playback a fixed pause follows each sentence (shorter after a clause).

/** Samples below this magnitude (about -54 dBFS) count as silence. */
const SILENCE = 0.002;
const MARGIN_MS = 10;
const FADE_MS = 4;
export const SENTENCE_PAUSE_MS = 200;
export const CLAUSE_PAUSE_MS = 100;

/**
 * Trims silence at both ends (keeping MARGIN_MS) and fades the new edges in and out. The result is
 * a view of `samples`, faded in place (the model's output belongs to the engine; no copy is made).
 * NaN and infinite samples count as sound, so they stay for the caller to find.
 */
export function trimAndFade(samples: Float32Array, sampleRate: number): Float32Array {
  let first = 0;
  while (first < samples.length && Math.abs(samples[first]!) < SILENCE) first++;
  if (first === samples.length) return new Float32Array(0);
  let last = samples.length - 1;
  while (last > first && Math.abs(samples[last]!) < SILENCE) last--;
  const margin = Math.round((MARGIN_MS / 1000) * sampleRate);
  const out = samples.subarray(Math.max(0, first - margin), Math.min(samples.length, last + 1 + margin));
  const fade = Math.min(Math.round((FADE_MS / 1000) * sampleRate), out.length >> 1);
  for (let i = 0; i < fade; i++) {
    const g = 0.5 - 0.5 * Math.cos((Math.PI * (i + 0.5)) / fade);
    out[i]! *= g;
    out[out.length - 1 - i]! *= g;
  }
  return out;
}

/**
 * The pause after a chunk: none after the last, a sentence pause after . ! ? …, else a clause pause
 * (half a sentence pause). `sentenceMs` overrides the sentence pause (--pause).
 */
export function pauseSamples(chunkText: string, isLast: boolean, sampleRate: number, speed: number, sentenceMs = SENTENCE_PAUSE_MS): number {
  if (isLast) return 0;
  const ms = /[.!?…]["'”)\]]*$/.test(chunkText) ? sentenceMs : sentenceMs * (CLAUSE_PAUSE_MS / SENTENCE_PAUSE_MS);
  return Math.round(((ms / 1000) * sampleRate) / speed);
}

/** `pcm` followed by `pause` samples of silence. */
export function withPause(pcm: Int16Array, pause: number): Int16Array {
  if (pause === 0) return pcm;
  const out = new Int16Array(pcm.length + pause);
  out.set(pcm);
  return out;
}
