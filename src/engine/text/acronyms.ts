// All-capital tokens → how they are said. The rule, in order:
//  1. a known pronounceable acronym (NASA, NATO, SCUBA, RAM, GIF…) is said as a word and written
//     in lower case with a capital ("Nasa") so espeak cannot decide to spell it;
//  2. a common English word written in capitals for emphasis (NOT, STOP, FREE…) is lower-cased;
//  3. a token of five or more letters with a vowel that is not a known initialism is a shouted
//     word (HELLO, AMAZING) and is lower-cased; real initialisms that long are rare and listed;
//  4. anything else (FBI, API, URL, HTML, IT, US) is spelled letter by letter: "F-B-I".
// A plural "s" stays with the reading ("APIs" → "A-P-I's"). In a run of three or more capitalized
// words ("I CAN'T BELIEVE THE FBI IS HERE") the text is shouting: its words are lower-cased and
// only known initialisms and vowel-less tokens are spelled. Roman numerals after a name are read
// as ordinals ("Henry VIII" → "Henry the eighth") or after a counted word as numbers ("World War II").
import { cardinal, ordinal } from './numbers.js';
import { type Rule, atSentenceStart } from './rewrite.js';
import { spellLetters } from './spell.js';

const list = (words: string): Set<string> => new Set(words.trim().split(/\s+/));

const PRONOUNCED = list(`
  NASA NATO SCUBA RAM ROM GIF JPEG LASER RADAR SONAR UNESCO UNICEF FIFA UEFA NAFTA OPEC AIDS COVID SARS MERS PIN SIM
  LAN WAN DOS IKEA LEGO SWAT POTUS FLOTUS SCOTUS NIMBY YOLO FOMO TED ASCII CAPTCHA OSHA FEMA DARPA NASDAQ ANSI INTERPOL
  NORAD AWOL MIDI RAID WASP UNIX LINUX TESOL BAFTA ASEAN ZIP PAC SAAS NAND CUDA JSON YAML WASM`);

const EMPHASIS = list(`
  AN THE AND OR BUT NOT NO YES ALL ANY SOME NONE EVERY EACH BOTH MORE MOST LESS VERY REALLY JUST ONLY EVEN STILL EVER NEVER ALWAYS
  NOW THEN HERE THERE WHERE WHEN WHY HOW WHAT WHICH THIS THAT THESE THOSE IS ARE WAS WERE BE BEEN DO DOES DID DONE HAVE
  HAS HAD CAN WILL WOULD SHOULD COULD MUST MAY MIGHT SHALL TO OF IN ON AT BY FOR FROM WITH INTO OVER UNDER OUT OFF UP DOWN
  SO TOO AS IF ME MY WE OUR YOU YOUR HE HIM HIS SHE HER THEY THEM THEIR ITS GO GET GOT SEE LOOK READ CALL BUY WIN STOP HELP
  FREE NEW HOT BIG BEST GOOD BAD REAL TRUE FALSE LOVE HATE LIKE NEED WANT KNOW SAY SAID MAKE TAKE GIVE KEEP LET OPEN SALE
  NOTE WARN WOW HEY HI OH YAY NAH END EXIT DONE ONE TWO TEN LAST LOST WON OWN FAST SLOW HARD EASY SURE MUCH MANY ALSO ELSE
  SAFE RISK LIVE DEAD FIRE FUN JOB TIME DAY WEEK YEAR WORK HOME NAME MAIN MENU BACK NEXT SAVE SEND EDIT VIEW FILE HOLD WAIT
  DON'T CAN'T WON'T ISN'T AREN'T I'M YOU'RE IT'S`);

/** Initialisms spelled even when the surrounding text is all capitals, or when five letters long. */
const INITIALISMS = list(`
  FBI CIA NSA USA UK EU UN UAE API CEO CFO CTO COO TV PC AI DNA RNA BBC IBM IRS DMV DIY FAQ FYI ASAP ATM USB CPU GPU SSD OS UI UX
  IOU ETA NFL NBA NHL MLB NCAA ESPN UFO VIP MVP RSVP PDF HTML CSS HTTP HTTPS URL IP DNS VPN AWS IEEE NAACP ASPCA UNHCR OECD USAID
  USMC NYPD LAPD NYU MIT UCLA HBO PBS NPR GOP MBA PHD ICU ER EV IQ EQ PR HR QA OK`);

