// Stage 1 of text → audio: make the text plain and predictable before it is split and phonemized.
// First a clean-up (Unicode, whitespace, punctuation), then the reading rules, which turn figures,
// symbols, abbreviations and acronyms into the words an American English speaker would say, so that
// espeak-ng gets plain words and punctuation. The rules are regex passes in a fixed order; the order
// matters because earlier shapes contain later ones (a URL contains dots and digits, a date
// contains a range, a price contains a decimal). Each pass lives in its own module.
import { ABBREVIATION_RULES } from './abbreviations.js';
import { ACRONYM_RULES } from './acronyms.js';
import { ALPHANUMERIC_RULES } from './alphanumerics.js';
import { DATE_RULES } from './dates.js';
import { MONEY_RULES } from './money.js';
import { NUMBER_RULES } from './number-rules.js';
import { PHONE_RULES } from './phones.js';
import { type Rule, applyRules } from './rewrite.js';
import { MULTIPLY_RULES, SYMBOL_RULES } from './symbols.js';
import { TIME_RULES } from './times.js';
import { UNIT_RULES } from './units.js';
import { WEB_RULES } from './web.js';

const READING_RULES: readonly Rule[] = [
  ...WEB_RULES, // addresses hold dots, digits, dashes and @ that every later rule would misread
  ...PHONE_RULES, // before dates and ranges: 555-123-4567
  ...DATE_RULES, // before ranges and fractions: 2025-03-12, 3/12/2025; years and decades
  ...TIME_RULES, // before ratios: 3:30
  ...MULTIPLY_RULES, // before units: 10 x 20 ft
  ...MONEY_RULES, // before decimals: $5.20
  ...UNIT_RULES, // before alphanumerics: 5km, 50%
  ...ABBREVIATION_RULES, // before numbers: No. 5
  ...SYMBOL_RULES, // before numbers: #1, 2 + 2
  ...ALPHANUMERIC_RULES, // ordinals and code-like tokens, before plain numbers take their digits
  ...NUMBER_RULES, // every figure left
  ...ACRONYM_RULES, // last: the earlier rules decide which capitals are units, dates or initialisms
];

/** Unicode, control characters, ellipses, quotes and whitespace. */
function cleanUp(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ' ')
    .replace(/\.{3,}/g, '…')
    .replace(/[‘’]/g, "'")
    .replace(/[ \t\u00a0\u2007\u2009\u202f]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

/** Whitespace left by the rules: single spaces, none before punctuation or around line breaks. */
function tidy(text: string): string {
  return text
    .replace(/[ \t]+/g, ' ')
    .replace(/ +(?=[,.;:!?])/g, '')
    .replace(/ *\n */g, '\n')
    .trim();
}

/** True for the languages the reading rules are written for (en, en-us, en-gb …). */
export function isEnglish(language: string): boolean {
  return /^en(?:-|$)/i.test(language);
}

/**
 * Normalizes text for synthesis in a voice's espeak-ng `language`; the result is also what cache
 * keys are computed from. The reading rules (figures, symbols, abbreviations) are English: other
 * languages get the clean-up only and leave figures to their phonemizer ("42" stays "42" for a
 * German voice, which espeak-ng reads "zweiundvierzig").
 */
export function normalizeText(text: string, language = 'en-us'): string {
  const clean = cleanUp(text);
  if (!clean) return clean;
  if (!isEnglish(language)) return tidy(clean);
  return tidy(inBoundedPieces(clean, (piece) => applyRules(piece, READING_RULES)));
}

/** Longest piece the reading rules see at once (see inBoundedPieces). */
const RULE_WINDOW = 1000;

/**
 * Runs `fn` on pieces of `text` of at most RULE_WINDOW characters and joins the results: cut at
 * line breaks, else at the last sentence end (". ") in the window, else at its last space, else
 * hard. Some reading rules cost time quadratic in the length of a run they scan ("1.1.1.1…",
 * "A.A.A.…"); bounded pieces keep the whole pass linear in the length of the text, and real
 * sentences are far shorter than a window, so no reading changes.
 */
function inBoundedPieces(text: string, fn: (piece: string) => string): string {
  let out = '';
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end - start > RULE_WINDOW) {
      const window = text.slice(start, start + RULE_WINDOW);
      const stop = Math.max(window.lastIndexOf('. '), window.lastIndexOf('? '), window.lastIndexOf('! '));
      const space = window.lastIndexOf(' ');
      end = start + (stop > 0 ? stop + 1 : space > 0 ? space : RULE_WINDOW);
    }
    out += fn(text.slice(start, end));
    if (end >= text.length) break;
    const sep = text[end] === '\n' || text[end] === ' ';
    out += sep ? text[end] : ' '; // a hard cut inside a 1000-character word: keep its readings apart
    start = sep ? end + 1 : end;
  }
  return out;
}
