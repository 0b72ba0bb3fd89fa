// Abbreviations, dotted initialisms and initials → words, without leaving a ". " that would cut a
// sentence in two. Each abbreviation has a period policy (see rewrite.ts):
//  - titles before a name (Dr., Mr., Prof., St. Louis) never keep the period;
//  - words that often end a sentence (etc., Inc., Ave., Main St.) keep it before a capitalized word
//    or at the end of a line;
//  - initialisms and initials (U.S., Jr., John F. Kennedy) keep it only before a typical sentence
//    opener ("The", "He"…) or at the end of a line, since a capitalized word after them is usually a name.
// "St." and "Dr." are Saint/Doctor before a name and Street/Drive after a capitalized word.
import {
  type Rule, afterMidSentenceCapital, atSentenceStart, beforeCapital, beforeName, matchCase, stopIfCapitalFollows,
  stopIfSentenceFollows, wordBefore,
} from './rewrite.js';
import { spellLetters } from './spell.js';

const TITLES: Record<string, string> = {
  Mr: 'Mister', Mrs: 'Missus', Ms: 'Miz', Messrs: 'Messieurs', Prof: 'Professor', Gen: 'General', Gov: 'Governor',
  Sen: 'Senator', Rep: 'Representative', Pres: 'President', Capt: 'Captain', Lt: 'Lieutenant', Sgt: 'Sergeant',
  Col: 'Colonel', Cmdr: 'Commander', Adm: 'Admiral', Rev: 'Reverend', Hon: 'Honorable', Fr: 'Father', Supt: 'Superintendent',
  Mt: 'Mount', Ft: 'Fort',
};

// Abbreviations that may end a sentence: the period comes back before a capitalized word.
const ENDERS: Record<string, string> = {
  etc: 'et cetera', Inc: 'Incorporated', Ltd: 'Limited', Co: 'Company', Corp: 'Corporation', Bros: 'Brothers',
  Ave: 'Avenue', Rd: 'Road', Blvd: 'Boulevard', Ln: 'Lane', Hwy: 'Highway', Pkwy: 'Parkway', Ct: 'Court', Apt: 'Apartment',
  Dept: 'Department', dept: 'department', Univ: 'University', Assn: 'Association', Intl: 'International',
  Jan: 'January', Feb: 'February', Mar: 'March', Apr: 'April', Jun: 'June', Jul: 'July', Aug: 'August',
  Sep: 'September', Sept: 'September', Oct: 'October', Nov: 'November', Dec: 'December',
};

// Abbreviations used inside a sentence; their period never ends one.
const INNER: Record<string, string> = {
  vs: 'versus', approx: 'approximately', cf: 'compare', viz: 'namely', avg: 'average', max: 'maximum', misc: 'miscellaneous',
  govt: 'government', natl: 'national', esp: 'especially', incl: 'including',
};
// Inner abbreviations that may also be capitalized at a sentence start ("Approx. 5"); not "Max.", a name.
const INNER_CAPITALIZED = ['vs', 'approx', 'cf', 'viz', 'avg', 'esp', 'incl'];

// Abbreviations read only before a figure: "No. 5" → "number five", "p. 12" → "page twelve".
const BEFORE_NUMBER: Record<string, string> = {
  No: 'number', Nos: 'numbers', no: 'number', nos: 'numbers', Fig: 'figure', fig: 'figure', Figs: 'figures', figs: 'figures',
  Vol: 'volume', vol: 'volume', Ch: 'chapter', ch: 'chapter', Chap: 'chapter', p: 'page', pp: 'pages', Pt: 'part', pt: 'part',
  Sec: 'section', sec: 'section', Art: 'article', art: 'article', Eq: 'equation', eq: 'equation', Ex: 'exhibit', Ep: 'episode',
};

const keys = (table: Record<string, string>): string => Object.keys(table).sort((a, b) => b.length - a.length).join('|');

/** True when a capitalized word (or nothing, at a sentence start) comes before: the context of a name. */
function nameContext(m: RegExpExecArray): boolean {
  return atSentenceStart(m) || /^[A-Z]/.test(wordBefore(m));
}

const WEEKDAYS: Record<string, string> = {
  Mon: 'Monday', Tue: 'Tuesday', Tues: 'Tuesday', Wed: 'Wednesday', Thu: 'Thursday', Thur: 'Thursday', Thurs: 'Thursday',
  Fri: 'Friday', Sat: 'Saturday', Sun: 'Sunday',
};
const DAY = String.raw`(?:${keys(WEEKDAYS)})\b`;
// Another weekday joined to this one ("Mon.–Fri.", "Sat and Sun"), or a time or date after it.
const DAY_AFTER = new RegExp(String.raw`^\.?\s*(?:[-–—&,/]|to|and|through|thru)\s*${DAY}`);
const DAY_BEFORE = new RegExp(String.raw`(?:${keys(WEEKDAYS)})[a-z]*\.?\s*(?:[-–—&,/]|to|and|through|thru)\s*$`);
const FIGURE_AFTER = /^\.?,?\s*(?:\d|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon|midnight)\b)/i;

