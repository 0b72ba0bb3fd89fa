// Stage 2a of text → audio: cut normalized text into sentences, a sentence into clauses, and (last
// resort) a run of words into pieces at spaces. The chunk planner (chunks.ts) decides how these
// pieces are grouped into the chunks the model speaks.
//
// Every function here is linear in the length of its input: sentences come from ICU's sentence
// segmenter (Intl.Segmenter, which also knows 。！？ and closing quotes and brackets after a full
// stop), clauses and spaces from single left-to-right scans. No regex here can backtrack over a
// run of brackets, quotes, digits or spaces.

let segmenter: Intl.Segmenter | undefined;

/** The sentences of `text`, trimmed, in order; line breaks always end a sentence. */
export function splitSentences(text: string): string[] {
  segmenter ??= new Intl.Segmenter('en', { granularity: 'sentence' });
  const out: string[] = [];
  for (const line of text.split('\n')) {
    for (const { segment } of segmenter.segment(line)) {
      const s = segment.trim();
      if (s) out.push(s);
    }
  }
  return out;
}

// Punctuation that ends a clause: Latin and full-width/ideographic forms.
const CLAUSE_MARKS = new Set([',', ';', ':', '—', '–', '、', '，', '；', '：']);
// Marks written without a space after them (CJK); a clause ends right after them.
const NO_SPACE_MARKS = new Set(['、', '，', '；', '：']);
// What may sit between a clause mark and the space: closing quotes and brackets.
const CLOSERS = new Set(['"', "'", '”', '’', ')', ']', '}', '»']);

/**
 * The clauses of one sentence: cut after clause punctuation that is followed by a space (closing
 * quotes or brackets in between stay with the clause), or after a full-width mark. Joined with
 * single spaces (full-width marks: nothing) they give the sentence back.
 */
export function splitClauses(sentence: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  const n = sentence.length;
  while (i < n) {
    const c = sentence[i]!;
    i++;
    if (!CLAUSE_MARKS.has(c)) continue;
    let j = i;
    while (j < n && CLOSERS.has(sentence[j]!)) j++;
    const cut = NO_SPACE_MARKS.has(c) ? j : j < n && /\s/.test(sentence[j]!) ? j : -1;
    if (cut < 0) continue; // "1,000", "3:30", "well—no": not a clause end
    const piece = sentence.slice(start, cut).trim();
    if (piece) out.push(piece);
    start = cut;
    i = cut;
  }
  const rest = sentence.slice(start).trim();
  if (rest) out.push(rest);
  return out;
}

/**
 * Cuts `text` into pieces of at most `max` characters at spaces; a word longer than `max` is cut
 * inside (nothing is dropped). Linear: each cut looks back at most `max` characters once.
 */
export function splitAtSpaces(text: string, max: number): string[] {
  const out: string[] = [];
  const t = text.trim();
  let start = 0;
  while (t.length - start > max) {
    let cut = t.lastIndexOf(' ', start + max);
    if (cut <= start) cut = start + max;
    const piece = t.slice(start, cut).trim();
    if (piece) out.push(piece);
    start = cut;
    while (start < t.length && t[start] === ' ') start++;
  }
  if (start < t.length) out.push(t.slice(start));
  return out;
}
