// Stage 3 of text → audio: text → IPA phonemes with espeak-ng, compiled to WebAssembly so nothing
// is downloaded or built natively: the `phonemizer` package for English (fast, in-process), and
// the full espeak-ng program (espeak-wasm.ts) for the other languages.
// espeak drops punctuation, but the models need it for prosody, so the text is cut at punctuation,
// the word runs are phonemized, and the punctuation is put back between them.
// espeak in WebAssembly costs a few ms per character, so results are cached: in memory, and on
// disk when the engine gives a folder (phonemes depend on neither voice nor speed, so a new voice
// or speed for a known sentence skips espeak entirely).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DiskCache } from './cache/disk.js';
import { phonemeKey } from './cache/key.js';
import { MemoryLru } from './cache/memory.js';
import { TtsError } from './errors.js';
import { KOKORO_G2P_ID, KokoroG2P, kokoroScheme } from './g2p/kokoro-g2p.js';

const PUNCTUATION = /(\s*[;:,.!?¡¿—…"«»“”()[\]{}]+\s*)/u;
const LANGUAGE_FLAG = /\([a-z]{2,3}(?:-[a-z0-9]+)?\)/gi;

type PhonemizeFn = (text: string, language?: string) => Promise<string[]>;
let espeak: Promise<PhonemizeFn> | undefined;

function loadEspeak(): Promise<PhonemizeFn> {
  espeak ??= (async () => {
    // The package's Emscripten runtime installs process-wide handlers that rethrow any unhandled
    // rejection or exception from inside its minified source (printing megabytes of it). Ours
    // are the process's business, so its handlers are removed again.
    const before = { r: process.listeners('unhandledRejection'), e: process.listeners('uncaughtException') };
    const m = await import('phonemizer');
    for (const l of process.listeners('unhandledRejection')) if (!before.r.includes(l)) process.off('unhandledRejection', l);
    for (const l of process.listeners('uncaughtException')) if (!before.e.includes(l)) process.off('uncaughtException', l);
    return m.phonemize as PhonemizeFn;
  })();
  return espeak;
}

/** The installed phonemizer's version: part of the phoneme cache key. */
function phonemizerVersion(): string {
  try {
    const main = fileURLToPath(import.meta.resolve('phonemizer'));
    const pkg = JSON.parse(readFileSync(new URL('../package.json', `file://${main}`), 'utf8')) as { version: string };
    return `phonemizer@${pkg.version}`;
  } catch {
    return 'phonemizer@unknown';
  }
}

/** The `phonemizer` package carries English only; other languages go to the full espeak-ng. */
async function espeakFor(language: string): Promise<PhonemizeFn> {
  if (/^en(-|$)/i.test(language)) {
    // The package keeps American rules for `en-gb` once `en-us` has been used in the process;
    // `en` (espeak-ng's British English voice) switches back correctly.
    const run = await loadEspeak();
    return (text, lang) => run(text, /^en-gb$/i.test(lang ?? language) ? 'en' : (lang ?? language));
  }
  const { espeakPhonemes } = await import('./espeak-wasm.js');
  return async (text, lang) => [await espeakPhonemes(text, lang ?? language)];
}

/** espeak-ng over a text chunk, punctuation kept, with no caching. */
async function phonemizeUncached(text: string, language: string): Promise<string> {
  const run = await espeakFor(language);
  let out = '';
  for (const part of text.split(PUNCTUATION)) {
    if (!part) continue;
    if (PUNCTUATION.test(part)) {
      out += punctuationWithSpacing(part);
    } else if (part.trim()) {
      const ipa = (await run(part, language).catch((err: Error) => unsupported(language, err))).join(' ');
      out += ipa.replace(LANGUAGE_FLAG, ''); // espeak marks foreign words with "(en)" … "(fr)"
    }
  }
  return out.trim();
}

function unsupported(language: string, err: Error): never {
  if (/Invalid language identifier/.test(err.message)) {
    throw new TtsError('UNKNOWN_VOICE', `espeak-ng has no "${language}" English accent.`, 'Use en-us or en-gb.');
  }
  throw err;
}

/** Keeps a punctuation run as written, with at most one space on either side. */
function punctuationWithSpacing(part: string): string {
  const lead = /^\s/.test(part) ? ' ' : '';
  const trail = /\s$/.test(part) ? ' ' : '';
  return lead + part.trim() + trail;
}

export interface PhonemizerStats {
  memoryHits: number;
  diskHits: number;
  misses: number;
}

export class Phonemizer {
  private readonly memory = new MemoryLru<string>(4 * 1024 * 1024, (s) => s.length * 2 + 64);
  private readonly disk: DiskCache | undefined;
  private id: string | undefined;
  private counts: PhonemizerStats = { memoryHits: 0, diskHits: 0, misses: 0 };

  /**
   * `diskDir`: folder for the on-disk phoneme cache (none when undefined); `memory: false` turns the
   * in-memory cache off too, so every chunk runs espeak (what `--no-cache` and the warm bench measure).
   */
  constructor(diskDir?: string, opts: { memory?: boolean } = {}) {
    this.disk = diskDir ? new DiskCache(diskDir, 32 * 1024 * 1024) : undefined;
    this.useMemory = opts.memory !== false;
  }

  private readonly useMemory: boolean;

  /** Starts espeak-ng (~0.1 s) ahead of need, e.g. while a model loads. */
  async preload(language: string): Promise<void> {
    if (/^en(-|$)/i.test(language)) await (await loadEspeak())('', language);
  }

  /** Phonemizes a text chunk, keeping its punctuation. `language` is an espeak-ng voice such as en-us. */
  async phonemize(text: string, language: string): Promise<string> {
    this.id ??= phonemizerVersion();
    return this.cached(phonemeKey(this.id, language, text), () => phonemizeUncached(text, language));
  }

  /**
   * Kokoro's phonemes for a text chunk, as misaki makes them for the voice's language (`en-us`,
   * `en-gb`, `es` …; see g2p/kokoro-g2p.ts), the English lexicons read from `lexiconDir`.
   * Undefined when the English lexicons are missing (the caller then uses espeak-ng's IPA); then
   * `lex.expected` says so once on stderr (for models whose catalog entry lists lexicons).
   * `lex.own`: the folder is the installed model's, where fast-loading copies may be left.
   */
  async kokoro(text: string, language: string, lex: { dir: string | undefined; expected?: boolean; own?: boolean }): Promise<string | undefined> {
    const g2p = this.kokoroG2P(lex);
    const scheme = kokoroScheme(language);
    if (scheme === 'misaki-en' && !g2p.hasLexicon(language === 'en-gb')) {
      await g2p.phonemize(text, language); // says once that the lexicons are missing
      return undefined;
    }
    if (scheme === 'unsupported') await g2p.phonemize(text, language); // refuses
    this.id ??= phonemizerVersion();
    return this.cached(phonemeKey(`${KOKORO_G2P_ID}+${this.id}`, language, text), async () => (await g2p.phonemize(text, language))!);
  }

  private readonly g2ps = new Map<string, KokoroG2P>();

  private kokoroG2P(lex: { dir: string | undefined; expected?: boolean; own?: boolean }): KokoroG2P {
    let g = this.g2ps.get(lex.dir ?? '');
    if (!g) {
      const notice = lex.expected ? { notice: (line: string) => void process.stderr.write(`${line}\n`) } : {};
      g = new KokoroG2P({ lexiconDir: lex.dir, packLexicons: !!lex.own, ...notice });
      this.g2ps.set(lex.dir ?? '', g);
    }
    return g;
  }

  private async cached(key: string, make: () => Promise<string>): Promise<string> {
    const mem = this.useMemory ? this.memory.get(key) : undefined;
    if (mem !== undefined) {
      this.counts.memoryHits++;
      return mem;
    }
    const stored = await this.disk?.get(key);
    if (stored) {
      this.counts.diskHits++;
      const s = stored.toString('utf8');
      this.memory.set(key, s);
      return s;
    }
    this.counts.misses++;
    const out = await make();
    if (this.useMemory) this.memory.set(key, out);
    await this.disk?.put(key, Buffer.from(out, 'utf8')).catch(() => undefined);
    return out;
  }

  stats(): PhonemizerStats {
    return { ...this.counts };
  }
}
