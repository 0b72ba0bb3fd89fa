// Word-level agreement of the English G2P with what misaki outputs for Kokoro, on the openings of
// three public-domain novels (test/fixtures/public-domain.txt: Carroll's Alice's Adventures in
// Wonderland, 1865; Austen's Pride and Prejudice, 1813; Melville's Moby-Dick, 1851).
//
// "What misaki outputs" is stated here on its own, from misaki's lexicons and the rules of en.py
// that decide a lexicon word's phonemes, without the G2P's code:
//  - gold, then silver; capitalized forms share the lower-case entry; a capitalized word whose
//    entry has no stress gets a secondary one (cap stress 0.5);
//  - entries with a `None` reading use it before punctuation or at the end, DEFAULT otherwise;
//  - a → ɐ, an → ɐn, I → ˌI; the → ði before a vowel, else ðə; to → tʊ / tə before a vowel /
//    consonant, the lexicon's `tu` before punctuation; in → ɪn before a word, ˈɪn at the end;
//    am → ɐm before a word;
//  - flaps ɾ → T, glottal stops ʔ → t.
// The following word's first phoneme (vowel, consonant or punctuation) is what "context" means
// there. Words outside this statement are not compared, and counted: entries keyed by part of
// speech (their reading depends on spaCy's tagger), all-capital words, and words the lexicons do
// not hold as such (derived from a stem, or read by espeak-ng).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KokoroG2P } from '../src/engine/g2p/kokoro-g2p.js';
import { REPO, reference } from './helpers.js';

type Entry = string | Record<string, string | null>;
const VOWELS = new Set('AIOQWYaiuæɑɒɔəɛɜɪʊʌᵻ');
const CONSONANTS = new Set('bdfhjklmnpstvwzðŋɡɹɾʃʒʤʧθ');
const PUNCT = new Set(';:,.!?—…');

function readDict(dir: string, file: string): Map<string, Entry> {
  const raw = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, Entry>;
  return new Map(Object.entries(raw));
}

/** A word's first telling symbol: true vowel, false consonant, undefined punctuation, null nothing. */
function firstSound(ps: string): boolean | undefined | null {
  for (const c of ps) {
    if (PUNCT.has(c)) return undefined;
    if (VOWELS.has(c)) return true;
    if (CONSONANTS.has(c)) return false;
  }
  return null;
}

type Verdict = { expected: string } | { skip: 'heteronym' | 'capitals' | 'derived' };

function oracle(gold: Map<string, Entry>, silver: Map<string, Entry>, word: string, next: boolean | undefined): Verdict {
  const w = word.replace(/[‘’]/g, "'");
  const lower = w.toLowerCase();
  if (w.length > 1 && w === w.toUpperCase() && /\p{L}.*\p{L}/u.test(w)) return { skip: 'capitals' };
  const fix = (ps: string): Verdict => ({ expected: ps.replaceAll('ɾ', 'T').replaceAll('ʔ', 't') });
  if (w === 'a' || w === 'A') return fix('ɐ');
  if (w === 'an' || w === 'An') return fix('ɐn');
  if (w === 'I') return fix('ˌI');
  if (w === 'the' || w === 'The') return fix(next === true ? 'ði' : 'ðə');
  if (w === 'to' || w === 'To') return fix(next === undefined ? (gold.get('to') as string) : next ? 'tʊ' : 'tə');
  if (w === 'in' || w === 'In') return fix((next === undefined ? 'ˈ' : '') + 'ɪn');
  if (w === 'am') return fix(next === undefined ? (gold.get('am') as string) : 'ɐm');
  const entry = gold.get(w) ?? silver.get(w) ?? (w !== lower && w.slice(1) === lower.slice(1) ? (gold.get(lower) ?? silver.get(lower)) : undefined);
  if (entry === undefined) return { skip: 'derived' };
  let ps: string | null | undefined;
  if (typeof entry === 'string') ps = entry;
  else {
    if (Object.keys(entry).some((k) => k !== 'DEFAULT' && k !== 'None')) return { skip: 'heteronym' };
    ps = next === undefined && 'None' in entry ? entry.None : entry.DEFAULT;
  }
  if (!ps) return { skip: 'derived' };
  if (w !== lower && !/[ˈˌ]/.test(ps)) {
    const at = [...ps].findIndex((c) => VOWELS.has(c));
    if (at >= 0) ps = [...ps].slice(0, at).join('') + 'ˌ' + [...ps].slice(at).join('');
  }
  return fix(ps);
}

