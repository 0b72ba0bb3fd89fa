import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KOKORO_VOCAB } from '../src/engine/backends/kokoro-vocab.js';
import { Engine } from '../src/engine/engine.js';
import { TtsError } from '../src/engine/errors.js';
import { applyLexicon, parseLexicon, withInlineProtected } from '../src/engine/text/pronunciation.js';
import { normalizeText } from '../src/engine/text/normalize.js';
import { cacheWithModels, runCli, tempDir } from './helpers.js';

const kokoroIds = (ps: string): number[] => [...ps].map((s) => KOKORO_VOCAB.get(s)!);

/** Does `needle` appear as a contiguous run inside `hay`? */
function contains(hay: number[], needle: number[]): boolean {
  for (let i = 0; i + needle.length <= hay.length; i++) if (needle.every((v, k) => hay[i + k] === v)) return true;
  return false;
}

test('a lexicon parses phoneme and respelling entries; bad lines are named', () => {
  const lex = parseLexicon('# my words\nKokoro  /kˈOkəɹO/\nnginx engine x   # a server\n\n', 'my.lex');
  assert.equal(lex.entries.get('kokoro'), { word: 'Kokoro', phonemes: 'kˈOkəɹO', line: 2 });
  assert.equal(lex.entries.get('nginx'), { word: 'nginx', respelling: 'engine x', line: 3 });
  const bad = (text: string, pattern: RegExp): void => {
    try {
      parseLexicon(text, 'my.lex');
      assert.unreachable('should throw');
    } catch (err) {
      assert.instance(err, TtsError);
      assert.is((err as TtsError).code, 'BAD_LEXICON');
      assert.match((err as TtsError).message, pattern);
    }
  };
  bad('ok /ˈOk/\nlonely\n', /my\.lex, line 2: "lonely" has a word but no pronunciation/);
  bad('a /b/\n\nword /unclosed\n', /line 3: the phonemes of "word" must be written between two slashes/);
  bad('x /a/\nX /b/\n', /line 2: "X" is already defined on line 1/);
  bad('(weird) /a/\n', /line 1: "\(weird\)" is not a word/);
});

test('lexicon words become inline overrides (whole words, any case); respellings become text', () => {
  const lex = parseLexicon('Kokoro /kˈOkəɹO/\nnginx engine x\n', 'l');
  assert.is(applyLexicon('kokoro and KOKORO, not kokoros. Run nginx.', lex), '[kokoro](/kˈOkəɹO/) and [KOKORO](/kˈOkəɹO/), not kokoros. Run engine x.');
  // Text already marked inline is left alone.
  assert.is(applyLexicon('[Kokoro](/kˈOkO/)', lex), '[Kokoro](/kˈOkO/)');
});

test('inline overrides pass through normalization and splitting untouched', () => {
  const text = 'On 3/12/2025 [Dr. Who](/dˈɑktəɹ hˈu/) paid $5. Then left.';
  assert.is(withInlineProtected(text, normalizeText), 'On March twelfth, twenty twenty-five [Dr. Who](/dˈɑktəɹ hˈu/) paid five dollars. Then left.');
});

test('an inline override changes the ids sent to the model', async () => {
  const engine = new Engine({ cacheDir: cacheWithModels(), cache: false });
  try {
    const plain = (await engine.inspect({ text: 'Say Kokoro now.' }))[0]!;
    // (espeak with Kokoro's own name fix already reads it kˈOkəɹO, so the override says something else)
    const marked = (await engine.inspect({ text: 'Say [Kokoro](/kˈɑkəɹO/) now.' }))[0]!;
    const over = kokoroIds('kˈɑkəɹO');
    assert.ok(contains(marked.ids[0]!, over), `override ids ${over} in ${marked.ids[0]}`);
    assert.match(marked.phonemes, /^sˈA kˈɑkəɹO nˈW\.$/);
    // The same word without the override is phonemized by espeak (differently).
    assert.not.equal(marked.ids, plain.ids);
    // Everything else is untouched: the ids outside the word are the same.
    const [pre, post] = [plain.phonemes.split(' ')[0]!, plain.phonemes.split(' ').at(-1)!];
    assert.equal(marked.ids[0]!.slice(0, 1 + pre.length), [0, ...kokoroIds(pre)]);
    assert.equal(marked.ids[0]!.slice(-1 - post.length), [...kokoroIds(post), 0]);
  } finally {
    await engine.close();
  }
});

