import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KOKORO_MAX_IDS } from '../src/engine/backends/kokoro-tokenizer.js';
import { Engine } from '../src/engine/engine.js';
import { FIRST_MIN, TARGET_MAX, TARGET_MIN, estimateIds, planChunks } from '../src/engine/text/chunks.js';
import { normalizeText } from '../src/engine/text/normalize.js';
import { cacheWithModels } from './helpers.js';

// Twenty sentences of ordinary prose, short and long mixed, opening with a one-word sentence.
const TWENTY = [
  'Yes.',
  'The lighthouse keeper climbed the stairs every evening at dusk.',
  'He trimmed the wick, polished the lens, and lit the lamp.',
  'Ships far out at sea would see the beam sweep across the water.',
  'Fine.',
  'On stormy nights he stayed awake until morning, listening to the wind and watching for lights on the horizon.',
  'His daughter brought him bread and soup on Sundays.',
  'She told him about the town, the market, and the new school that had opened by the river.',
  'He listened, nodded, and said little.',
  'In spring the gulls came back.',
  'They nested on the rocks below the tower and screamed at anyone who came near.',
  'One morning a small boat ran aground on the reef.',
  'The keeper rowed out through the surf, his oars slipping on the cold grey waves, and pulled two fishermen from the water.',
  'They stayed with him for three days while the storm blew itself out.',
  'Nobody in the village forgot it.',
  'Years later, when the lamp was replaced by an automatic light, the keeper moved into a cottage by the harbour.',
  'He still climbed the hill every evening.',
  'From there he could watch the beam turn, steady and patient, as it always had.',
  'Children asked him what it had been like.',
  'Quiet, he said, mostly quiet.',
].join(' ');

const CLAUSE_OR_SENTENCE_END = /[.!?…,;:—]["”')\]]*$/;

test('chunks of a 20-sentence text keep the rules, in real model ids', async () => {
  const engine = new Engine({ cacheDir: cacheWithModels(), cache: false });
  try {
    const chunks = await engine.inspect({ text: TWENTY });
    const sizes = chunks.map((c) => c.ids.reduce((n, piece) => n + piece.length - 2, 0)); // without the two pads
    process.stdout.write(`\n  chunk sizes (ids): ${sizes.join(', ')}\n`);
    assert.ok(chunks.length >= 3 && chunks.length <= 8, `${chunks.length} chunks`);
    // Nothing lost or reordered.
    assert.is(chunks.map((c) => c.text).join(' '), normalizeText(TWENTY));
    // The first chunk: short, but a real clause ("Yes." alone would be 5 ids).
    assert.ok(sizes[0]! >= FIRST_MIN && sizes[0]! <= 120, `first chunk ${sizes[0]} ids: ${chunks[0]!.text}`);
    // Later chunks near Kokoro-FastAPI's sizes; the last may be shorter, none is ever cut by the tokenizer.
    for (const [i, n] of sizes.entries()) {
      assert.ok(n <= KOKORO_MAX_IDS, `chunk ${i}: ${n} ids`);
      assert.is(chunks[i]!.ids.length, 1, `chunk ${i} fits one model run`);
      if (i > 0 && i < sizes.length - 1) assert.ok(n >= TARGET_MIN * 0.8 && n <= TARGET_MAX * 1.2, `chunk ${i}: ${n} ids`);
      if (i === sizes.length - 1) assert.ok(n >= FIRST_MIN, `last chunk ${n} ids`);
      assert.match(chunks[i]!.text, CLAUSE_OR_SENTENCE_END, `chunk ${i} ends at a sentence or clause end`);
    }
  } finally {
    await engine.close();
  }
});

test('Piper and espeak keep one sentence per chunk, as Piper speaks them', () => {
  assert.equal(planChunks('Yes. Fine, thanks. Go.', { mode: 'sentence' }), ['Yes.', 'Fine, thanks.', 'Go.']);
});

test('a long first sentence gives a first chunk that ends at a clause with enough ids', () => {
  const text = 'When the first clause ends here, and a second one follows, the rest of this rather long sentence goes on and on for a good while longer than that. Second sentence.';
  const chunks = planChunks(text, { mode: 'merge' });
  assert.is(chunks[0], 'When the first clause ends here, and a second one follows,');
  assert.ok(estimateIds(chunks[0]!) >= FIRST_MIN);
  assert.is(chunks.join(' '), text);
});

test('a sentence longer than a model run is cut at clause ends, then at spaces, never truncated', () => {
  const clause = 'this is a clause of some length and weight, ';
  const text = clause.repeat(30).trim();
  const chunks = planChunks(text, { mode: 'merge' });
  for (const c of chunks.slice(0, -1)) assert.ok(c.endsWith(','), c);
  for (const c of chunks) assert.ok(estimateIds(c) <= TARGET_MAX * 1.5, `${estimateIds(c)}`);
  assert.is(chunks.join(' '), text);
  const words = Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ');
  assert.is(planChunks(words, { mode: 'merge' }).join(' '), words);
});

test('ideographic text is sized by syllables, so Chinese chunks stay within a run', () => {
  const sentence = '今天天气很好，我们一起去公园散步吧。';
  assert.ok(estimateIds(sentence) > sentence.length * 2);
  const chunks = planChunks(sentence.repeat(30), { mode: 'merge' });
  assert.ok(chunks.length > 3);
  for (const c of chunks) assert.ok(estimateIds(c) <= 400, `${estimateIds(c)}`);
  assert.is(chunks.join(''), sentence.repeat(30));
});

// Issue 16 item 3: the old splitter's lookbehind rescanned runs of ] ) " (a 200 000-character
// line blocked serve-stdin for 92 s; 1 MB ≈ 40 min). Each input goes through the engine's real
// planning path (lexicon, normalization, chunking) in a child process; a linear pass finishes
// in seconds, the old one would be killed by the timeout.
test('hostile text is planned in linear time: 1 MB of ]]], runs of punctuation, brackets, digits, spaces', () => {
  const cacheDir = cacheWithModels();
  const script = `
    const { Engine } = await import(${JSON.stringify(new URL('../src/engine/engine.js', import.meta.url).href)});
    const engine = new Engine({ cacheDir: ${JSON.stringify(cacheDir)}, diskCache: false });
    const mb = 1 << 20;
    const cases = { ']': mb, ')': mb, '"': mb, '.])" ': mb, '[': mb / 4, '1': mb / 4, '1 ': mb / 4, '1.': mb / 4, '1-': mb / 4,
      'A.': mb / 4, '1%': mb / 4, 'a-': mb / 4, '#1': mb / 4, ', ': mb / 4, '!?': mb / 4, ' ': mb / 4, 'www.': mb / 4, '[a](/': mb / 4 };
    for (const [unit, size] of Object.entries(cases)) {
      const text = 'Start. ' + unit.repeat(Math.ceil(size / unit.length)) + ' End.';
      await engine.fromCache({ text }).catch((e) => { if (e.code !== 'EMPTY_TEXT') throw e; });
    }
    process.stdout.write('planned');
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 180_000 });
  assert.is(r.signal, null, 'killed by the timeout: planning is not linear');
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, 'planned');
});

test.run();
