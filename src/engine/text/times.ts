// Clock times → words: "3:30" → "three thirty", "3:05 pm" → "three oh five P-M", "12:00" →
// "twelve o'clock", "14:00" → "fourteen hundred", "14:45" → "fourteen forty-five", "9am–5pm" →
// "nine A-M to five P-M". A figure is a time when it has minutes (h:mm) or an am/pm marker.
// "am"/"pm" are spelled "A-M"/"P-M" (see spell.ts: espeak reads a lone "a" as the article).
// A figure like "16:9" with one-digit minutes is a ratio, read by the number rules.
import { cardinal } from './numbers.js';
import { type Rule, stopIfSentenceFollows } from './rewrite.js';

// One time: hours, optional :mm and :ss, optional am/pm in any of the usual spellings. The marker
// must not run into a word ("5 a month" is not a time).
const TIME = String.raw`(\d{1,2})(?::(\d{2})(?::(\d{2}))?)?(?: ?([AaPp])\.? ?([Mm])(\.?)(?![A-Za-z]))?`;

interface Clock {
  h: number;
  m?: number;
  s?: number;
  marker?: string;
}

function parse(g: readonly (string | undefined)[]): Clock | undefined {
  const [h, m, s, ap] = g;
  if (h === undefined) return undefined;
  const clock: Clock = { h: Number(h) };
  if (m !== undefined) clock.m = Number(m);
  if (s !== undefined) clock.s = Number(s);
  if (ap !== undefined) clock.marker = `${ap.toUpperCase()}-M`;
  return clock;
}

function valid(c: Clock): boolean {
  if (c.m !== undefined && c.m > 59) return false;
  if (c.s !== undefined && c.s > 59) return false;
  return c.marker ? c.h >= 0 && c.h <= 12 : c.h <= 24;
}

/** The spoken form of one valid time. */
function say(c: Clock): string {
  const min = c.m ?? 0;
  let words: string;
  if (c.marker) {
    words = cardinal(String(c.h === 0 ? 12 : c.h));
    if (min > 0) words += min < 10 ? ` oh ${cardinal(String(min))}` : ` ${cardinal(String(min))}`;
    words += ` ${c.marker}`;
  } else if (min === 0 && !c.s) {
    // "12:00" → "twelve o'clock"; 24-hour times say "hundred": "14:00" → "fourteen hundred".
    if (c.h === 0 || c.h === 24) words = 'midnight';
    else words = c.h <= 12 ? `${cardinal(String(c.h))} o'clock` : `${cardinal(String(c.h))} hundred`;
  } else {
    words = `${cardinal(String(c.h))} ${min < 10 ? `oh ${cardinal(String(min))}` : cardinal(String(min))}`;
  }
  if (c.s) words += ` and ${cardinal(String(c.s))} ${c.s === 1 ? 'second' : 'seconds'}`;
  return words;
}

/** Whether the figure was written as a time (minutes or a marker), not just an hour. */
const looksLikeTime = (c: Clock): boolean => c.m !== undefined || c.marker !== undefined;

export const TIME_RULES: readonly Rule[] = [
  {
    // A time or a range of times: "3:30", "3:05 pm", "9am-5pm", "9-5pm", "9:00–17:00".
    re: new RegExp(String.raw`(?<![\w.,:$])${TIME}(?: ?(?:-|–|—|to) ?${TIME})?(?![\w]|:\d|[.,]\d)`, 'g'),
    to: (m) => {
      const first = parse(m.slice(1, 5));
      const second = parse(m.slice(7, 11));
      const endDot = (second ? m[12] : m[6]) ?? '';
      if (!first || !valid(first) || (second && !valid(second))) return m[0];
      if (!looksLikeTime(first) && !(second && looksLikeTime(second))) return m[0];
      // In "9-5pm" the bare first hour is just "nine", not "nine o'clock".
      const start = looksLikeTime(first) ? say(first) : cardinal(String(first.h));
      let words = second ? `${start} to ${say(second)}` : start;
      // The period of "p.m." can also end the sentence.
      if (endDot) words += stopIfSentenceFollows(m);
      return words;
    },
  },
];