test('a lexicon changes the ids sent to the model, for phonemes and respellings', async () => {
  const lex = parseLexicon('Kokoro /kˈɑkəɹO/\nTTS tee tee ess\n', 'l');
  const cacheDir = cacheWithModels();
  const withLex = new Engine({ cacheDir, cache: false, lexicon: lex });
  const without = new Engine({ cacheDir, cache: false });
  try {
    const a = (await withLex.inspect({ text: 'Kokoro reads TTS.' }))[0]!;
    const b = (await without.inspect({ text: 'Kokoro reads TTS.' }))[0]!;
    assert.ok(contains(a.ids[0]!, kokoroIds('kˈɑkəɹO')));
    assert.not.ok(contains(b.ids[0]!, kokoroIds('kˈɑkəɹO')));
    const respelled = (await without.inspect({ text: 'Kokoro reads tee tee ess.' }))[0]!;
    assert.equal(a.phonemes.split(' ').slice(-3), respelled.phonemes.split(' ').slice(-3), 'TTS read as its respelling');
  } finally {
    await withLex.close();
    await without.close();
  }
});

test('a lexicon phoneme the model does not know is an error naming the file and line', async () => {
  const engine = new Engine({ cacheDir: cacheWithModels(), cache: false, lexicon: parseLexicon('# x\nKokoro /kʘkoro/\n', 'words.lex') });
  try {
    assert.throws(() => engine.synthesize({ text: 'Hello Kokoro.' }), /words\.lex, line 2: the pronunciation \/kʘkoro\/ of "Kokoro" has symbols Kokoro does not know: ʘ/);
  } finally {
    await engine.close();
  }
});

test('overrides work for Piper voices in Piper\'s alphabet', async () => {
  const engine = new Engine({ cacheDir: cacheWithModels({ piper: true }), cache: false });
  try {
    const [c] = await engine.inspect({ text: 'Say [tomato](/təmˈɑːtoʊ/).', voice: 'piper:piper-gen' });
    assert.match(c!.phonemes, /təmˈɑːtoʊ/);
    try {
      await engine.inspect({ text: 'A [word](/☃/).', voice: 'piper:piper-gen' });
      assert.unreachable('should throw');
    } catch (err) {
      assert.is((err as TtsError).code, 'BAD_LEXICON');
    }
  } finally {
    await engine.close();
  }
});

test('tts say --phonemes prints the ids; --lexicon with a bad line fails with the line', async () => {
  const cache = cacheWithModels();
  const r = await runCli(['say', 'Meet [Kokoro](/kˈOkəɹO/).', '--phonemes'], { env: { TTS_CACHE_DIR: cache } });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout.toString(), /phonemes: mˈit kˈOkəɹO\./);
  assert.match(r.stdout.toString(), new RegExp(`ids: +0 .*${kokoroIds('kˈOkəɹO').join(' ')}.* 0`));
  const lex = join(tempDir(), 'bad.lex');
  writeFileSync(lex, 'good /ɡˈʊd/\nbroken\n');
  const bad = await runCli(['say', 'Hi.', '--lexicon', lex, '--out', join(tempDir(), 'x.wav')], { env: { TTS_CACHE_DIR: cache } });
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /bad\.lex, line 2: "broken" has a word but no pronunciation/);
  const viaEnv = await runCli(['say', 'Meet Kokoro.', '--phonemes'], { env: { TTS_CACHE_DIR: cache, TTS_LEXICON: lex.replace('bad.lex', 'good.lex') } });
  assert.is(viaEnv.code, 2, 'a missing lexicon file is a usage error');
  assert.match(viaEnv.stderr, /Cannot read the lexicon/);
});

test.run();
