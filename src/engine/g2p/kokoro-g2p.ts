// Text → Kokoro phonemes, per voice language, chosen as kokoro's KPipeline chooses its G2P:
//   a (American) / b (British): misaki's English G2P (en.ts) with the us_* / gb_* lexicons and
//     espeak-ng (en-us / en-gb) for the words they do not know;
//   e f h i p: espeak-ng (es, fr-fr, hi, it, pt-br) through misaki's EspeakG2P table;
//   j z: misaki's Japanese and Chinese G2Ps, which this project does not have: refused.
// The lexicons load on the first text that needs them (never for a cached sentence); espeak-ng
// loads on the first word they lack, and its answers are kept per word.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TtsError } from '../errors.js';
import { EnglishG2P } from './en.js';
import { englishFromEspeak, espeakEach, otherFromEspeak } from './espeak-fallback.js';
import { LEXICON_FILES, Lexicon } from './lexicon.js';


/**
 * What the phonemes depend on besides the text and language (part of the phoneme cache key):
 * this G2P's rules, the lexicons' pinned revision, the tagger, the espeak-ng build.
 */
export const KOKORO_G2P_ID = 'misaki-g2p@1+lexicons@fba12365+wink-pos-tagger@2.2.2+espeak-ng@1.0.2';

export type KokoroScheme = 'misaki-en' | 'misaki-espeak' | 'unsupported';

export function kokoroScheme(language: string): KokoroScheme {
  if (language === 'en-us' || language === 'en-gb') return 'misaki-en';
  if (language === 'ja' || language === 'cmn') return 'unsupported';
  return 'misaki-espeak';
}

const PUNCTUATION = /(\s*[;:,.!?¡¿—…"«»“”()[\]{}]+\s*)/u;

function refuse(language: string): never {
  const what = language === 'ja' ? 'Japanese (misaki’s ja G2P: kana/kanji to phonemes with pitch accent)' : 'Mandarin Chinese (misaki’s zh G2P: pinyin with tones written ↓↗↘→)';
  throw new TtsError(
    'UNSUPPORTED_VOICE',
    `Kokoro's ${language === 'ja' ? 'Japanese' : 'Chinese'} voices need ${what}, which tts does not have yet; espeak-ng's reading would be wrong audio.`,
    'Use an English, Spanish, French, Hindi, Italian or Portuguese Kokoro voice (a…, b…, e…, f…, h…, i…, p…), or a Piper voice for this language.',
  );
}

export interface KokoroG2POptions {
  /** Folder with us_gold.json, us_silver.json, gb_gold.json, gb_silver.json. */
  lexiconDir: string | undefined;
  /** Told once when the lexicons are missing (English then goes through espeak-ng alone). */
  notice?: (line: string) => void;
  /** Leave fast-loading copies of the lexicons in `lexiconDir` (a folder of our own). */
  packLexicons?: boolean;
}

export class KokoroG2P {
  private readonly english = new Map<boolean, EnglishG2P | null>();
  private readonly espeakWords = new Map<string, string | undefined>();
  private noticed = false;

  constructor(private readonly opts: KokoroG2POptions) {}

  /** Whether English for this accent can use the lexicons (checked without loading them). */
  hasLexicon(british: boolean): boolean {
    const dir = this.opts.lexiconDir;
    return !!dir && LEXICON_FILES[british ? 'gb' : 'us'].every((f) => existsSync(join(dir, f)));
  }

  /** The English G2P for an accent, or null when its lexicons are missing. */
  englishG2P(british: boolean): EnglishG2P | null {
    let g = this.english.get(british);
    if (g === undefined) {
      const dir = this.opts.lexiconDir!;
      g = this.hasLexicon(british) ? new EnglishG2P(Lexicon.load(dir, british, this.opts.packLexicons), this.opts.packLexicons ? dir : undefined) : null;
      this.english.set(british, g);
    }
    return g;
  }

  /** Kokoro phonemes for a text chunk in a Kokoro language (`en-us`, `en-gb`, `es`, …). */
  async phonemize(text: string, language: string): Promise<string | undefined> {
    const scheme = kokoroScheme(language);
    if (scheme === 'unsupported') refuse(language);
    if (scheme === 'misaki-espeak') return this.other(text, language);
    const british = language === 'en-gb';
    const g2p = this.englishG2P(british);
    if (!g2p) {
      if (!this.noticed) {
        this.noticed = true;
        this.opts.notice?.(`tts: the ${british ? 'British' : 'American'} English lexicons are not installed (${this.opts.lexiconDir ?? 'no folder'}); reading English with espeak-ng alone, which Kokoro was not trained on. Run \`tts warm\` to install them.`);
      }
      return undefined;
    }
    // The lexicon alone says most texts whole; only then are out-of-lexicon words sent to espeak-ng.
    const first = g2p.attempt(text);
    if (first.unknown.length === 0) return first.phonemes;
    await this.fetchUnknown(first.unknown, british);
    const key = british ? 'b:' : 'a:';
    return g2p.phonemize(text, (w) => this.espeakWords.get(key + w));
  }

  /** Per word (for tests): the English G2P's words and phonemes. */
  async words(text: string, british: boolean): Promise<{ text: string; phonemes: string }[]> {
    const g2p = this.englishG2P(british);
    if (!g2p) throw new TtsError('MODEL_MISSING', 'The English lexicons are not installed.', 'Run `tts warm`.');
    await this.fetchUnknown(g2p.unknownWords(text), british);
    const key = british ? 'b:' : 'a:';
    return g2p.words(text, (w) => this.espeakWords.get(key + w));
  }

  private async fetchUnknown(words: string[], british: boolean): Promise<void> {
    const key = british ? 'b:' : 'a:';
    const missing = words.filter((w) => !this.espeakWords.has(key + w));
    if (missing.length === 0) return;
    const ipa = await espeakEach(missing, british ? 'en-gb' : 'en-us');
    missing.forEach((w, i) => this.espeakWords.set(key + w, ipa[i] ? englishFromEspeak(ipa[i]!, british) : undefined));
  }

  /** es/fr/hi/it/pt-br: espeak-ng per run of words, punctuation kept between them. */
  private async other(text: string, language: string): Promise<string> {
    const src = text.replaceAll('«', '“').replaceAll('»', '”');
    const parts = src.split(PUNCTUATION).filter((p) => p);
    const words = parts.filter((p) => !PUNCTUATION.test(p) && p.trim());
    const ipa = await espeakEach(words.map((w) => w.trim()), language);
    let at = 0;
    let out = '';
    for (const p of parts) {
      if (PUNCTUATION.test(p)) out += (/^\s/.test(p) ? ' ' : '') + p.trim() + (/\s$/.test(p) ? ' ' : '');
      else if (p.trim()) out += otherFromEspeak(ipa[at++] ?? '');
    }
    return out.trim();
  }
}
