// English G2P for Kokoro, as misaki's `en.G2P` (version None, the one Kokoro v1.0 was trained
// with) produces it: tokens → sub-tokens grouped into words → each word, from the last to the
// first, looked up in the lexicon with what follows it as context → words the lexicon cannot say
// sent whole to espeak-ng (espeak-fallback.ts) → stress balanced inside multi-part words →
// flaps `ɾ` written `T` and glottal stops `ʔ` written `t`.
// Out-of-lexicon words are collected in a first pass and phonemized in one espeak-ng call; the
// second pass then runs with their phonemes, so the context they give their neighbours is exact.
import { CONSONANTS, PRIMARY, VOWELS, applyStress, type Lexicon, type TokenContext } from './lexicon.js';
import { tokenize, type RawToken } from './tokens.js';

interface MToken {
  text: string;
  tag: string;
  whitespace: string;
  phonemes: string | undefined;
  isHead: boolean;
  prespace: boolean;
}

/** Phonemes for words the lexicon does not know; undefined when it cannot say either. */
export type Fallback = (word: string) => string | undefined;

const SUBTOKEN = /^['‘’]+|\p{Lu}(?=\p{Lu}\p{Ll})|(?:^-)?(?:\d?[,.]?\d)+|[-_]+|['‘’]{2,}|\p{L}*?(?:['‘’]\p{L})*?\p{Ll}(?=\p{Lu})|\p{L}+(?:['‘’]\p{L})*|[^-_\p{L}'‘’\d]|['‘’]+$/gu;
const JUNK = new Set("',-._‘’/");
const NON_QUOTE_PUNCTS = new Set(';:,.!?—…');
const DIPHTHONGS = new Set('AIOQWYʤʧ');

const subtokenize = (word: string): string[] => [...word.matchAll(SUBTOKEN)].map((m) => m[0]);
const allJunk = (s: string): boolean => [...s].every((c) => JUNK.has(c));
const stressWeight = (ps: string): number => [...ps].reduce((n, c) => n + (DIPHTHONGS.has(c) ? 2 : 1), 0);
const caseWeight = (s: string): number => [...s].reduce((n, c) => n + (c === c.toLowerCase() ? 1 : 2), 0);

/** Several sub-tokens as one (misaki's merge_tokens). */
function merge(tokens: MToken[], unk?: string): MToken {
  let phonemes: string | undefined;
  if (unk !== undefined) {
    phonemes = '';
    for (const tk of tokens) {
      if (tk.prespace && phonemes && !/\s$/.test(phonemes) && tk.phonemes) phonemes += ' ';
      phonemes += tk.phonemes ?? unk;
    }
  }
  let heaviest = tokens[0]!;
  for (const tk of tokens) if (caseWeight(tk.text) > caseWeight(heaviest.text)) heaviest = tk;
  return {
    text: tokens.slice(0, -1).map((t) => t.text + t.whitespace).join('') + tokens[tokens.length - 1]!.text,
    tag: heaviest.tag,
    whitespace: tokens[tokens.length - 1]!.whitespace,
    phonemes,
    isHead: tokens[0]!.isHead,
    prespace: tokens[0]!.prespace,
  };
}

type Word = MToken | MToken[];

/** Sub-tokens grouped into words (misaki's retokenize, without its currency and number rules). */
function retokenize(raw: RawToken[]): Word[] {
  const words: Word[] = [];
  for (const token of raw) {
    const tks: MToken[] = subtokenize(token.text).map((t) => ({ text: t, tag: token.tag, whitespace: '', phonemes: undefined, isHead: true, prespace: false }));
    if (tks.length === 0) continue;
    tks[tks.length - 1]!.whitespace = token.whitespace;
    for (const tk of tks) {
      if (token.punct !== undefined) tk.phonemes = token.punct === '—' ? '—' : /^[“”()]$/.test(token.punct) ? token.punct : [...tk.text].filter((c) => NON_QUOTE_PUNCTS.has(c) || '"“”'.includes(c)).join('');
      const last = words[words.length - 1];
      if (tk.phonemes !== undefined) words.push(tk);
      else if (Array.isArray(last) && !last[last.length - 1]!.whitespace) {
        tk.isHead = false;
        last.push(tk);
      } else words.push(tk.whitespace ? tk : [tk]);
    }
  }
  return words.map((w) => (Array.isArray(w) && w.length === 1 ? w[0]! : w));
}

/** What a word's phonemes tell the word before it (misaki's token_context). */
function nextContext(ctx: TokenContext, ps: string | undefined, token: MToken): TokenContext {
  let vowel = ctx.futureVowel;
  if (ps) {
    for (const c of ps) {
      if (NON_QUOTE_PUNCTS.has(c)) {
        vowel = undefined;
        break;
      }
      if (VOWELS.has(c) || CONSONANTS.has(c)) {
        vowel = VOWELS.has(c);
        break;
      }
    }
  }
  const futureTo = token.text === 'to' || token.text === 'To' || (token.text === 'TO' && (token.tag === 'TO' || token.tag === 'IN'));
  return { futureVowel: vowel, futureTo };
}

