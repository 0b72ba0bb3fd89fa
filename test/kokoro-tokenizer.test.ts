import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { espeakToKokoro, KOKORO_MAX_IDS, padIds, tokenizeKokoro } from '../src/engine/backends/kokoro-tokenizer.js';
import { KOKORO_VOCAB } from '../src/engine/backends/kokoro-vocab.js';
import { Phonemizer } from '../src/engine/phonemize.js';
import { reference } from './helpers.js';

test('the vocab carried by the project equals the model config', () => {
  const ref = reference('vocab check against config.json');
  if (!ref) return;
  const config = JSON.parse(readFileSync(join(ref, 'kokoro', 'config.json'), 'utf8')) as { vocab: Record<string, number> };
  assert.is(KOKORO_VOCAB.size, 114);
  assert.equal(Object.fromEntries(KOKORO_VOCAB), config.vocab);
});

test('every id of the real vocab round-trips through the tokenizer', () => {
  for (const [symbol, id] of KOKORO_VOCAB) {
    assert.equal(tokenizeKokoro(symbol === ' ' ? `a${symbol}a` : symbol).pieces[0], symbol === ' ' ? [43, 16, 43] : [id], symbol);
  }
});

test('espeak IPA is rewritten into Kokoro symbols (American)', () => {
  assert.is(espeakToKokoro('həlˈoʊ wˈɜːld', 'en-us'), 'həlˈO wˈɜɹld');
  assert.is(espeakToKokoro('dʒˈʌmps tʃˈeɪs', 'en-us'), 'ʤˈʌmps ʧˈAs');
  assert.is(espeakToKokoro('fˈaɪv bɹˈaʊn bˈɔɪ', 'en-us'), 'fˈIv bɹˈWn bˈY');
  assert.is(espeakToKokoro('kəkˈoːɹoʊ', 'en-us'), 'kˈOkəɹO');
});

test('British English keeps length marks and uses Q for əʊ', () => {
  assert.is(espeakToKokoro('həlˈəʊ wˈɜːld', 'en-gb'), 'həlˈQ wˈɜːld');
});

test('real phonemizer output maps onto vocab ids with pads at both ends', async () => {
  const ps = espeakToKokoro(await new Phonemizer().phonemize('Hello, world!', 'en-us'), 'en-us');
  assert.is(ps, 'həlˈO, wˈɜɹld!');
  const { pieces, dropped } = tokenizeKokoro(ps);
  assert.equal(dropped, []);
  const v = (s: string): number => KOKORO_VOCAB.get(s)!;
  const expected = [...'həlˈO, wˈɜɹld!'].map(v);
  assert.equal(pieces, [expected]);
  assert.equal(padIds(pieces[0]!), [0, ...expected, 0]);
  assert.equal(expected.slice(0, 6), [50, 83, 54, 156, 31, 3]);
});

test('symbols outside the vocab are dropped and reported, never sent', () => {
  const { pieces, dropped } = tokenizeKokoro('aʘb');
  assert.equal(pieces, [[43, 44]]);
  assert.equal(dropped, ['ʘ']);
});

test('a 600-id phoneme string is cut at spaces into pieces of ≤ 510 ids, losing nothing', () => {
  const words = Array.from({ length: 150 }, (_, i) => (i % 10 === 9 ? 'tˈɛst,' : 'hˈIə')); // 4–6 ids each + spaces
  const ps = words.join(' ');
  const all = [...ps].map((s) => KOKORO_VOCAB.get(s)!);
  assert.ok(all.length > 600, `built ${all.length} ids`);
  const { pieces } = tokenizeKokoro(ps);
  assert.ok(pieces.length >= 2);
  for (const p of pieces) assert.ok(p.length <= KOKORO_MAX_IDS, `piece of ${p.length}`);
  // Joined back with the spaces at the cuts, the pieces are the whole sequence.
  const space = KOKORO_VOCAB.get(' ')!;
  assert.equal(pieces.flatMap((p, i) => (i === 0 ? p : [space, ...p])), all);
  // Cuts land after a comma where one is near the limit.
  assert.is(pieces[0]!.at(-1), KOKORO_VOCAB.get(',')!);
});

test('a run with no spaces longer than 510 ids is still split, not truncated', () => {
  const ps = 'a'.repeat(1200);
  const { pieces } = tokenizeKokoro(ps);
  assert.equal(pieces.map((p) => p.length), [510, 510, 180]);
});

test.run();
