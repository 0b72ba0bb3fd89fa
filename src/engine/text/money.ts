// Money → words: "$5.20" → "five dollars and twenty cents", "$1" → "one dollar", "$0.99" →
// "ninety-nine cents", "£2.50" → "two pounds and fifty pence", "$1.5 million" → "one point five
// million dollars", "$5-10" → "five to ten dollars", "$5/month" → "five dollars per month".
// Handles the symbol before the figure ($ € £ ¥ ₹ ₩ ₽, with US$/C$/A$ prefixes), after it
// ("5 €", "99¢") and ISO codes after it ("20 USD").
import { NUM, cardinal, numberWords } from './numbers.js';
import type { Rule } from './rewrite.js';
import { PER, PER_SOURCE } from './units.js';

interface Currency {
  one: string;
  many: string;
  subOne?: string;
  subMany?: string;
}

const DOLLAR: Currency = { one: 'dollar', many: 'dollars', subOne: 'cent', subMany: 'cents' };
const dollar = (country: string): Currency => ({ ...DOLLAR, one: `${country} dollar`, many: `${country} dollars` });

const SYMBOLS: Record<string, Currency> = {
  $: DOLLAR,
  '€': { one: 'euro', many: 'euros', subOne: 'cent', subMany: 'cents' },
  '£': { one: 'pound', many: 'pounds', subOne: 'penny', subMany: 'pence' },
  '¥': { one: 'yen', many: 'yen' },
  '₹': { one: 'rupee', many: 'rupees', subOne: 'paisa', subMany: 'paise' },
  '₩': { one: 'won', many: 'won' },
  '₽': { one: 'ruble', many: 'rubles', subOne: 'kopek', subMany: 'kopeks' },
  '¢': { one: 'cent', many: 'cents' },
};

const DOLLAR_PREFIXES: Record<string, string> = { US: 'U-S', A: 'Australian', AU: 'Australian', C: 'Canadian', CA: 'Canadian', NZ: 'New Zealand', HK: 'Hong Kong' };

const CODES: Record<string, Currency> = {
  USD: dollar('U-S'), CAD: dollar('Canadian'), AUD: dollar('Australian'), EUR: SYMBOLS['€']!,
  GBP: { ...SYMBOLS['£']!, one: 'British pound', many: 'British pounds' }, JPY: SYMBOLS['¥']!, INR: SYMBOLS['₹']!,
  CHF: { one: 'Swiss franc', many: 'Swiss francs', subOne: 'centime', subMany: 'centimes' }, CNY: { one: 'yuan', many: 'yuan' },
};

// Scale abbreviations written straight after the figure: "$50k", "$1.5M", "$2bn".
const SCALE_LETTERS: Record<string, string> = {
  k: 'thousand', K: 'thousand', m: 'million', M: 'million', mn: 'million', MM: 'million', b: 'billion', B: 'billion',
  bn: 'billion', Bn: 'billion', t: 'trillion', T: 'trillion', tn: 'trillion',
};

const SCALE = String.raw`(?: (thousand|million|billion|trillion)\b|(mn|MM|bn|Bn|tn|[kKmMbBtT])(?![\w]))?`;
const RANGE = String.raw` ?(?:-|–|—|to) ?`;
const PER_PART = String.raw`(?:/(${PER_SOURCE})(?![\w]))?`;

/** An amount with no scale word: whole units and, when the figure has one or two decimals, subunits. */
function amount(cur: Currency, figure: string): string {
  const [int = '', frac] = figure.replace(/,/g, '').split('.');
  if (frac === undefined || frac.length > 2 || !cur.subMany) {
    return `${numberWords(figure)} ${figure === '1' ? cur.one : cur.many}`;
  }
  const whole = Number(int || '0');
  const sub = Number(frac.padEnd(2, '0'));
  const parts: string[] = [];
  if (whole > 0 || sub === 0) parts.push(`${cardinal(int || '0')} ${whole === 1 ? cur.one : cur.many}`);
  if (sub > 0) parts.push(`${cardinal(String(sub))} ${sub === 1 ? cur.subOne : cur.subMany}`);
  return parts.join(' and ');
}

const isWhole = (figure: string): boolean => !figure.includes('.');

/** Reads "[-]figure[–figure] [scale] currency [/per]". */
function money(cur: Currency, sign: string | undefined, a: string, b: string | undefined, scale: string | undefined, per: string | undefined): string {
  let words: string;
  if (scale) {
    words = `${numberWords(a)}${b ? ` to ${numberWords(b)}` : ''} ${scale} ${cur.many}`;
  } else if (b && isWhole(a) && isWhole(b)) {
    words = `${numberWords(a)} to ${numberWords(b)} ${cur.many}`;
  } else {
    words = b ? `${amount(cur, a)} to ${amount(cur, b)}` : amount(cur, a);
  }
  if (sign) words = `minus ${words}`;
  if (per) words += ` per ${PER[per]}`;
  return words;
}

const scaleOf = (word: string | undefined, letters: string | undefined): string | undefined =>
  word ?? (letters ? SCALE_LETTERS[letters] : undefined);

export const MONEY_RULES: readonly Rule[] = [
  {
    // Symbol first: $5.20, -$3, US$10, €3.50, $1.5 million, $50k, $5-10, $5 to $10, $5/month.
    re: new RegExp(
      String.raw`(?<![\w.,])([-−])?(US|AU|A|CA|C|NZ|HK)?([$€£¥₹₩₽]) ?(${NUM})(?:${RANGE}(?:\3 ?)?(${NUM}))?${SCALE}${PER_PART}`,
      'g',
    ),
    to: (m) => {
      const [, sign, prefix, symbol, a, b, scaleWord, scaleLetters, per] = m;
      const cur = prefix ? dollar(DOLLAR_PREFIXES[prefix]!) : SYMBOLS[symbol!]!;
      return money(cur, sign, a!, b, scaleOf(scaleWord, scaleLetters), per);
    },
  },
  {
    // Symbol after: "5 €", "3,50 €" (decimal comma, as written where the euro sign follows), "99¢".
    re: new RegExp(String.raw`(?<![\w.,])([-−])?(\d+,\d{2}(?!\d)|${NUM})(?:${RANGE}(${NUM}))? ?([€£¥₹₩₽¢$])(?![\w])${PER_PART}`, 'g'),
    to: (m) => {
      const [, sign, a, b, symbol, per] = m;
      return money(SYMBOLS[symbol!]!, sign, a!.replace(/,(\d{2})$/, '.$1'), b, undefined, per);
    },
  },
  {
    // ISO code after: "20 USD", "1.5 million EUR".
    re: new RegExp(String.raw`(?<![\w.,])([-−])?(${NUM})(?:${RANGE}(${NUM}))?(?: (thousand|million|billion|trillion))? (${Object.keys(CODES).join('|')})\b`, 'g'),
    to: (m) => {
      const [, sign, a, b, scale, code] = m;
      return money(CODES[code!]!, sign, a!, b, scale, undefined);
    },
  },
];
