// Telephone numbers → digits read one by one, group by group, with a comma between groups for the
// pause a speaker makes ("555-123-4567" → "five five five, one two three, four five six seven").
// Runs before dates and ranges, which would otherwise read "555-1234" as a range.
import { digitWords } from './numbers.js';
import type { Rule } from './rewrite.js';

/** Reads digit groups; an 800 area code is said "eight hundred", as in toll-free numbers. */
function groups(parts: readonly (string | undefined)[], areaIndex = -1): string {
  return parts
    .filter((p): p is string => p !== undefined && p !== '')
    .map((p, i) => (i === areaIndex && p === '800' ? 'eight hundred' : digitWords(p)))
    .join(', ');
}

export const PHONE_RULES: readonly Rule[] = [
  {
    // North American numbers: 555-123-4567, (555) 123-4567, 555.123.4567, +1 555 123 4567, 1-800-555-1234.
    re: /(?<![\w+.,-])(?:(\+?1)[ .-]?)?(?:\((\d{3})\) ?|(\d{3})[ .-])(\d{3})[ .-](\d{4})(?![\w-]|[.,]\d)/g,
    to: (m) => {
      const country = m[1] ? `${m[1].startsWith('+') ? 'plus ' : ''}one, ` : '';
      return country + groups([m[2] ?? m[3], m[4], m[5]], 0);
    },
  },
  {
    // International numbers: + country code, then two or more groups: +44 20 7946 0958.
    re: /(?<![\w+])\+(\d{1,3})((?:[ .-]\(?\d{1,5}\)?){2,6})(?![\w-]|[.,]\d)/g,
    to: (m) => `plus ${digitWords(m[1]!)}, ${groups(m[2]!.split(/[ .-]/).map((g) => g.replace(/[()]/g, '')))}`,
  },
  {
    // Seven-digit local numbers, only after a word saying it is a phone number ("call 555-1234");
    // without that cue "100-1000" is a range.
    re: /\b((?:call|phone|tel|telephone|fax|dial|text|mobile|cell|ph)\.?:? (?:me |us |them )?(?:at |on )?)(\d{3})-(\d{4})\b/gi,
    to: (m) => m[1]! + groups([m[2], m[3]]),
  },
  {
    // Extensions: "ext. 204" → "extension two zero four".
    re: /\bext\.? ?(\d{1,5})\b/gi,
    to: (m) => `extension ${digitWords(m[1]!)}`,
  },
];