const VOWEL = /[AEIOUY]/;

/** How one all-capital token (no plural s) is said. */
export function readCaps(token: string): string {
  if (token === 'OK') return 'okay';
  if (PRONOUNCED.has(token)) return token.charAt(0) + token.slice(1).toLowerCase();
  if (INITIALISMS.has(token) || !VOWEL.test(token)) return spellLetters(token);
  if (EMPHASIS.has(token) || token.length >= 5) return token.toLowerCase();
  return spellLetters(token);
}

// Roman numerals: after these words they count ("World War II" → "two"); after another
// capitalized word they are regnal ordinals ("Henry VIII" → "the eighth").
const COUNTED = list(`
  war chapter part volume book act scene phase title level stage episode round season apollo type class grade mark gen
  generation section article schedule appendix vatican tier category`);

const ROMAN: Record<string, number> = { I: 1, V: 5, X: 10 };

/** Value of a canonical Roman numeral made of I, V and X, or 0. */
function romanValue(s: string): number {
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    const v = ROMAN[s[i]!]!;
    const next = ROMAN[s[i + 1] ?? ''] ?? 0;
    total += v < next ? -v : v;
  }
  return toRoman(total) === s ? total : 0;
}

function toRoman(n: number): string {
  const tens = 'X'.repeat(Math.floor(n / 10));
  const unit = ['', 'I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX'][n % 10]!;
  return tens + unit;
}

export const ACRONYM_RULES: readonly Rule[] = [
  {
    // Roman numerals after a word.
    re: /\b([A-Za-z]+) ([IVX]{1,6})(?![\w'’-])/g,
    to: (m) => {
      const [all, word, roman] = m;
      const value = romanValue(roman!);
      const counted = COUNTED.has(word!.toLowerCase());
      if (value < 1 || value > 39) return all;
      // A lone "I" is a pronoun unless a capitalized counted word precedes ("World War I", not "part I think").
      if (counted && (roman !== 'I' || /^[A-Z]/.test(word!))) return `${word} ${cardinal(String(value))}`;
      // Single letters are pronouns, grades and variables ("Plan X") unless a counted word precedes.
      if (roman!.length < 2 || !/^[A-Z][a-z]/.test(word!)) return all;
      return `${word} the ${ordinal(String(value))}`;
    },
  },
  {
    // Shouting: three or more capitalized words in a row.
    re: /(?<![\w'’-])(?:(?:[A-Z]{2,}|[AI])(?:['’][A-Z]+)?[\s,;:]+){2,}(?:[A-Z]{2,}|[AI])(?:['’][A-Z]+)?(?![\w'’-])/g,
    to: (m) => {
      const words = m[0].replace(/[A-Z]+(?:['’][A-Z]+)?/g, (w) => {
        if (w === 'I' || /^I['’]/.test(w)) return w.charAt(0) + w.slice(1).toLowerCase();
        const bare = w.replace(/’/g, "'");
        if (PRONOUNCED.has(bare) || INITIALISMS.has(bare) || (!VOWEL.test(bare) && bare.length > 1)) return w;
        return bare.toLowerCase();
      });
      return atSentenceStart(m) ? words.charAt(0).toUpperCase() + words.slice(1) : words;
    },
  },
  {
    // Shouted contractions: "DON'T" → "don't".
    re: /(?<![\w'’])[A-Z]+['’][A-Z]{1,2}(?![\w'’])/g,
    to: (m) => m[0].toLowerCase().replace(/^i(?=['’])/, 'I'),
  },
  {
    // Remaining capital tokens, with an optional plural s.
    re: /(?<![\w'’])([A-Z]{2,})('s|s)?(?![\w'’])/g,
    to: (m) => {
      let reading = readCaps(m[1]!);
      if (atSentenceStart(m)) reading = reading.charAt(0).toUpperCase() + reading.slice(1);
      if (!m[2]) return reading;
      return /-/.test(reading) ? `${reading}'s` : `${reading}${m[2]}`;
    },
  },
];
