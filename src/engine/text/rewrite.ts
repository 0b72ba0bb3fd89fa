// Shared plumbing for the normalization rules: a regex pass that hands each match (with its
// position in the text) to a function, and the sentence-boundary tests that decide whether a
// period eaten by an abbreviation must be put back. The splitter cuts sentences at ". " so these
// tests are what keep "Dr. Smith" in one sentence and "…, etc. The next" in two.

/** One rule: every match of `re` (which must have the g flag) is replaced by `to(match)`. */
export interface Rule {
  re: RegExp;
  to: (m: RegExpExecArray) => string;
}

/** Applies one rule; `m.index` and `m.input` give the rule access to the text around a match. */
export function rewrite(text: string, rule: Rule): string {
  rule.re.lastIndex = 0;
  let out = '';
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = rule.re.exec(text)) !== null) {
    if (m[0].length === 0) {
      rule.re.lastIndex++;
      continue;
    }
    out += text.slice(last, m.index) + rule.to(m);
    last = m.index + m[0].length;
  }
  return last === 0 && out === '' ? text : out + text.slice(last);
}

/** Applies rules in order. */
export function applyRules(text: string, rules: readonly Rule[]): string {
  let t = text;
  for (const rule of rules) t = rewrite(t, rule);
  return t;
}

// Words that very often start a sentence. After an abbreviation or initial, a following
// capitalized word that is one of these means the period also ended the sentence; any other
// capitalized word is more likely a name ("U.S. Army", "John F. Kennedy").
const SENTENCE_STARTERS = new Set(
  ('a an the this that these those there here it its i he she we they you my our your his her their ' +
    'and but or so yet for nor then now also however still thus hence meanwhile finally first next ' +
    'if when while after before since because although though unless once until as at by in on to ' +
    'from with of about what why how who where which yes no not please let most many some all each ' +
    'every one today tomorrow yesterday later soon just even only both either neither such another')
    .split(' '),
);

/** The text right after a match, up to the next word. */
function after(m: RegExpExecArray): string {
  return m.input.slice(m.index + m[0].length, m.index + m[0].length + 40);
}

/** The next word after the match, skipping closing and opening quotes and brackets. */
function nextWord(m: RegExpExecArray): string {
  return /^[)\]"'”’]*\s*["“‘'(\[]*([A-Za-z]+)/.exec(after(m))?.[1] ?? '';
}

/** True when the match is followed by the end of the text or of the line (closing quotes skipped). */
export function atLineEnd(m: RegExpExecArray): boolean {
  return /^[)\]"'”’]*[ \t]*(?:\n|$)/.test(after(m));
}

/** True when the next word after the match is capitalized. */
export function beforeCapital(m: RegExpExecArray): boolean {
  return /^[A-Z]/.test(nextWord(m));
}

/** True when the next word is capitalized and is a typical sentence opener ("The", "He", "But"…). */
export function beforeSentenceStarter(m: RegExpExecArray): boolean {
  const w = nextWord(m);
  return /^[A-Z]/.test(w) && SENTENCE_STARTERS.has(w.toLowerCase());
}

/** True when the next word is capitalized but is not a typical sentence opener, i.e. likely a name. */
export function beforeName(m: RegExpExecArray): boolean {
  return beforeCapital(m) && !beforeSentenceStarter(m);
}

/**
 * Period policy for abbreviations that often end a sentence ("etc.", "Inc.", "Ave."): the period
 * is kept at the end of a line or before a capitalized word.
 */
export function stopIfCapitalFollows(m: RegExpExecArray): string {
  return atLineEnd(m) || beforeCapital(m) ? '.' : '';
}

/**
 * Period policy for tokens usually followed by names ("U.S. Army", "King Jr. Day", "John F. Kennedy"):
 * the period is kept only at the end of a line or before a typical sentence opener.
 */
export function stopIfSentenceFollows(m: RegExpExecArray): string {
  return atLineEnd(m) || beforeSentenceStarter(m) ? '.' : '';
}

/** The word before the match (letters only), or '' at the start of the text. */
export function wordBefore(m: RegExpExecArray): string {
  return /([A-Za-z]+)[^A-Za-z\n]*$/.exec(m.input.slice(Math.max(0, m.index - 40), m.index))?.[1] ?? '';
}

/** True when the word before the match is capitalized and is not the first word of its sentence ("on Main St."). */
export function afterMidSentenceCapital(m: RegExpExecArray): boolean {
  const start = Math.max(0, m.index - 60);
  const w = /(^|[.!?…]["'”’)]*\s+|\n|\s)["“'(]*[A-Z][A-Za-z'’-]*\s+$/.exec(m.input.slice(start, m.index));
  if (!w) return false;
  const sentenceInitial = w[1] === '' ? start === 0 : /[.!?…\n]/.test(w[1]!);
  return !sentenceInitial;
}

/** True when the match starts a sentence: at the start of the text or a line, or after ". ", "! ", "? ". */
export function atSentenceStart(m: RegExpExecArray): boolean {
  return /(?:^|\n|[.!?…]["'”’)]*\s+)["“'(]*$/.test(m.input.slice(Math.max(0, m.index - 10), m.index)) || m.index === 0;
}

/** Capitalizes `words` when `source` starts with a capital letter (sentence-initial "E.g." → "For example"). */
export function matchCase(source: string, words: string): string {
  return /^[A-Z]/.test(source) ? words.charAt(0).toUpperCase() + words.slice(1) : words;
}