/** Stress balance inside a word of several parts, and where their phonemes get a space. */
function resolveWord(tokens: MToken[]): void {
  const text = merge(tokens).text;
  const kinds = new Set([...text].filter((c) => !JUNK.has(c)).map((c) => (/\p{L}/u.test(c) ? 0 : /^[0-9]$/.test(c) ? 1 : 2)));
  const prespace = text.includes(' ') || text.includes('/') || kinds.size > 1;
  tokens.forEach((tk, i) => {
    if (tk.phonemes === undefined) {
      if (i === tokens.length - 1 && NON_QUOTE_PUNCTS.has(tk.text)) tk.phonemes = tk.text;
      else if (allJunk(tk.text)) tk.phonemes = '';
    } else if (i > 0) tk.prespace = prespace;
  });
  if (prespace) return;
  const indices = tokens.flatMap((tk, i) => (tk.phonemes ? [{ primary: tk.phonemes.includes(PRIMARY), weight: stressWeight(tk.phonemes), i }] : []));
  if (indices.length === 2 && tokens[indices[0]!.i]!.text.length === 1) {
    const tk = tokens[indices[1]!.i]!;
    tk.phonemes = applyStress(tk.phonemes!, -0.5);
    return;
  }
  if (indices.length < 2 || indices.filter((x) => x.primary).length <= Math.floor((indices.length + 1) / 2)) return;
  indices.sort((a, b) => Number(a.primary) - Number(b.primary) || a.weight - b.weight || a.i - b.i);
  for (const { i } of indices.slice(0, Math.floor(indices.length / 2))) tokens[i]!.phonemes = applyStress(tokens[i]!.phonemes!, -0.5);
}

const joinPhonemes = (tokens: MToken[]): string =>
  tokens
    .map((t) => (t.phonemes ?? '') + (t.whitespace ? ' ' : ''))
    .join('')
    .trim();

export class EnglishG2P {
  /** The last text tokenized and its tokens: attempt and then phonemize tag the same text in turn. */
  private last: { text: string; tokens: RawToken[] } | undefined;

  /** `taggerDir`: a folder of ours where the tagger's data may be kept for a fast load. */
  constructor(
    private readonly lexicon: Lexicon,
    private readonly taggerDir?: string,
  ) {}

  private tokens(text: string): RawToken[] {
    if (this.last?.text !== text) this.last = { text, tokens: tokenize(text, this.taggerDir) };
    return this.last.tokens;
  }

  private look(tk: MToken, ctx: TokenContext): string | undefined {
    return this.lexicon.word(tk.text, tk.tag, ctx);
  }

  /** The words of `text` that need espeak-ng (the lexicon cannot say them). */
  unknownWords(text: string): string[] {
    return this.attempt(text).unknown;
  }

  /**
   * One pass with the lexicon alone: the phonemes, final when `unknown` is empty (most texts),
   * and the words that need espeak-ng — then `phonemize` with their phonemes gives the result.
   */
  attempt(text: string): { phonemes: string; unknown: string[] } {
    const unknown = new Set<string>();
    const tokens = this.run(text, (w) => {
      unknown.add(w);
      return undefined;
    });
    return { phonemes: joinPhonemes(tokens), unknown: [...unknown] };
  }

  /** Kokoro phonemes for `text`, `fallback` answering for the words the lexicon does not know. */
  phonemize(text: string, fallback: Fallback): string {
    return joinPhonemes(this.run(text, fallback));
  }

  /** Per word, for tests and inspection: the text and its phonemes. */
  words(text: string, fallback: Fallback): { text: string; phonemes: string }[] {
    return this.run(text, fallback).map((t) => ({ text: t.text, phonemes: t.phonemes ?? '' }));
  }

  private run(text: string, fallback: Fallback): MToken[] {
    const words = retokenize(this.tokens(text));
    let ctx: TokenContext = { futureVowel: undefined, futureTo: false };
    for (let wi = words.length - 1; wi >= 0; wi--) {
      const w = words[wi]!;
      if (!Array.isArray(w)) {
        if (w.phonemes === undefined) w.phonemes = this.look(w, ctx) ?? fallback(w.text);
        ctx = nextContext(ctx, w.phonemes, w);
        continue;
      }
      let left = 0;
      let right = w.length;
      let useFallback = false;
      while (left < right) {
        const span = w.slice(left, right);
        const tk = span.some((t) => t.phonemes !== undefined) ? undefined : merge(span);
        const ps = tk ? this.look(tk, ctx) : undefined;
        if (ps !== undefined) {
          w[left]!.phonemes = ps;
          for (const x of w.slice(left + 1, right)) x.phonemes = '';
          ctx = nextContext(ctx, ps, tk!);
          right = left;
          left = 0;
        } else if (left + 1 < right) {
          left++;
        } else {
          right--;
          const one = w[right]!;
          if (one.phonemes === undefined) {
            if (allJunk(one.text)) one.phonemes = '';
            else {
              useFallback = true;
              break;
            }
          }
          left = 0;
        }
      }
      if (useFallback) {
        const whole = merge(w);
        w[0]!.phonemes = fallback(whole.text);
        for (const x of w.slice(1)) x.phonemes = '';
      } else {
        resolveWord(w);
      }
    }
    return words.map((w) => {
      const t = Array.isArray(w) ? merge(w, '') : w;
      if (t.phonemes) t.phonemes = t.phonemes.replaceAll('ɾ', 'T').replaceAll('ʔ', 't');
      return t;
    });
  }
}
