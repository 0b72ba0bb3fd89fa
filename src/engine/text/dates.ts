// Dates and years → words, American style.
// Dates: "3/12/2025" (month/day/year; day/month when the first number cannot be a month),
// "2025-03-12" (ISO), "12.03.2025" (day.month.year, as written where dots are used), "March 3",
// "Mar. 3, 2025", "3 March 2025", "March 2025" → "March twelfth, twenty twenty-five" and the like.
// Years: a four-digit figure is read as a year ("nineteen ninety-nine") only where something says
// it is one: inside a date, a decade ("the 1990s"), a range of two year-like figures ("1990–1995"),
// after a year cue ("in", "since", "by", "until", "circa", "the year", "summer of"…), in
// parentheses ("(1999)"), before a verb years take ("1999 was"), or beside AD/BC/CE/BCE.
// Anywhere else it is a quantity: "1999 apples" is "one thousand nine hundred ninety-nine apples".
// Cue-based years cover 1000–2099 ("in 1066"); cue-less shapes (parentheses, ranges, "1999 was")
// 1100–2099, where a year is the likely meaning. A unit after the figure ("in 2000 km") makes it
// a quantity again.
import { cardinal, ordinal, pluralize, shortYearWords, yearWords } from './numbers.js';
import { type Rule, stopIfCapitalFollows } from './rewrite.js';
import { spellLetters } from './spell.js';
import { UNIT_FOLLOWS } from './units.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTH_ABBREVIATIONS: Record<string, number> = {
  Jan: 1, Feb: 2, Mar: 3, Apr: 4, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Sept: 9, Oct: 10, Nov: 11, Dec: 12,
};
// Full names first so "March" is not taken as "Mar" + "ch"; \b after the group does the rest.
const MONTH = `(${[...MONTHS, ...Object.keys(MONTH_ABBREVIATIONS).sort((a, b) => b.length - a.length)].join('|')})\\b`;
// An abbreviation's period is eaten only when a figure follows, so "in Dec." can still end a sentence.
const MONTH_DOT = String.raw`(?:\.(?=,? \d))?`;

function monthName(word: string): string {
  return MONTHS.find((m) => m === word) ?? MONTHS[MONTH_ABBREVIATIONS[word]! - 1]!;
}

const validDay = (d: number): boolean => d >= 1 && d <= 31;
const validMonth = (m: number): boolean => m >= 1 && m <= 12;
const inRange = (digits: string, lo: number, hi: number): boolean => Number(digits) >= lo && Number(digits) <= hi;

/** A year figure of a date: four digits as a year, two as "oh five" / "ninety-nine". */
const dateYear = (y: string): string => (y.length === 2 ? shortYearWords(y) : yearWords(y));

/** "March twelfth[, twenty twenty-five]". */
function monthDay(month: number, day: number, year?: string): string {
  return `${MONTHS[month - 1]} ${ordinal(String(day))}${year ? `, ${dateYear(year)}` : ''}`;
}

// Words after which a four-digit figure is a year. Case-insensitive.
const YEAR_CUES = [
  'in', 'since', 'by', 'until', 'till', 'from', 'during', 'before', 'after', 'around', 'circa', 'ca\\.', 'c\\.', 'through',
  'the year', 'year', 'early', 'late', 'mid', 'copyright', 'born in', 'born', 'died in', 'died', 'founded in', 'founded',
  'established in', 'established', 'est\\.', 'built in', 'built', 'released in', 'released', 'published in', 'published',
  '(?:summer|winter|spring|autumn|fall|class|year|end|start|beginning|turn) of', 'Q[1-4]', 'FY', '©',
].join('|');

const NOT_A_QUANTITY = String.raw`(?![\w]|[.,]\d|${UNIT_FOLLOWS})`;

