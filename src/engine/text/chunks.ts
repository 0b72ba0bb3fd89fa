// Stage 2b of text → audio: group sentences into the chunks the model speaks, sized in model ids.
//
// Kokoro ('merge'): its own pipeline never cuts below a sentence and very short utterances ("Yes.",
// 5 ids) sound wrong and pick a style row far from their neighbours', so sentences are merged the
// way Kokoro-FastAPI merges them: a chunk grows while it stays within TARGET_MAX ids, may pass it
// only while it is still below TARGET_MIN, and never passes SENTENCE_MAX. The first chunk is kept
// short for fast first audio, but is a real clause: clauses are added until it has FIRST_MIN ids.
// A sentence longer than SENTENCE_MAX is cut at its clause ends (and, with none, at spaces).
//
// Piper and espeak ('sentence'): both Piper runtimes speak one utterance per sentence, so a chunk
// is a sentence; only a sentence longer than SENTENCE_MAX is cut at its clause ends.
//
// Sizes are model ids, but the plan must be known before any phonemizer runs (the cache key is
// the chunk text), so they are estimated from the text (`estimateIds`): for the alphabetic
// scripts one id per character is what espeak and misaki give within a few percent. Whatever the
// phonemizer, the tokenizer still cuts a chunk that ends up above 510 ids, so an estimate that is
// off only moves chunk edges. The planner takes any `measure` function, e.g. a real phoneme count.
import { splitAtSpaces, splitClauses, splitSentences } from './split.js';

export interface ChunkPolicy {
  mode: 'merge' | 'sentence';
  /** Ids of a piece of text (estimated); default `estimateIds`. */
  measure?: (text: string) => number;
}

/** The first chunk gets at least this many ids (a real clause, not "Yes."). */
export const FIRST_MIN = 40;
/** A first sentence longer than this is cut after the clause that reaches FIRST_MIN. */
export const FIRST_MAX = 80;
/** Later chunks: grow to TARGET_MIN, stop before TARGET_MAX (Kokoro-FastAPI's 175–250, a little wider). */
export const TARGET_MIN = 150;
export const TARGET_MAX = 250;
/** Longest piece kept whole; Kokoro takes 510 ids, this leaves room for a low estimate. */
export const SENTENCE_MAX = 400;

// Scripts whose characters each stand for a syllable or more: CJK ideographs ≈ 3 phonemes
// (initial, final, tone), kana and hangul ≈ 2.
const IDEOGRAPH = /\p{Script=Han}/u;
const SYLLABIC = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** Estimated model ids for `text`: one per character, more for syllabic and ideographic scripts. */
export function estimateIds(text: string): number {
  let n = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x2e80) n += 1;
    else if (IDEOGRAPH.test(ch)) n += 3;
    else if (SYLLABIC.test(ch)) n += 2;
    else n += 1;
  }
  return n;
}

const FULL_WIDTH_END = /[。！？、，；：]$/;

/** Joins pieces of one text: a space between them, none after a full-width mark. */
function join(a: string, b: string): string {
  if (!a) return b;
  return FULL_WIDTH_END.test(a) ? a + b : `${a} ${b}`;
}

interface Piece {
  text: string;
  ids: number;
}

/** A sentence as pieces of at most SENTENCE_MAX ids: whole, else clause groups up to TARGET_MAX, else cut at spaces. */
function sentencePieces(sentence: string, measure: (t: string) => number): Piece[] {
  const ids = measure(sentence);
  if (ids <= SENTENCE_MAX) return [{ text: sentence, ids }];
  const out: Piece[] = [];
  let cur = '';
  let curIds = 0;
  const flush = (): void => {
    if (cur) out.push({ text: cur, ids: curIds });
    cur = '';
    curIds = 0;
  };
  for (const clause of splitClauses(sentence)) {
    const parts = measure(clause) <= SENTENCE_MAX ? [clause] : splitAtSpaces(clause, TARGET_MAX);
    for (const part of parts) {
      const n = measure(part);
      if (cur && curIds + n > TARGET_MAX) flush();
      cur = join(cur, part);
      curIds += n;
    }
  }
  flush();
  return out;
}

/** Cuts the first chunk out of the first pieces: clauses until FIRST_MIN ids, at a sentence end if one comes first. */
function firstChunk(pieces: Piece[], measure: (t: string) => number): { first: string; rest: Piece[] } {
  let text = '';
  let ids = 0;
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i]!;
    if (ids + p.ids > FIRST_MAX) {
      // Take this piece clause by clause and leave the rest of it for the next chunk.
      const clauses = splitClauses(p.text);
      let head = text;
      let headIds = ids;
      for (let k = 0; k < clauses.length - 1; k++) {
        head = join(head, clauses[k]!);
        headIds += measure(clauses[k]!);
        if (headIds >= FIRST_MIN) {
          const tail = clauses.slice(k + 1).reduce(join, '');
          return { first: head, rest: [{ text: tail, ids: measure(tail) }, ...pieces.slice(i + 1)] };
        }
      }
      // No clause ends early enough: the whole piece.
    }
    text = join(text, p.text);
    ids += p.ids;
    if (ids >= FIRST_MIN) return { first: text, rest: pieces.slice(i + 1) };
  }
  return { first: text, rest: [] };
}

/** Groups pieces greedily: grow to TARGET_MIN, stay within TARGET_MAX unless still short, never above SENTENCE_MAX. */
function merge(pieces: Piece[]): string[] {
  const out: string[] = [];
  let prevIds = 0;
  let cur = '';
  let ids = 0;
  for (const p of pieces) {
    const fits = ids + p.ids <= TARGET_MAX || (ids < TARGET_MIN && ids + p.ids <= SENTENCE_MAX);
    if (cur && !fits) {
      out.push(cur);
      prevIds = ids;
      cur = '';
      ids = 0;
    }
    cur = join(cur, p.text);
    ids += p.ids;
  }
  if (!cur) return out;
  // A short tail joins the chunk before it, when that stays within SENTENCE_MAX.
  if (out.length > 0 && ids < FIRST_MIN && prevIds + ids <= SENTENCE_MAX) out[out.length - 1] = join(out[out.length - 1]!, cur);
  else out.push(cur);
  return out;
}

/** The chunks of normalized text, in order. Joined with spaces they give back the text (line breaks as spaces). */
export function planChunks(text: string, policy: ChunkPolicy): string[] {
  const measure = policy.measure ?? estimateIds;
  const pieces = splitSentences(text).flatMap((s) => sentencePieces(s, measure));
  if (pieces.length === 0) return [];
  if (policy.mode === 'sentence') return pieces.map((p) => p.text);
  const { first, rest } = firstChunk(pieces, measure);
  return [first, ...merge(rest)];
}
