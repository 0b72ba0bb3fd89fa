// Stage 2 of text → audio: cut normalized text into chunks the model can take in one run.
// Chunks follow sentences; a long sentence is cut at clause punctuation, then at spaces, and only
// as a last resort inside a word, so nothing is ever dropped. The first chunk is kept short (its
// first clause) so that audio can start while the rest is synthesized.

export interface SplitOptions {
  /** Longest chunk, in characters (≈ phonemes); the tokenizer splits further if a chunk still has too many ids. */
  maxChars?: number;
  /** When the first sentence is longer than this, its first clause becomes a chunk of its own. */
  firstChunkChars?: number;
}

const SENTENCE_END = /(?<=[.!?…]["'”)\]]*)\s+|\n+/;
const CLAUSE_END = /(?<=[,;:—])\s+/g;

/** Splits text into sentences at terminal punctuation followed by a space, and at line breaks. */
export function splitSentences(text: string): string[] {
  return text
    .split(SENTENCE_END)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Splits one sentence into pieces of at most `max` characters, preferring clause boundaries. */
function splitLong(sentence: string, max: number): string[] {
  if (sentence.length <= max) return [sentence];
  const out: string[] = [];
  let rest = sentence;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    const cut = lastBoundary(window, CLAUSE_END) ?? lastBoundary(window, /\s+/g) ?? max;
    out.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) out.push(rest);
  return out;
}

/** End of the last match of `re` inside `window` that leaves a non-empty head, or undefined. */
function lastBoundary(window: string, re: RegExp): number | undefined {
  let best: number | undefined;
  for (const m of window.matchAll(re)) if (m.index! > 0) best = m.index! + m[0].length;
  return best;
}

/** Splits off the first clause of a long first sentence, for a fast first chunk. */
function splitFirst(sentence: string, firstChunkChars: number): string[] {
  if (sentence.length <= firstChunkChars) return [sentence];
  for (const m of sentence.matchAll(CLAUSE_END)) {
    const cut = m.index! + m[0].length;
    if (cut > firstChunkChars) break;
    if (cut >= 12) return [sentence.slice(0, cut).trim(), sentence.slice(cut).trim()];
  }
  return [sentence];
}

/** The chunks of normalized text, in order; joined with spaces they give back the text. */
export function splitText(text: string, opts: SplitOptions = {}): string[] {
  const max = opts.maxChars ?? 300;
  const first = opts.firstChunkChars ?? 100;
  const chunks: string[] = [];
  for (const sentence of splitSentences(text)) {
    const pieces = chunks.length === 0 ? splitFirst(sentence, first) : [sentence];
    for (const p of pieces) chunks.push(...splitLong(p, max));
  }
  return chunks;
}
