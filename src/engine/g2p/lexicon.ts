// misaki's English lexicon look-up (hexgrad/misaki `en.py`, class Lexicon), rule for rule: gold
// then silver dictionaries, case variants, heteronyms keyed by part of speech, the function words
// whose reading depends on the next word, possessives and the -s/-ed/-ing endings derived from a
// known stem, acronyms spelled letter by letter, and misaki's stress adjustments.
// The dictionaries themselves (us_gold.json …, Apache-2.0) are downloaded with a Kokoro model.
// Numbers are not handled here: the English normalizer spells them out before the G2P sees them.
import { join } from 'node:path';
import { loadDict, type Dict, type Entry } from './packed-dict.js';

export type { Dict, Entry };

/** What the word after this one starts with, and whether it is "to" (misaki's TokenContext). */
export interface TokenContext {
  /** true: a vowel, false: a consonant, undefined: punctuation or the end. */
  futureVowel: boolean | undefined;
  futureTo: boolean;
}

export const PRIMARY = 'ˈ';
export const SECONDARY = 'ˌ';
const STRESSES = 'ˌˈ';
export const VOWELS = new Set('AIOQWYaiuæɑɒɔəɛɜɪʊʌᵻ');
export const CONSONANTS = new Set('bdfhjklmnpstvwzðŋɡɹɾʃʒʤʧθ');
const US_TAUS = new Set('AIOWYiuæɑəɛɪɹʊʌ');
const SYMBOLS: Record<string, string> = { '%': 'percent', '&': 'and', '+': 'plus', '@': 'at' };
const ADD_SYMBOLS: Record<string, string> = { '.': 'dot', '/': 'slash' };
/** The characters a lexicon key may have: ' - A–Z a–z. */
const LEXICON_CHARS = /^[-'A-Za-z]*$/;

// Python's str predicates, as misaki relies on them.
export const isAlpha = (s: string): boolean => /^\p{L}+$/u.test(s);
const lower = (s: string): string => s.toLowerCase();
const upper = (s: string): string => s.toUpperCase();
const capitalize = (s: string): string => (s ? upper(s[0]!) + lower(s.slice(1)) : s);
const hasStress = (ps: string): boolean => ps.includes(PRIMARY) || ps.includes(SECONDARY);
const hasVowel = (ps: string): boolean => [...ps].some((c) => VOWELS.has(c));

/** misaki's apply_stress: raise, lower or remove the stress marks of a word's phonemes. */
export function applyStress(ps: string, stress: number | undefined): string {
  if (stress === undefined) return ps;
  if (stress < -1) return ps.replaceAll(PRIMARY, '').replaceAll(SECONDARY, '');
  if (stress === -1 || ((stress === 0 || stress === -0.5) && ps.includes(PRIMARY))) {
    return ps.replaceAll(SECONDARY, '').replaceAll(PRIMARY, SECONDARY);
  }
  if ((stress === 0 || stress === 0.5 || stress === 1) && !hasStress(ps)) {
    return hasVowel(ps) ? restress(SECONDARY + ps) : ps;
  }
  if (stress >= 1 && !ps.includes(PRIMARY) && ps.includes(SECONDARY)) return ps.replaceAll(SECONDARY, PRIMARY);
  if (stress > 1 && !hasStress(ps)) return hasVowel(ps) ? restress(PRIMARY + ps) : ps;
  return ps;
}

/** Moves each stress mark to just before the next vowel. */
function restress(ps: string): string {
  const chars = [...ps];
  const placed = chars.map((c, i) => {
    if (!STRESSES.includes(c)) return { at: i, c };
    const j = chars.findIndex((v, k) => k >= i && VOWELS.has(v));
    return { at: j - 0.5, c };
  });
  placed.sort((a, b) => a.at - b.at || (a.c < b.c ? -1 : a.c > b.c ? 1 : 0));
  return placed.map((p) => p.c).join('');
}

/** Penn tag → the coarse tag misaki falls back to (get_parent_tag). */
function parentTag(tag: string | undefined): string | undefined {
  if (tag === undefined) return undefined;
  if (tag.startsWith('VB')) return 'VERB';
  if (tag.startsWith('NN')) return 'NOUN';
  if (tag.startsWith('ADV') || tag.startsWith('RB')) return 'ADV';
  if (tag.startsWith('ADJ') || tag.startsWith('JJ')) return 'ADJ';
  return tag;
}

/** Adds the capitalized form of lower-case keys and the lower-case form of capitalized ones. */
function grow(raw: Record<string, Entry>): Map<string, Entry> {
  const d = new Map<string, Entry>(Object.entries(raw));
  const extra = new Map<string, Entry>();
  for (const [k, v] of d) {
    if (k.length < 2) continue;
    if (k === lower(k)) {
      if (k !== capitalize(k)) extra.set(capitalize(k), v);
    } else if (k === capitalize(lower(k))) {
      extra.set(lower(k), v);
    }
  }
  for (const [k, v] of extra) if (!d.has(k)) d.set(k, v);
  return d;
}

export const LEXICON_FILES = { us: ['us_gold.json', 'us_silver.json'], gb: ['gb_gold.json', 'gb_silver.json'] } as const;

type Result = [string, number] | [undefined, undefined];
const NONE: Result = [undefined, undefined];

export class Lexicon {
  private readonly capStresses = [0.5, 2];

  constructor(
    readonly british: boolean,
    private readonly golds: Dict,
    private readonly silvers: Dict,
  ) {}

  /**
   * Reads `{us,gb}_{gold,silver}.json` from `dir` (or their packed copies, which `writePacked`
   * leaves beside them); throws (ENOENT …) when one is missing.
   */
  static load(dir: string, british: boolean, writePacked = false): Lexicon {
    const [gold, silver] = LEXICON_FILES[british ? 'gb' : 'us'];
    return new Lexicon(british, loadDict(join(dir, gold), grow, writePacked), loadDict(join(dir, silver), grow, writePacked));
  }

  private gold(word: string): Entry | undefined {
    return this.golds.get(word);
  }

  /** Spells a word letter by letter (acronyms), the last letter stressed. */
  getNNP(word: string): Result {
    const ps: string[] = [];
    for (const c of word) {
      if (!isAlpha(c)) continue;
      const p = this.golds.get(upper(c));
      if (typeof p !== 'string') return NONE;
      ps.push(p);
    }
    const joined = applyStress(ps.join(''), 0);
    const at = joined.lastIndexOf(SECONDARY);
    return [at < 0 ? joined : joined.slice(0, at) + PRIMARY + joined.slice(at + 1), 3];
  }

  private specialCase(word: string, tag: string, stress: number | undefined, ctx: TokenContext): Result {
    if (tag === 'ADD' && word in ADD_SYMBOLS) return this.lookup(ADD_SYMBOLS[word]!, undefined, -0.5, ctx);
    if (Object.hasOwn(SYMBOLS, word)) return this.lookup(SYMBOLS[word]!, undefined, undefined, ctx);
    const stripped = word.replace(/^\.+|\.+$/g, '');
    if (stripped.includes('.') && isAlpha(word.replaceAll('.', '')) && Math.max(...word.split('.').map((p) => p.length)) < 3) {
      return this.getNNP(word);
    }
    if (word === 'a' || word === 'A') return [tag === 'DT' ? 'ɐ' : 'ˈA', 4];
    if (word === 'am' || word === 'Am' || word === 'AM') {
      if (tag.startsWith('NN')) return this.getNNP(word);
      if (ctx.futureVowel === undefined || word !== 'am' || (stress !== undefined && stress > 0)) return [this.gold('am') as string, 4];
      return ['ɐm', 4];
    }
    if (word === 'an' || word === 'An' || word === 'AN') {
      if (word === 'AN' && tag.startsWith('NN')) return this.getNNP(word);
      return ['ɐn', 4];
    }
    if (word === 'I' && tag === 'PRP') return [`${SECONDARY}I`, 4];
    if ((word === 'by' || word === 'By' || word === 'BY') && parentTag(tag) === 'ADV') return ['bˈI', 4];
    if (word === 'to' || word === 'To' || (word === 'TO' && (tag === 'TO' || tag === 'IN'))) {
      return [ctx.futureVowel === undefined ? (this.gold('to') as string) : ctx.futureVowel ? 'tʊ' : 'tə', 4];
    }
    if (word === 'in' || word === 'In' || (word === 'IN' && tag !== 'NNP')) {
      return [(ctx.futureVowel === undefined || tag !== 'IN' ? PRIMARY : '') + 'ɪn', 4];
    }
    if (word === 'the' || word === 'The' || (word === 'THE' && tag === 'DT')) return [ctx.futureVowel === true ? 'ði' : 'ðə', 4];
    if (tag === 'IN' && /^vs\.?$/i.test(word)) return this.lookup('versus', undefined, undefined, ctx);
    if (word === 'used' || word === 'Used' || word === 'USED') {
      const used = this.gold('used') as Record<string, string>;
      return [(tag === 'VBD' || tag === 'JJ') && ctx.futureTo ? used.VBD! : used.DEFAULT!, 4];
    }
    return NONE;
  }

  private isKnown(word: string): boolean {
    if (this.golds.has(word) || Object.hasOwn(SYMBOLS, word) || this.silvers.has(word)) return true;
    if (!isAlpha(word) || !LEXICON_CHARS.test(word)) return false;
    if (word.length === 1) return true;
    if (word === upper(word) && this.golds.has(lower(word))) return true;
    return word.slice(1) === upper(word.slice(1));
  }

  lookup(word: string, tag: string | undefined, stress: number | undefined, ctx: TokenContext | undefined): Result {
    let isNNP: boolean | undefined;
    if (word === upper(word) && !this.golds.has(word)) {
      word = lower(word);
      isNNP = tag === 'NNP';
    }
    let entry: Entry | null | undefined = this.golds.get(word);
    let rating = 4;
    if (entry === undefined && !isNNP) {
      entry = this.silvers.get(word);
      rating = 3;
    }
    let ps: string | null | undefined;
    if (entry !== undefined && typeof entry !== 'string') {
      let key = tag;
      if (ctx && ctx.futureVowel === undefined && 'None' in entry) key = 'None';
      else if (key === undefined || !Object.hasOwn(entry, key)) key = parentTag(tag);
      ps = key !== undefined && Object.hasOwn(entry, key) ? entry[key] : entry.DEFAULT;
    } else {
      ps = entry;
    }
    if (ps === undefined || ps === null || (isNNP && !ps.includes(PRIMARY))) {
      const nnp = this.getNNP(word);
      if (nnp[0] !== undefined) return nnp;
    }
    if (ps === undefined || ps === null) return NONE;
    return [applyStress(ps, stress), rating];
  }

  private s(stem: string | undefined): string | undefined {
    if (!stem) return undefined;
    const last = stem[stem.length - 1]!;
    if ('ptkfθ'.includes(last)) return stem + 's';
    if ('szʃʒʧʤ'.includes(last)) return stem + (this.british ? 'ɪ' : 'ᵻ') + 'z';
    return stem + 'z';
  }

  private stemS(word: string, tag: string, stress: number | undefined, ctx: TokenContext): Result {
    if (word.length < 3 || !word.endsWith('s')) return NONE;
    let stem: string;
    if (!word.endsWith('ss') && this.isKnown(word.slice(0, -1))) stem = word.slice(0, -1);
    else if ((word.endsWith("'s") || (word.length > 4 && word.endsWith('es') && !word.endsWith('ies'))) && this.isKnown(word.slice(0, -2))) stem = word.slice(0, -2);
    else if (word.length > 4 && word.endsWith('ies') && this.isKnown(word.slice(0, -3) + 'y')) stem = word.slice(0, -3) + 'y';
    else return NONE;
    const [ps, rating] = this.lookup(stem, tag, stress, ctx);
    const out = this.s(ps);
    return out === undefined ? NONE : [out, rating!];
  }

  private ed(stem: string | undefined): string | undefined {
    if (!stem) return undefined;
    const last = stem[stem.length - 1]!;
    if ('pkfθʃsʧ'.includes(last)) return stem + 't';
    if (last === 'd') return stem + (this.british ? 'ɪ' : 'ᵻ') + 'd';
    if (last !== 't') return stem + 'd';
    if (this.british || stem.length < 2) return stem + 'ɪd';
    if (US_TAUS.has(stem[stem.length - 2]!)) return stem.slice(0, -1) + 'ɾᵻd';
    return stem + 'ᵻd';
  }

  private stemEd(word: string, tag: string, stress: number | undefined, ctx: TokenContext): Result {
    if (word.length < 4 || !word.endsWith('d')) return NONE;
    let stem: string;
    if (!word.endsWith('dd') && this.isKnown(word.slice(0, -1))) stem = word.slice(0, -1);
    else if (word.length > 4 && word.endsWith('ed') && !word.endsWith('eed') && this.isKnown(word.slice(0, -2))) stem = word.slice(0, -2);
    else return NONE;
    const [ps, rating] = this.lookup(stem, tag, stress, ctx);
    const out = this.ed(ps);
    return out === undefined ? NONE : [out, rating!];
  }

  private ing(stem: string | undefined): string | undefined {
    if (!stem) return undefined;
    const last = stem[stem.length - 1]!;
    if (this.british) {
      if ('əː'.includes(last)) return undefined;
    } else if (stem.length > 1 && last === 't' && US_TAUS.has(stem[stem.length - 2]!)) {
      return stem.slice(0, -1) + 'ɾɪŋ';
    }
    return stem + 'ɪŋ';
  }

  private stemIng(word: string, tag: string, stress: number | undefined, ctx: TokenContext): Result {
    if (word.length < 5 || !word.endsWith('ing')) return NONE;
    let stem: string;
    if (word.length > 5 && this.isKnown(word.slice(0, -3))) stem = word.slice(0, -3);
    else if (this.isKnown(word.slice(0, -3) + 'e')) stem = word.slice(0, -3) + 'e';
    else if (word.length > 5 && /([bcdgklmnprstvxz])\1ing$|cking$/.test(word) && this.isKnown(word.slice(0, -4))) stem = word.slice(0, -4);
    else return NONE;
    const [ps, rating] = this.lookup(stem, tag, stress, ctx);
    const out = this.ing(ps);
    return out === undefined ? NONE : [out, rating!];
  }

  private getWord(word: string, tag: string, stress: number | undefined, ctx: TokenContext): Result {
    const special = this.specialCase(word, tag, stress, ctx);
    if (special[0] !== undefined) return special;
    const wl = lower(word);
    if (
      word.length > 1 &&
      isAlpha(word.replaceAll("'", '')) &&
      word !== wl &&
      (tag !== 'NNP' || word.length > 7) &&
      !this.golds.has(word) &&
      !this.silvers.has(word) &&
      (word === upper(word) || word.slice(1) === lower(word.slice(1))) &&
      (this.golds.has(wl) || this.silvers.has(wl) || [this.stemS, this.stemEd, this.stemIng].some((fn) => fn.call(this, wl, tag, stress, ctx)[0] !== undefined))
    ) {
      word = wl;
    }
    if (this.isKnown(word)) return this.lookup(word, tag, stress, ctx);
    if (word.endsWith("s'") && this.isKnown(word.slice(0, -2) + "'s")) return this.lookup(word.slice(0, -2) + "'s", tag, stress, ctx);
    if (word.endsWith("'") && this.isKnown(word.slice(0, -1))) return this.lookup(word.slice(0, -1), tag, stress, ctx);
    const s = this.stemS(word, tag, stress, ctx);
    if (s[0] !== undefined) return s;
    const ed = this.stemEd(word, tag, stress, ctx);
    if (ed[0] !== undefined) return ed;
    const ing = this.stemIng(word, tag, stress ?? 0.5, ctx);
    if (ing[0] !== undefined) return ing;
    return NONE;
  }

  /**
   * The phonemes of one token (misaki's Lexicon.__call__), or undefined when the lexicon cannot
   * say (then espeak-ng is asked). `tokenStress` is an explicit stress given in the text.
   */
  word(text: string, tag: string, ctx: TokenContext, tokenStress?: number): string | undefined {
    const word = text.replace(/[‘’]/g, "'").normalize('NFKC');
    const stress = word === lower(word) ? undefined : this.capStresses[word === upper(word) ? 1 : 0];
    const [ps] = this.getWord(word, tag, stress, ctx);
    return ps === undefined ? undefined : applyStress(ps, tokenStress);
  }
}
