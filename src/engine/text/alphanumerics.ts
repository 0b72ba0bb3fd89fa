// Figures written together with letters: ordinals ("21st" → "twenty-first"), versions ("v2.1" →
// "version two point one") and code-like tokens, read piece by piece: "COVID-19" → "Covid
// nineteen", "MP3" → "M-P three", "4K" → "four K", "1080p" → "ten eighty P", "H1N1" → "H one N
// one", "RTX4090" → "R-T-X forty ninety", "50k" → "fifty thousand". Capital letter runs follow the
// acronym rule (acronyms.ts); lowercase runs with a vowel stay words ("iPhone15" → "iPhone fifteen").
// Runs after units, times and decades have taken their own shapes ("5km", "3pm", "1990s").
import { readCaps } from './acronyms.js';
import { NUM, codeNumberWords, numberWords, ordinal, pairedWords, pluralize, versionWords } from './numbers.js';
import type { Rule } from './rewrite.js';
import { joinPieces, spellLetters } from './spell.js';

const SCALES: Record<string, string> = { k: 'thousand', K: 'thousand', M: 'million', B: 'billion', bn: 'billion' };

/** Whether "<figure><letter>" is a scale: always for k and bn; for K, M, B after a decimal or before a lowercase word. */
function isScale(m: RegExpExecArray): boolean {
  const [, figure, letter] = m;
  if (letter === 'k' || letter === 'bn') return true;
  if (letter === 'K' && /^\d$/.test(figure!)) return false;
  if (/[.]/.test(figure!)) return true;
  return /^ [a-z]/.test(m.input.slice(m.index + m[0].length, m.index + m[0].length + 2));
}

/** A run of letters inside a code-like token. */
function readLetters(run: string): string {
  if (run.length === 1) return run.toUpperCase();
  if (run === run.toUpperCase()) return readCaps(run);
  return /[aeiouy]/i.test(run) && run.length >= 3 ? run : spellLetters(run);
}

/** Reads a token mixing letters and digits. */
function readToken(token: string): string {
  const pieces = token.match(/[A-Za-z]+|\d+/g) ?? [];
  const out: string[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i]!;
    const next = pieces[i + 1];
    const last = i + 2 === pieces.length;
    if (!/^\d/.test(p)) {
      out.push(readLetters(p));
    } else if (last && next === 's') {
      // "100s" → "hundreds", "90s" handled earlier as a decade, "MP3s" → "M-P threes".
      out.push(pluralize(codeNumberWords(p)).replace(/^one (?=(?:hundred|thousand|million|billion|trillion)s$)/, ''));
      i++;
    } else if (last && (next === 'p' || next === 'i') && p.length >= 3) {
      out.push(pairedWords(p)); // video resolutions: 720p, 1080i
    } else {
      out.push(codeNumberWords(p));
    }
  }
  return joinPieces(out);
}

export const ALPHANUMERIC_RULES: readonly Rule[] = [
  {
    // Ordinals: 1st, 2nd, 3rd, 21st, 101st, 1,000th.
    re: /(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?:st|nd|rd|th|ST|ND|RD|TH)\b/g,
    to: (m) => ordinal(m[1]!.replace(/,/g, '')),
  },
  {
    // A figure with a scale letter: "50k", "1.5M", "7B dollars". "4K", "8K" (one digit and K) are
    // resolutions, and a capital K, M or B after a whole number is a scale only before a lowercase
    // word ("5B users"): "221B Baker Street", "Flat 4B" are addresses, read as codes below.
    re: new RegExp(String.raw`(?<![\w.,])(${NUM})(k|K|M|B|bn)\b`, 'g'),
    to: (m) => (isScale(m) ? `${numberWords(m[1]!)} ${SCALES[m[2]!]}` : m[0]),
  },
  {
    // Versions with a "v": v2, v1.2.3.
    re: /\bv(\d+(?:\.\d+)*)\b(?!\.\d)/g,
    to: (m) => `version ${versionWords(m[1]!)}`,
  },
  {
    // Letters, hyphen, figure: COVID-19, F-16, B-52, Area-51.
    re: /(?<![\w-])([A-Za-z]+)-(\d+)(?![\w-]|[.,]\d)/g,
    to: (m) => `${/^[A-Z]+$/.test(m[1]!) ? readLetters(m[1]!) : m[1]} ${codeNumberWords(m[2]!)}`,
  },
  {
    // Any other token mixing letters and digits.
    re: /\b(?:[A-Za-z]+\d|\d+[A-Za-z])[A-Za-z\d]*\b/g,
    to: (m) => readToken(m[0]),
  },
];
