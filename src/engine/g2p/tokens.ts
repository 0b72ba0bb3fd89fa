// Text → word tokens for the English G2P, cut the way misaki receives them from spaCy's English
// tokenizer: words, punctuation split off both ends, clitics (n't 's 're 've 'll 'd 'm) and
// intra-word hyphens as tokens of their own with no space before them. Each token then gets a
// Penn Treebank part-of-speech tag (the tag set spaCy's tagger, and so misaki's heteronym rules,
// use) from wink-pos-tagger, loaded on first use.
import { loadWinkTagger, type Tagger } from './tagger-snapshot.js';

export interface RawToken {
  text: string;
  /** Penn Treebank tag. */
  tag: string;
  /** The space after the token ('' inside a word). */
  whitespace: string;
  /** Punctuation: the phonemes misaki gives it (quotes and brackets mapped, others filtered). */
  punct?: string;
}

const PUNCTS = new Set(';:,.!?—…"“”');
const PREFIX = /^(?:["“‘'«(\[{¿¡*]|\.\.\.|…|—|–|-{2,})/u;
const SUFFIX = /(?:\.\.\.|[.,;:!?"”’'»)\]}…*]|—|–|-{2,})$/u;
const CLITIC = /^(.*\p{L})(n['’]t|['’](?:s|re|ve|ll|d|m))$/iu;
const ABBREVIATION = /^(?:\p{L}\.){2,}$/u;

/** The phonemes misaki gives a punctuation token: its tag's symbol, else the text's PUNCTS. */
function punctPhonemes(text: string, opening: boolean): string {
  if (text === '(' || text === '[' || text === '{') return '(';
  if (text === ')' || text === ']' || text === '}') return ')';
  if (text === '“' || text === '‘' || text === '«') return '“';
  if (text === '”' || text === '’' || text === '»') return '”';
  if (text === '"' || text === "'") return opening ? '“' : '”';
  if (text === '-' || text === '–' || /^-{2,}$/.test(text)) return '—';
  return [...text].filter((c) => PUNCTS.has(c)).join('');
}

const isPunct = (s: string): boolean => !/[\p{L}\p{N}]/u.test(s) && !/^[%&+@#$/]$/.test(s);

/** Splits one whitespace-free chunk into tokens. */
function splitChunk(chunk: string, out: { text: string; punct?: string }[]): void {
  const head: { text: string; punct?: string }[] = [];
  const tail: { text: string; punct?: string }[] = [];
  let rest = chunk;
  for (let m = PREFIX.exec(rest); m && rest.length > 0; m = PREFIX.exec(rest)) {
    if (rest === m[0] && head.length === 0 && isPunct(rest)) break;
    head.push({ text: m[0], punct: punctPhonemes(m[0], true) });
    rest = rest.slice(m[0].length);
  }
  while (rest.length > 1 && !ABBREVIATION.test(rest)) {
    const m = SUFFIX.exec(rest);
    if (!m || (/['’]$/.test(m[0]) && /\p{L}s['’]$/u.test(rest))) break; // "dogs'" keeps its apostrophe
    tail.unshift({ text: m[0], punct: punctPhonemes(m[0], false) });
    rest = rest.slice(0, -m[0].length);
  }
  out.push(...head);
  if (rest) {
    if (isPunct(rest)) {
      out.push({ text: rest, punct: punctPhonemes(rest, head.length === 0) });
    } else {
      const clitic = CLITIC.exec(rest);
      const parts = clitic ? [clitic[1]!, clitic[2]!] : [rest];
      // Hyphens and dashes between letters are tokens (spaCy's infixes), tagged HYPH, not punctuation.
      for (const p of parts) {
        for (const piece of p.split(/(?<=\p{L})(-|—|–)(?=\p{L})/u)) {
          if (!piece) continue;
          if (piece === '—' || piece === '–') out.push({ text: piece, punct: '—' });
          else out.push({ text: piece });
        }
      }
    }
  }
  out.push(...tail);
}

let tagger: Tagger | undefined;

/** Tokens of `text` with their tags, as misaki's tokenize step hands them on. `snapshotDir`: where the tagger's data may be kept for a fast load (tagger-snapshot.ts). */
export function tokenize(text: string, snapshotDir?: string): RawToken[] {
  const tokens: RawToken[] = [];
  for (const m of text.trimStart().matchAll(/(\S+)(\s*)/gu)) {
    const pieces: { text: string; punct?: string }[] = [];
    splitChunk(m[1]!, pieces);
    pieces.forEach((p, i) => tokens.push({ text: p.text, tag: '', whitespace: i === pieces.length - 1 ? m[2]! : '', ...(p.punct !== undefined ? { punct: p.punct } : {}) }));
  }
  if (tokens.length === 0) return tokens;
  tagger ??= loadWinkTagger(snapshotDir);
  const tags = tagger.tagRawTokens(tokens.map((t) => t.text));
  tokens.forEach((t, i) => {
    t.tag = tags[i]?.pos ?? 'NN';
    if (t.text === '-' && t.punct === undefined) t.tag = 'HYPH';
  });
  return tokens;
}