/** Weekday abbreviations: with a period always ("Mon."), except "Sat."/"Sun." (a star, a paper) and bare forms, which need a weekday or a figure beside them. */
function weekday(m: RegExpExecArray): string {
  const [, day, dot] = m;
  const after = m.input.slice(m.index + day!.length, m.index + day!.length + 40);
  const near = DAY_AFTER.test(after) || DAY_BEFORE.test(m.input.slice(Math.max(0, m.index - 40), m.index)) || FIGURE_AFTER.test(after);
  if (!near && (!dot || day === 'Sat' || day === 'Sun')) return m[0];
  return WEEKDAYS[day!]! + (dot ? stopIfCapitalFollows(m) : '');
}

export const ABBREVIATION_RULES: readonly Rule[] = [
  {
    re: new RegExp(String.raw`\b(${keys(WEEKDAYS)})(?:(\.)|\b)`, 'g'),
    to: weekday,
  },
  {
    // Latin and other inner abbreviations with dots between letters.
    re: /\b([Ee])\.g\.|\b([Ii])\.e\.|\b([Aa])\.k\.a\.|\baka\b/g,
    to: (m) => (m[1] ? matchCase(m[1], 'for example') : m[2] ? matchCase(m[2], 'that is') : 'also known as'),
  },
  {
    re: /\bPh\.D\.?/g,
    to: (m) => `P-H-D${m[0].endsWith('.') ? stopIfSentenceFollows(m) : ''}`,
  },
  {
    re: /\bet al\./g,
    to: (m) => `et al${stopIfCapitalFollows(m)}`,
  },
  {
    // Figures' labels: "No. 5", "pp. 10-12", "Fig. 3".
    re: new RegExp(String.raw`\b(${keys(BEFORE_NUMBER)})\. ?(?=\d)`, 'g'),
    to: (m) => `${matchCase(m[1]!, BEFORE_NUMBER[m[1]!]!)} `,
  },
  {
    // "St." and "Dr.": Saint/Doctor before a name, Street/Drive after a capitalized word.
    re: /\b(St|Dr)\.(?=\s|$)/g,
    to: (m) => {
      const [title, place] = m[1] === 'St' ? ['Saint', 'Street'] : ['Doctor', 'Drive'];
      if (beforeName(m)) return title;
      if (afterMidSentenceCapital(m)) return place + stopIfCapitalFollows(m);
      if (beforeCapital(m)) return title; // "Call Dr. Who": a title before a capitalized word
      if (/^[A-Z]/.test(wordBefore(m))) return place + stopIfCapitalFollows(m);
      return title + stopIfCapitalFollows(m);
    },
  },
  {
    // Titles before names; British style without the period too ("Mr Smith").
    re: new RegExp(String.raw`\b(${keys(TITLES)})\.(?=\s)|\b(Mr|Mrs|Ms|Dr)(?= [A-Z])`, 'g'),
    to: (m) => (m[1] ? TITLES[m[1]]! : m[2] === 'Dr' ? 'Doctor' : TITLES[m[2]!]!),
  },
  {
    // Jr. and Sr. after a name: "Martin Luther King Jr. Day", "… Jr. He".
    re: /\b(Jr|Sr)\./g,
    to: (m) => (m[1] === 'Jr' ? 'Junior' : 'Senior') + stopIfSentenceFollows(m),
  },
  {
    re: new RegExp(String.raw`\b(${keys(ENDERS)})\.`, 'g'),
    to: (m) => ENDERS[m[1]!]! + stopIfCapitalFollows(m),
  },
  {
    // "est. 1999" is "established"; otherwise "est." is "estimated".
    re: /\b([Ee])st\.(?=( ?(?:\d|(?:nineteen|eighteen|seventeen|sixteen|twenty|two thousand)\b))|)/g,
    to: (m) => matchCase(m[1]!, m[2] !== undefined ? 'established' : 'estimated'),
  },
  {
    re: new RegExp(
      String.raw`\b(${keys(INNER)}|${INNER_CAPITALIZED.map((k) => k.charAt(0).toUpperCase() + k.slice(1)).join('|')})\.|\b([Vv]s)\b`,
      'g',
    ),
    to: (m) => matchCase((m[1] ?? m[2])!, INNER[(m[1] ?? m[2])!.toLowerCase()]!),
  },
  {
    // "w/" and "w/o".
    re: /(?<![\w/])w\/o(?![\w/])|(?<![\w/])w\/(?=\s|\w)/gi,
    to: (m) => (m[0].length === 3 ? 'without' : 'with '),
  },
  {
    // Dotted initialisms: "U.S.", "U.K.", "D.C.", "J.R.R.", also "U.S" without the last period.
    re: /(?<![\w.])((?:[A-Z]\.){2,}|(?:[A-Z]\.)+[A-Z]\b)/g,
    to: (m) => {
      const spelled = spellLetters(m[1]!.replace(/\./g, ''));
      return m[1]!.endsWith('.') ? spelled + stopIfSentenceFollows(m) : spelled;
    },
  },
  {
    // Single initials: "John F. Kennedy", "J. K. Rowling". The period goes when another initial
    // or a name follows in a name context; "vitamin C. Most" keeps it. An initial A is joined to
    // the next word ("A-Lincoln") so espeak says the letter, not the article.
    re: /(?<![\w.'’-])([A-Z])\. (?=\S)/g,
    to: (m) => {
      const nextIsInitial = /^[A-Z]\.(?:\s|$)/.test(m.input.slice(m.index + m[0].length));
      if (nextIsInitial || (beforeName(m) && nameContext(m))) return m[1] === 'A' ? 'A-' : `${m[1]} `;
      return m[0];
    },
  },
];
