// Number → English words (American style: no "and" inside numbers, hyphenated tens). Pure string
// functions with no knowledge of context; the text rules decide which reading a number gets
// (cardinal, ordinal, year, digit by digit) and call these.

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten',
  'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
// Scales up to 10^21 cover "trillions" with room to spare; longer digit strings are not quantities
// people say aloud (card numbers, ids), so they are read digit by digit.
const SCALES = ['', 'thousand', 'million', 'billion', 'trillion', 'quadrillion', 'quintillion'];

/** A number written in figures, as the source text may have it: "1,234.5", "0.99", ".5", "42". */
export const NUM = String.raw`(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+`;

/** 0–999 in words. */
function underThousand(n: number): string {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  const parts: string[] = [];
  if (hundreds) parts.push(`${ONES[hundreds]} hundred`);
  if (rest || !hundreds) parts.push(underHundred(rest));
  return parts.join(' ');
}

function underHundred(n: number): string {
  if (n < 20) return ONES[n]!;
  const unit = n % 10;
  return unit ? `${TENS[Math.floor(n / 10)]}-${ONES[unit]}` : TENS[Math.floor(n / 10)]!;
}

/** Each digit as a word: "4567" → "four five six seven". */
export function digitWords(digits: string): string {
  return [...digits].filter((c) => c >= '0' && c <= '9').map((c) => ONES[Number(c)]).join(' ');
}

/** An integer given as digits (commas allowed) in words; leading zeros and very long strings go digit by digit. */
export function cardinal(digits: string): string {
  const d = digits.replace(/,/g, '');
  if (d.length > 1 && d.startsWith('0')) return digitWords(d);
  if (d.length > SCALES.length * 3) return digitWords(d);
  const groups: number[] = [];
  for (let end = d.length; end > 0; end -= 3) groups.unshift(Number(d.slice(Math.max(0, end - 3), end)));
  const words: string[] = [];
  groups.forEach((g, i) => {
    if (g === 0) return;
    const scale = SCALES[groups.length - 1 - i];
    words.push(scale ? `${underThousand(g)} ${scale}` : underThousand(g));
  });
  return words.length ? words.join(' ') : 'zero';
}

/** Any figure as said with no other context: "1,234.5" → "one thousand two hundred thirty-four point five". */
export function numberWords(figure: string): string {
  const [int = '', frac] = figure.replace(/,/g, '').split('.');
  const whole = int ? cardinal(int) : '';
  if (frac === undefined) return whole;
  return [whole, 'point', digitWords(frac)].filter(Boolean).join(' ');
}

const IRREGULAR_ORDINALS: Record<string, string> = {
  zero: 'zeroth', one: 'first', two: 'second', three: 'third', five: 'fifth', eight: 'eighth', nine: 'ninth', twelve: 'twelfth',
};

/** Turns cardinal words into ordinal words by changing the last word: "twenty-one" → "twenty-first". */
export function toOrdinal(words: string): string {
  return words.replace(/[a-z]+$/, (w) => IRREGULAR_ORDINALS[w] ?? (w.endsWith('y') ? `${w.slice(0, -1)}ieth` : `${w}th`));
}

/** An integer as an ordinal: "21" → "twenty-first". */
export function ordinal(digits: string): string {
  return toOrdinal(cardinal(digits.replace(/^0+(?=\d)/, '')));
}

/** Plural of the last word, for decades and fractions: "nineteen ninety" → "nineteen nineties", "third" → "thirds". */
export function pluralize(words: string): string {
  return words.replace(/[a-z]+$/, (w) => (w.endsWith('y') ? `${w.slice(0, -1)}ies` : w.endsWith('x') ? `${w}es` : `${w}s`));
}

/**
 * A year as Americans say it: 1999 → "nineteen ninety-nine", 1900 → "nineteen hundred",
 * 1905 → "nineteen oh five", 2000 → "two thousand", 2005 → "two thousand five",
 * 2025 → "twenty twenty-five", 1066 → "ten sixty-six". Other sizes read as cardinals.
 */
export function yearWords(digits: string): string {
  const n = Number(digits);
  if (digits.length !== 4 || digits.startsWith('0')) return cardinal(digits);
  if (n % 1000 === 0 || (n > 2000 && n < 2010)) return cardinal(digits);
  const hi = Math.floor(n / 100);
  const lo = n % 100;
  if (lo === 0) return `${underHundred(hi)} hundred`;
  return `${underHundred(hi)} ${lo < 10 ? `oh ${ONES[lo]}` : underHundred(lo)}`;
}

/** A two-digit year as said after an apostrophe or in a short date: "05" → "oh five", "99" → "ninety-nine". */
export function shortYearWords(digits: string): string {
  const n = Number(digits);
  return n < 10 ? `oh ${ONES[n]}` : underHundred(n);
}

/** Three or four digits said in pairs, as in "720p" → "seven twenty", "1080" → "ten eighty". */
export function pairedWords(digits: string): string {
  if (digits.length === 4) return yearWords(digits);
  if (digits.length !== 3 || digits.startsWith('0')) return cardinal(digits);
  const lo = Number(digits.slice(1));
  return `${ONES[Number(digits[0])]} ${lo === 0 ? 'hundred' : lo < 10 ? `oh ${ONES[lo]}` : underHundred(lo)}`;
}

/**
 * A digit run inside a code-like token (model names, URLs): short runs as cardinals, four digits
 * in pairs as in "RTX 4090" → "forty ninety", longer runs digit by digit.
 */
export function codeNumberWords(digits: string): string {
  if (digits.length > 1 && digits.startsWith('0')) return digitWords(digits);
  if (digits.length <= 3) return cardinal(digits);
  if (digits.length === 4) return yearWords(digits);
  return digitWords(digits);
}

/** "2.0.1" → "two point zero point one": each part a number, as versions are said. */
export function versionWords(version: string): string {
  return version.split('.').map((part) => cardinal(part)).join(' point ');
}
