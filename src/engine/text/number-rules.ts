// Plain figures left after the specific rules (dates, money, units…) → words: IP addresses and
// versions ("192.168.0.1", "2.0.1"), ranges ("5-10" → "five to ten"), fractions ("3/4" → "three
// quarters", "8/10" → "eight out of ten"), ratios ("16:9" → "sixteen to nine"), negatives ("-5",
// "−5" → "minus five"), decimals ("3.14" → "three point one four") and cardinals with or without
// thousands separators. Whatever figure is left at the end is read as a cardinal, so no digit
// survives normalization.
import { NUM, cardinal, numberWords, ordinal, pluralize, versionWords } from './numbers.js';
import type { Rule } from './rewrite.js';

/** "3/4" → "three quarters", "1/2" → "one half", "8/10" → "eight out of ten", "5/16" → "five sixteenths". */
function fraction(num: string, den: string): string {
  const n = Number(num);
  const d = Number(den);
  if (d === 10 || d === 100 || d === 0) return `${cardinal(num)} out of ${cardinal(den)}`;
  if (d === 1 || d > 16) return `${cardinal(num)} over ${cardinal(den)}`;
  const name = d === 2 ? 'half' : d === 4 ? 'quarter' : ordinal(den);
  const denominator = n === 1 ? name : d === 2 ? 'halves' : pluralize(name);
  return `${cardinal(num)} ${denominator}`;
}

/** A figure with an optional minus sign. */
const signed = (sign: string | undefined, figure: string): string => (sign ? 'minus ' : '') + numberWords(figure);

export const NUMBER_RULES: readonly Rule[] = [
  {
    // Dotted quads are IP addresses; three or more dotted parts otherwise a version.
    re: /(?<![\w.])\d+(?:\.\d+){2,}(?![\w]|\.\d)/g,
    to: (m) => {
      const parts = m[0].split('.');
      if (parts.length === 4 && parts.every((p) => Number(p) <= 255)) return parts.map((p) => cardinal(p)).join(' dot ');
      return versionWords(m[0]);
    },
  },
  {
    // Ranges: "5-10", "5–10", "-5 to -10" → "to". A hyphen between spaces before "=" is a minus: "5 - 3 = 2".
    re: new RegExp(String.raw`(?<![\w.,])([-−])?(${NUM})( ?[–—] ?|-| - )([-−])?(${NUM})(?![\w]|[.,]\d)`, 'g'),
    to: (m) => {
      const [, sign1, a, dash, sign2, b] = m;
      // "=" has already become "equals" by now (symbol rules).
      const minus = dash === ' - ' && /^[^\n.!?]*\bequals\b/.test(m.input.slice(m.index + m[0].length));
      return `${signed(sign1, a!)} ${minus ? 'minus' : 'to'} ${signed(sign2, b!)}`;
    },
  },
  {
    // Mixed numbers: "1 1/2" → "one and one half".
    re: /(?<![\w.,\/])(\d+) (\d+)\/(\d+)(?![\w\/]|\.\d)/g,
    to: (m) => (Number(m[2]) < Number(m[3]) ? `${cardinal(m[1]!)} and ${fraction(m[2]!, m[3]!)}` : m[0]),
  },
  {
    // Fractions, "50/50", and scores with a decimal: "4.5/5" → "four point five out of five".
    re: new RegExp(String.raw`(?<![\w.,\/])(${NUM})\/(\d+)(?![\w\/]|\.\d)`, 'g'),
    to: (m) => {
      const [, a, b] = m;
      if (a === b && a === '50') return 'fifty-fifty';
      return /^\d+$/.test(a!) ? fraction(a!, b!) : `${numberWords(a!)} out of ${cardinal(b!)}`;
    },
  },
  {
    // Ratios: "16:9", "1:100" (h:mm shapes were taken by the time rules).
    re: /(?<![\w.,:])(\d+):(\d+)(?![\w:]|\.\d)/g,
    to: (m) => `${cardinal(m[1]!)} to ${cardinal(m[2]!)}`,
  },
  {
    // Negative figures: a minus sign or a hyphen right before a figure, not after a word or figure.
    re: new RegExp(String.raw`(?:(?<![\w.,)\]])-|−)(${NUM})`, 'g'),
    to: (m) => `minus ${numberWords(m[1]!)}`,
  },
  {
    // Everything else: cardinals and decimals. Spaces keep the words apart from letters they touched.
    re: new RegExp(`(${NUM})`, 'g'),
    to: (m) => {
      const before = m.index > 0 && /[A-Za-z]/.test(m.input[m.index - 1]!) ? ' ' : '';
      const after = /[A-Za-z]/.test(m.input[m.index + m[0].length] ?? '') ? ' ' : '';
      return before + numberWords(m[1]!) + after;
    },
  },
];
