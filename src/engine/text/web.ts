// URLs, bare domains and e-mail addresses → words ("jane.doe@example.com" → "jane dot doe at
// example dot com"). These run first: their dots, digits, dashes and @ would otherwise be taken by
// the number, symbol and abbreviation rules, and a dot in "example.com/x. Next" must not be mistaken
// for the sentence end that follows it.
import { codeNumberWords } from './numbers.js';
import type { Rule } from './rewrite.js';
import { spellLetters } from './spell.js';

const SEPARATORS: Record<string, string> = {
  '.': 'dot', '/': 'slash', '-': 'dash', _: 'underscore', ':': 'colon', '?': 'question mark', '=': 'equals',
  '&': 'and', '#': 'hash', '~': 'tilde', '%': 'percent', '+': 'plus', '@': 'at',
};

// Top-level domains recognized without a scheme ("example.com"). Lowercase only, so "U.S." or
// "e.g." never look like domains; none that is also a common word ("in", "it", "us", "me"), so a
// missing space after a period ("home.in the morning") is not read as an address.
const TLDS = 'com|org|net|edu|gov|mil|int|io|dev|ai|app|co|uk|ca|au|de|fr|es|nl|eu|jp|info|biz|tv|ly|gg|xyz|tech|cloud|site|online|store|blog|news';

/** Reads one address piece by piece: words kept, letter runs without vowels spelled, digits as numbers. */
function readAddress(address: string): string {
  const words: string[] = [];
  for (const [piece] of address.matchAll(/[A-Za-z]+|\d+|[^A-Za-z\d]/g)) {
    if (/^\d/.test(piece)) words.push(codeNumberWords(piece));
    else if (/^[A-Za-z]/.test(piece)) words.push(/[aeiouy]/i.test(piece) || piece.length === 1 ? piece : spellLetters(piece));
    else if (SEPARATORS[piece]) words.push(SEPARATORS[piece]!);
  }
  return words.join(' ');
}

/** The readable part of a URL: no scheme, no "www.", no trailing slash. */
function readUrl(url: string): string {
  return readAddress(url.replace(/^[a-z]+:\/\//i, '').replace(/^www\./i, '').replace(/\/$/, ''));
}

/** Splits trailing sentence punctuation off a URL match so it stays in the text. */
function trimTrailing(url: string): [string, string] {
  const m = /[.,;:!?)\]'"”’]+$/.exec(url);
  return m ? [url.slice(0, m.index), m[0]] : [url, ''];
}

export const WEB_RULES: readonly Rule[] = [
  {
    // E-mail addresses.
    re: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g,
    to: (m) => readAddress(m[0]),
  },
  {
    // URLs with a scheme or "www.".
    re: /\b(?:https?:\/\/|ftp:\/\/|www\.)[^\s<>"“”]+/gi,
    to: (m) => {
      const [url, tail] = trimTrailing(m[0]);
      return readUrl(url) + tail;
    },
  },
  {
    // Bare domains with a known top-level domain, optionally with a path.
    re: new RegExp(String.raw`\b[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*\.(?:${TLDS})\b(?![.@-]?\w)(?:/[^\s<>"“”]*)?`, 'g'),
    to: (m) => {
      const [url, tail] = trimTrailing(m[0]);
      return readUrl(url) + tail;
    },
  },
];
