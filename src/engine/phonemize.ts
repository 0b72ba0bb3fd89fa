// Stage 3 of text → audio: text → IPA phonemes with espeak-ng (the `phonemizer` package: espeak-ng
// compiled to WebAssembly, with its data built in, so nothing is downloaded or built natively).
// espeak drops punctuation, but the models need it for prosody, so the text is cut at punctuation,
// the word runs are phonemized, and the punctuation is put back between them.
// Results are remembered per (language, text) in a small LRU, since the same sentences recur.

import { TtsError } from './errors.js';

const PUNCTUATION = /(\s*[;:,.!?¡¿—…"«»“”()[\]{}]+\s*)/u;
const CACHE_ENTRIES = 2000;

type PhonemizeFn = (text: string, language?: string) => Promise<string[]>;
let espeak: Promise<PhonemizeFn> | undefined;
const cache = new Map<string, string>();
let hits = 0;
let misses = 0;

function loadEspeak(): Promise<PhonemizeFn> {
  espeak ??= import('phonemizer').then((m) => m.phonemize as PhonemizeFn);
  return espeak;
}

/** Starts loading espeak-ng (and its voice data) so the first chunk does not wait for it. */
export async function preloadPhonemizer(language: string): Promise<void> {
  await (await loadEspeak())('', language);
}

/** True once the espeak-ng module has been imported in this process (for "did we load it?" checks). */
export function isPhonemizerLoaded(): boolean {
  return espeak !== undefined;
}

/** Phonemizes a text chunk, keeping its punctuation. `language` is an espeak-ng voice such as en-us. */
export async function phonemize(text: string, language: string): Promise<string> {
  const key = `${language}\u0000${text}`;
  const cached = cache.get(key);
  if (cached !== undefined) {
    hits++;
    cache.delete(key);
    cache.set(key, cached);
    return cached;
  }
  misses++;
  const run = await loadEspeak();
  let out = '';
  for (const part of text.split(PUNCTUATION)) {
    if (!part) continue;
    if (PUNCTUATION.test(part)) {
      out += punctuationWithSpacing(part);
    } else if (part.trim()) {
      out += (await run(part, language).catch((err: Error) => unsupported(language, err))).join(' ');
    }
  }
  out = out.trim();
  cache.set(key, out);
  if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  return out;
}

function unsupported(language: string, err: Error): never {
  if (/Invalid language identifier/.test(err.message)) {
    throw new TtsError('UNKNOWN_VOICE', `The phonemizer has no "${language}" language; it covers English (en-us, en-gb and other en-* accents).`, 'Choose an English voice (names starting with a or b, e.g. af_heart, bf_emma).');
  }
  throw err;
}

/** Keeps a punctuation run as written, with at most one space on either side. */
function punctuationWithSpacing(part: string): string {
  const lead = /^\s/.test(part) ? ' ' : '';
  const trail = /\s$/.test(part) ? ' ' : '';
  return lead + part.trim() + trail;
}

export function phonemeCacheStats(): { hits: number; misses: number; entries: number } {
  return { hits, misses, entries: cache.size };
}
