// Kokoro's phonemes → token ids. espeak-ng writes IPA; Kokoro was trained on a slightly different
// alphabet (diphthongs and affricates as single letters, no length marks in American English), so
// the espeak output is rewritten first, then every symbol is looked up in the vocab. Symbols the
// vocab lacks are dropped (and reported), never sent as ids. Sequences longer than the model takes
// are cut at word boundaries, never truncated.
import { KOKORO_PAD_ID, KOKORO_VOCAB } from './kokoro-vocab.js';

/** Most ids the model takes between the two pad ids. */
export const KOKORO_MAX_IDS = 510;

// [espeak, kokoro] rewrites for English, applied in this order.
const NAME_FIXES: [string, string][] = [
  // espeak's reading of the name "Kokoro" stresses the wrong syllable.
  ['kəkˈoːɹoʊ', 'kˈoʊkəɹoʊ'],
  ['kəkˈɔːɹəʊ', 'kˈəʊkəɹəʊ'],
];
const ENGLISH: [string, string][] = [
  ['dʒ', 'ʤ'],
  ['tʃ', 'ʧ'],
  ['eɪ', 'A'],
  ['aɪ', 'I'],
  ['aʊ', 'W'],
  ['ɔɪ', 'Y'],
  ['ʲ', 'j'],
  ['r', 'ɹ'],
  ['x', 'k'],
  ['ɬ', 'l'],
  ['ɐ', 'ə'],
];
const AMERICAN: [string, string][] = [
  ['oʊ', 'O'],
  ['ɜːɹ', 'ɜɹ'],
  ['ɜː', 'ɜɹ'],
  ['ɚ', 'əɹ'],
  ['ː', ''],
];
const BRITISH: [string, string][] = [['əʊ', 'Q']];

function rulesFor(language: string): [string, string][] {
  const l = language.toLowerCase();
  if (l === 'en-us' || l === 'en') return [...NAME_FIXES, ...ENGLISH, ...AMERICAN];
  if (l.startsWith('en')) return [...NAME_FIXES, ...ENGLISH, ...BRITISH];
  return []; // other languages: espeak's IPA as it is; symbols outside the vocab are dropped
}

/** Rewrites espeak-ng IPA into Kokoro's phoneme alphabet. */
export function espeakToKokoro(ipa: string, language = 'en-us'): string {
  let out = ipa;
  for (const [from, to] of rulesFor(language)) out = out.split(from).join(to);
  return out;
}

export interface KokoroTokens {
  /** Id sequences, each at most KOKORO_MAX_IDS long, without the pad ids. */
  pieces: number[][];
  /** Symbols that are not in the vocab and were left out. */
  dropped: string[];
}

/** Maps Kokoro phonemes to ids and cuts them into pieces the model accepts. */
export function tokenizeKokoro(phonemes: string): KokoroTokens {
  const ids: number[] = [];
  const dropped: string[] = [];
  for (const symbol of phonemes) {
    const id = KOKORO_VOCAB.get(symbol);
    if (id === undefined) dropped.push(symbol);
    else ids.push(id);
  }
  return { pieces: cutIds(trimSpaces(ids)), dropped };
}

const SPACE = KOKORO_VOCAB.get(' ')!;
const CLAUSE = new Set([';', ':', ',', '.', '!', '?', '—', '…'].map((s) => KOKORO_VOCAB.get(s)!));

function trimSpaces(ids: number[]): number[] {
  let a = 0;
  let b = ids.length;
  while (a < b && ids[a] === SPACE) a++;
  while (b > a && ids[b - 1] === SPACE) b--;
  return ids.slice(a, b);
}

/** Cuts ids into pieces of ≤ KOKORO_MAX_IDS, at a space after punctuation, else at a space, else anywhere. */
function cutIds(ids: number[]): number[][] {
  const pieces: number[][] = [];
  let rest = ids;
  while (rest.length > KOKORO_MAX_IDS) {
    let cut = -1;
    let clauseCut = -1;
    for (let i = KOKORO_MAX_IDS; i > 0; i--) {
      if (rest[i] !== SPACE) continue;
      if (cut < 0) cut = i;
      if (CLAUSE.has(rest[i - 1]!)) {
        clauseCut = i;
        break;
      }
    }
    const at = clauseCut > KOKORO_MAX_IDS / 2 ? clauseCut : cut > 0 ? cut : KOKORO_MAX_IDS;
    pieces.push(rest.slice(0, at));
    rest = trimSpaces(rest.slice(at));
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}

/** The model input for one piece: the ids with the pad id at both ends. */
export function padIds(ids: number[]): number[] {
  return [KOKORO_PAD_ID, ...ids, KOKORO_PAD_ID];
}