export const DATE_RULES: readonly Rule[] = [
  // A date said as a name.
  { re: /(?<![\w\/])9\/11(?![\w\/])/g, to: () => 'nine eleven' },
  {
    // ISO 8601: 2025-03-12, optionally with a time after T (read by the time rules).
    re: /(?<![\w.\/-])(\d{4})-(\d{2})-(\d{2})(?:(T)(?=\d{2}:\d{2})|(?![\w-]|[.\/]\d))/g,
    to: (m) => {
      const [all, y, mo, d, t] = m;
      if (!validMonth(Number(mo)) || !validDay(Number(d))) return all;
      return monthDay(Number(mo), Number(d), y) + (t ? ', at ' : '');
    },
  },
  {
    // Slashes or dashes: month/day/year (US); day/month/year when the first figure is over 12.
    re: /(?<![\w.\/-])(\d{1,2})([\/-])(\d{1,2})\2(\d{4}|\d{2})(?![\w\/-]|\.\d)/g,
    to: (m) => {
      const [all, a, , b, y] = m;
      let [mo, d] = [Number(a), Number(b)];
      if (!validMonth(mo) && validMonth(d)) [mo, d] = [d, mo];
      if (!validMonth(mo) || !validDay(d)) return all;
      return monthDay(mo, d, y);
    },
  },
  {
    // Dots: day.month.year.
    re: /(?<![\w.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\w]|\.\d)/g,
    to: (m) => {
      const [all, d, mo, y] = m;
      if (!validMonth(Number(mo)) || !validDay(Number(d))) return all;
      return monthDay(Number(mo), Number(d), y);
    },
  },
  {
    // Month and day without a year, after a word that makes it a date: "on 3/12", "until 12/31".
    // Not after "by" or "from", which as often take fractions ("reduce by 1/3").
    re: /\b(on|until|till|since|before|after|through|thru|due|starting|ending|effective) (\d{1,2})\/(\d{1,2})(?![\w\/]|\.\d)/gi,
    to: (m) => {
      const [all, cue, mo, d] = m;
      if (!validMonth(Number(mo)) || !validDay(Number(d))) return all;
      return `${cue} ${monthDay(Number(mo), Number(d))}`;
    },
  },
  {
    // Month name, day, optional year: "March 3", "Mar. 3rd", "March 3, 2025".
    re: new RegExp(String.raw`\b${MONTH}${MONTH_DOT} (\d{1,2})(?:st|nd|rd|th)?(?:,? (\d{4})(?![\w]|[.,]\d))?(?![\w:]|[.,]\d)`, 'g'),
    to: (m) => {
      const [all, month, d, y] = m;
      if (!validDay(Number(d))) return all;
      return `${monthName(month!)} ${ordinal(d!)}${y ? `, ${yearWords(y)}` : ''}`;
    },
  },
  {
    // Day, month name, optional year: "3 March 2025", "the 3rd of March".
    re: new RegExp(String.raw`(?<![\w.,])(?:(the|The) )?(\d{1,2})(?:st|nd|rd|th)? (?:of )?${MONTH}${MONTH_DOT}(?:,? (\d{4})(?![\w]|[.,]\d))?`, 'g'),
    to: (m) => {
      const [all, the, d, month, y] = m;
      if (!validDay(Number(d))) return all;
      return `${the ?? 'the'} ${ordinal(d!)} of ${monthName(month!)}${y ? `, ${yearWords(y)}` : ''}`;
    },
  },
  {
    // Month name and year: "March 2025", "Jan. 1999".
    re: new RegExp(String.raw`\b${MONTH}${MONTH_DOT},? (\d{4})(?![\w]|[.,]\d)`, 'g'),
    to: (m) => `${monthName(m[1]!)} ${yearWords(m[2]!)}`,
  },
  {
    // Decades: "the 1990s", "1800s", "the '90s", "her 20s", "1960's".
    re: /(?<![\w$.,'])(?:(1[1-9]\d0|20\d0)|'(\d0)|(\d0))'?s\b/g,
    to: (m) => {
      const [, four, quoted, two] = m;
      if (four) return pluralize(yearWords(four));
      const d = (quoted ?? two)!;
      return d === '00' ? 'two thousands' : pluralize(cardinal(d));
    },
  },
  {
    // Two years joined: "between 1990 and 2000", "from 1066 to 1087".
    re: /\b(between|from) (\d{4}) (and|to|until|till|through) (\d{4})(?![\w]|[.,]\d)/gi,
    to: (m) => {
      const [all, a, y1, b, y2] = m;
      if (!inRange(y1!, 1000, 2099) || !inRange(y2!, 1000, 2099)) return all;
      return `${a} ${yearWords(y1!)} ${b} ${yearWords(y2!)}`;
    },
  },
  {
    // Year ranges without a cue: "1990–1995", "1990-95", "2019–20".
    re: new RegExp(String.raw`(?<![\w$€£.,\/-])(\d{4})(?: ?[–—] ?|-)(\d{4}|\d{2})${NOT_A_QUANTITY}`, 'g'),
    to: (m) => {
      const [all, y1, y2] = m;
      if (!inRange(y1!, 1100, 2099)) return all;
      if (y2!.length === 2) {
        if (Number(y2) <= Number(y1) % 100) return all;
        return `${yearWords(y1!)} to ${shortYearWords(y2!)}`;
      }
      if (!inRange(y2!, 1100, 2099)) return all;
      return `${yearWords(y1!)} to ${yearWords(y2!)}`;
    },
  },
  {
    // A year after a cue: "in 1999", "since 2005", "the summer of 1969", "mid-1990", "Q3 2025".
    re: new RegExp(String.raw`(?<![\w$])((?:${YEAR_CUES}) |mid-|©)(\d{4})${NOT_A_QUANTITY}`, 'gi'),
    to: (m) => {
      const [all, cue, y] = m;
      if (!inRange(y!, 1000, 2099)) return all;
      return `${cue === '©' ? 'copyright ' : cue}${yearWords(y!)}`;
    },
  },
  {
    // A year as the subject of a verb that years take: "1999 was a good year", "2020 saw…".
    re: /(?<![\w$€£.,\/-])(\d{4})(?= (?:was|saw|brought|marked|began|ended|will be|has been|had been)\b)/g,
    to: (m) => (inRange(m[1]!, 1100, 2099) ? yearWords(m[1]!) : m[0]),
  },
  {
    // A year in parentheses, as after a title: "Blade Runner (1982)".
    re: /\((\d{4})\)/g,
    to: (m) => (inRange(m[1]!, 1100, 2099) ? `(${yearWords(m[1]!)})` : m[0]),
  },
  {
    // Eras: "1066 AD", "AD 1066", "500 BC", "300 BCE".
    re: /(?<![\w.,])(?:(\d{1,4}) ?(BC|BCE|AD|CE|B\.C\.|A\.D\.)(?![\w])|(AD|A\.D\.) (\d{1,4})\b)/g,
    to: (m) => {
      const [, y1, era1, era2, y2] = m;
      const written = (era1 ?? era2)!;
      const era = spellLetters(written.replace(/\./g, ''));
      // "in 500 B.C." ends a sentence with the abbreviation's period.
      const stop = y1 && written.endsWith('.') ? stopIfCapitalFollows(m) : '';
      return y1 ? `${yearWords(y1)} ${era}${stop}` : `${era} ${yearWords(y2!)}`;
    },
  },
];
