// Symbols → words: & and, @ at, + plus, = equals, # number / hashtag, ± plus or minus, ½ one
// half, C# C sharp, and × or x between figures → "by" (dimensions: "2x4", "10 x 20 ft") or
// "times" (arithmetic: "3 × 4 = 12"). Figures are left for the number rules; these rules only
// replace the symbol. The × rules run before money and units so that "10 x 20 ft" still sees
// "20 ft" as a measurement afterwards.
import { NUM } from './numbers.js';
import type { Rule } from './rewrite.js';
import { UNIT_FOLLOWS } from './units.js';

const UNIT_AFTER_FIGURE = new RegExp(String.raw`^(?:${NUM})${UNIT_FOLLOWS}`);

const VULGAR: Record<string, [alone: string, mixed: string]> = {
  '½': ['one half', 'a half'], '¼': ['one quarter', 'a quarter'], '¾': ['three quarters', 'three quarters'],
  '⅓': ['one third', 'a third'], '⅔': ['two thirds', 'two thirds'], '⅛': ['one eighth', 'an eighth'],
  '⅜': ['three eighths', 'three eighths'], '⅝': ['five eighths', 'five eighths'], '⅞': ['seven eighths', 'seven eighths'],
};

export const MULTIPLY_RULES: readonly Rule[] = [
  {
    // × or x between figures. "0x1F" is hexadecimal, not a product.
    re: /(?<=\d)( ?)([×x])( ?)(?=[-−]?\.?\d)/g,
    to: (m) => {
      if (m[2] === 'x' && /(?:^|[^\w.])0$/.test(m.input.slice(Math.max(0, m.index - 2), m.index))) return m[0];
      const rest = m.input.slice(m.index + m[0].length);
      const equation = /^[^\n.!?]*=/.test(rest);
      const spaced = m[1] !== '' || m[3] !== '';
      return !equation && (!spaced || UNIT_AFTER_FIGURE.test(rest)) ? ' by ' : ' times ';
    },
  },
  {
    // Multipliers: "2x faster", "10× zoom".
    re: new RegExp(String.raw`(?<![\w.])(${NUM})[x×](?=[\s.,;:!?)]|$)`, 'g'),
    to: (m) => `${m[1]} times`,
  },
];

export const SYMBOL_RULES: readonly Rule[] = [
  {
    re: /(\d)? ?([½¼¾⅓⅔⅛⅜⅝⅞])/g,
    to: (m) => (m[1] ? `${m[1]} and ${VULGAR[m[2]!]![1]}` : ` ${VULGAR[m[2]!]![0]}`),
  },
  // Figures with slashes said as names, before the fraction rule reads them.
  { re: /\b24\/7\b/g, to: () => 'twenty-four seven' },
  { re: /\band\/or\b/g, to: () => 'and or' },
  { re: /\b([A-G])#(?!\w)/g, to: (m) => `${m[1]} sharp` },
  { re: /#(?=\d)/g, to: () => 'number ' },
  { re: /#(?=[A-Za-z])/g, to: () => 'hashtag ' },
  { re: /&&?/g, to: () => ' and ' },
  { re: /@/g, to: () => ' at ' },
  { re: /±|\+\/-/g, to: () => ' plus or minus ' },
  { re: /\+/g, to: () => ' plus ' },
  { re: /≠|!=/g, to: () => ' does not equal ' },
  { re: /≤|<=/g, to: () => ' is less than or equal to ' },
  { re: /≥|>=/g, to: () => ' is greater than or equal to ' },
  { re: /={1,3}/g, to: () => ' equals ' },
  { re: /≈/g, to: () => ' approximately ' },
  { re: /~(?= ?[-−]?\.?\d)/g, to: () => 'about ' },
  // < and > only next to figures; elsewhere they are arrows, tags or quotes.
  { re: /(?<=\d ?|^|\s)<(?= ?[-−]?\.?\d)/g, to: () => ' less than ' },
  { re: /(?<=\d ?|^|\s)>(?= ?[-−]?\.?\d)/g, to: () => ' greater than ' },
  { re: /÷/g, to: () => ' divided by ' },
  { re: /×/g, to: () => ' times ' },
  // A true minus sign between spaces; a spaced hyphen between figures is left to the range rule.
  { re: /(?<=\s)−(?=\s)/g, to: () => 'minus' },
  { re: /(?<=\d)\^(?=\d)/g, to: () => ' to the power of ' },
  { re: /§§ ?/g, to: () => 'sections ' },
  { re: /§ ?/g, to: () => 'section ' },
  { re: /©/g, to: () => ' copyright ' },
  { re: /[®™]/g, to: () => '' },
  { re: /%/g, to: () => ' percent' },
];