test('English G2P agrees with misaki on ≥ 95 % of words, alone and in context (prints the figure)', async () => {
  const ref = reference('the misaki lexicons are needed for the agreement figure');
  if (!ref) return;
  const dir = join(ref, 'misaki');
  const gold = readDict(dir, 'us_gold.json');
  const silver = readDict(dir, 'us_silver.json');
  const g2p = new KokoroG2P({ lexiconDir: dir });
  const sentences = readFileSync(join(REPO, 'test', 'fixtures', 'public-domain.txt'), 'utf8').split('\n').filter(Boolean);

  const tally = { context: 0, contextOk: 0, alone: 0, aloneOk: 0, heteronym: 0, capitals: 0, derived: 0 };
  const misses: string[] = [];
  const forms = new Map<string, string>(); // lower-case form → a spelling of it in the text
  for (const s of sentences) {
    const words = await g2p.words(s, false);
    let next: boolean | undefined = undefined;
    for (let i = words.length - 1; i >= 0; i--) {
      const { text, phonemes } = words[i]!;
      if (!/\p{L}/u.test(text)) {
        const f = firstSound(phonemes);
        if (f !== null) next = f;
        continue;
      }
      if (!forms.has(text.toLowerCase()) || text === text.toLowerCase()) forms.set(text.toLowerCase(), text);
      const v = oracle(gold, silver, text, next);
      let ctxPs = phonemes;
      if ('skip' in v) tally[v.skip]++;
      else {
        tally.context++;
        if (v.expected === phonemes) tally.contextOk++;
        else misses.push(`in context: ${text} → ${phonemes}, misaki ${v.expected}`);
        ctxPs = v.expected;
      }
      const f = firstSound(ctxPs);
      if (f !== null) next = f;
    }
  }
  const distinct = new Set<string>();
  for (const form of forms.values()) {
    const v = oracle(gold, silver, form, undefined);
    if ('skip' in v) continue;
    distinct.add(form.toLowerCase());
    const got = await g2p.phonemize(form, 'en-us');
    tally.alone++;
    if (got === v.expected) tally.aloneOk++;
    else misses.push(`alone: ${form} → ${got}, misaki ${v.expected}`);
  }
  const pct = (a: number, b: number) => ((100 * a) / b).toFixed(1);
  const all = tally.context + tally.alone;
  const ok = tally.contextOk + tally.aloneOk;
  process.stdout.write(
    `\n  misaki agreement: ${pct(ok, all)} % of ${all} words (${distinct.size} distinct words alone: ${pct(tally.aloneOk, tally.alone)} %; ` +
      `${tally.context} in context: ${pct(tally.contextOk, tally.context)} %); not compared: ${tally.heteronym} part-of-speech heteronyms, ` +
      `${tally.capitals} all-capital words, ${tally.derived} words derived from stems or read by espeak-ng\n`,
  );
  if (misses.length) process.stdout.write(`  differences (first 15): ${misses.slice(0, 15).join('; ')}\n`);
  assert.ok(distinct.size >= 500, `only ${distinct.size} distinct words compared`);
  assert.ok(ok / all >= 0.95, `agreement ${pct(ok, all)} % is below 95 %`);
  assert.ok(tally.contextOk / tally.context >= 0.95, `in-context agreement ${pct(tally.contextOk, tally.context)} % is below 95 %`);
  assert.ok(tally.aloneOk / tally.alone >= 0.95, `alone agreement ${pct(tally.aloneOk, tally.alone)} % is below 95 %`);
});

test.run();
