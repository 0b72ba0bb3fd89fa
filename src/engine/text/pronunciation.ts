// Pronunciation overrides: the user's way to correct a word the phonemizer reads wrongly.
//
// Inline, in the text:   [Kokoro](/kˈOkəɹO/)   the word, then its phonemes between slashes, in the
//                        alphabet of the voice's model (Kokoro's symbols, or Piper's IPA).
// Lexicon file, one entry per line (`#` starts a comment):
//   Kokoro   /kˈOkəɹO/      phonemes, as inline
//   nginx    engine x       a respelling: plain words the phonemizer reads instead
// Lexicon words match whole words, ignoring case. A phoneme entry becomes the inline form in the
// text before anything else happens, so it travels through normalization, splitting and the cache
// key like any other text, and the backend sends its phonemes to the model unchanged.
import { readFile } from 'node:fs/promises';
import { TtsError } from '../errors.js';

export interface LexiconEntry {
  word: string;
  phonemes?: string;
  respelling?: string;
  line: number;
}

export interface Lexicon {
  source: string;
  entries: Map<string, LexiconEntry>;
}

/** `[word](/phonemes/)` */
export const INLINE_OVERRIDE = /\[([^\]\n]{1,100})\]\(\/([^/\n]{1,300})\/\)/g;

const WORD = /^[\p{L}\p{N}][\p{L}\p{N}'’.-]*$/u;

export function parseLexicon(text: string, source: string): Lexicon {
  const entries = new Map<string, LexiconEntry>();
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const body = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!body) return;
    const bad = (why: string): never => {
      throw new TtsError('BAD_LEXICON', `${source}, line ${line}: ${why}`, 'Each line is: WORD /phonemes/  or  WORD respelling words. Lines starting with # are comments.');
    };
    const m = /^(\S+)\s+(.+)$/.exec(body);
    if (!m) bad(`"${body}" has a word but no pronunciation.`);
    const [, word, value] = m!;
    if (!WORD.test(word!)) bad(`"${word}" is not a word (letters, digits, apostrophes, dots or hyphens).`);
    let entry: LexiconEntry;
    if (value!.startsWith('/')) {
      const ph = /^\/([^/]+)\/$/.exec(value!);
      if (!ph) bad(`the phonemes of "${word}" must be written between two slashes, like /kˈOkəɹO/.`);
      entry = { word: word!, phonemes: ph![1]!.trim(), line };
    } else {
      if (/[[\]()/]/.test(value!)) bad(`the respelling of "${word}" may not contain brackets or slashes.`);
      entry = { word: word!, respelling: value!.trim(), line };
    }
    if (entries.has(word!.toLowerCase())) bad(`"${word}" is already defined on line ${entries.get(word!.toLowerCase())!.line}.`);
    entries.set(word!.toLowerCase(), entry);
  });
  return { source, entries };
}

export async function loadLexicon(path: string): Promise<Lexicon> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new TtsError('BAD_LEXICON', `Cannot read the lexicon ${path}: ${(err as Error).message}.`, 'Check the --lexicon path (or $TTS_LEXICON).');
  }
  return parseLexicon(text, path);
}

/** Replaces lexicon words (outside inline overrides) by their inline form or respelling. */
export function applyLexicon(text: string, lexicon: Lexicon | undefined): string {
  if (!lexicon || lexicon.entries.size === 0) return text;
  return withInlineProtected(text, (plain) =>
    plain.replace(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu, (word) => {
      const trimmed = word.replace(/[.'’-]+$/, '');
      const e = lexicon.entries.get(trimmed.toLowerCase());
      if (!e) return word;
      const rest = word.slice(trimmed.length);
      return (e.phonemes !== undefined ? `[${trimmed}](/${e.phonemes}/)` : e.respelling!) + rest;
    }),
  );
}

/**
 * Runs `fn` on the text with every inline override replaced by a placeholder word (so that
 * normalization and splitting leave it whole), then puts the overrides back.
 */
export function withInlineProtected(text: string, fn: (t: string) => string): string;
export function withInlineProtected(text: string, fn: (t: string) => string[]): string[];
export function withInlineProtected(text: string, fn: (t: string) => string | string[]): string | string[] {
  const saved: string[] = [];
  const masked = text.replace(INLINE_OVERRIDE, (m) => `zqxj${toLetters(saved.push(m) - 1)}jxqz`);
  if (saved.length === 0) return fn(text);
  const restore = (s: string): string => s.replace(/zqxj([a-j]+)jxqz/g, (_, code: string) => saved[fromLetters(code)] ?? '');
  const out = fn(masked);
  return Array.isArray(out) ? out.map(restore) : restore(out);
}

// Placeholder indices are written with the letters a–i (digits would be read out as numbers).
const toLetters = (n: number): string => String(n).replace(/\d/g, (d) => String.fromCharCode(97 + Number(d) - (d === '0' ? -9 : 1)));
const fromLetters = (s: string): number => Number(s.replace(/[a-j]/g, (c) => (c === 'j' ? '0' : String(c.charCodeAt(0) - 96))));

export type Segment = { text: string } | { word: string; phonemes: string };

/** Splits a chunk into plain text and inline overrides, in order. */
export function segments(text: string): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const m of text.matchAll(INLINE_OVERRIDE)) {
    if (m.index! > at) out.push({ text: text.slice(at, m.index) });
    out.push({ word: m[1]!, phonemes: m[2]! });
    at = m.index! + m[0].length;
  }
  if (at < text.length) out.push({ text: text.slice(at) });
  return out;
}

/** The chunk as plain words: each override replaced by its word (for voices that take text). */
export function plainWords(text: string): string {
  return text.replace(INLINE_OVERRIDE, (_, word: string) => word);
}

/**
 * Phonemes for a chunk: plain runs through `phonemize` (and `map`, the backend's conversion of
 * espeak IPA), overrides as written; spaces between them as in the text.
 */
export async function phonemizeSegments(text: string, phonemize: (t: string) => Promise<string>, map: (ipa: string) => string = (x) => x): Promise<string> {
  let out = '';
  for (const seg of segments(text)) {
    if ('phonemes' in seg) {
      out += seg.phonemes;
      continue;
    }
    const lead = /^\s/.test(seg.text) && out ? ' ' : '';
    const trail = /\s$/.test(seg.text) ? ' ' : '';
    const body = seg.text.trim();
    out += lead + (body ? map(await phonemize(body)) : '') + (body ? trail : '');
  }
  return out.trim();
}

/**
 * Checks that every override in `text` uses only symbols the model knows; the error names the
 * word, the symbols, and the lexicon line the override came from.
 */
export function checkOverrides(text: string, known: (symbol: string) => boolean, alphabet: string, lexicon?: Lexicon): void {
  for (const seg of segments(text)) {
    if (!('phonemes' in seg)) continue;
    const unknown = [...new Set([...seg.phonemes].filter((s) => !known(s)))];
    if (unknown.length === 0) continue;
    const entry = lexicon?.entries.get(seg.word.toLowerCase());
    const where = entry?.phonemes === seg.phonemes ? `${lexicon!.source}, line ${entry.line}: ` : '';
    throw new TtsError('BAD_LEXICON', `${where}the pronunciation /${seg.phonemes}/ of "${seg.word}" has symbols ${alphabet} does not know: ${unknown.join(' ')}.`, `Write it with ${alphabet}'s symbols (\`tts say --phonemes "${seg.word}"\` shows how the phonemizer spells it).`);
  }
}
