// The Kokoro G2P: misaki's lexicon rules on a small dictionary of our own, the real lexicons
// (../shared/reference/misaki), espeak-ng with misaki's tables, British after American in one
// process, Japanese/Chinese refused, lexicons installed with the model, and `tts say --phonemes`.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildKokoroModel, buildVoicePack, GEN_KOKORO_ID } from '../scripts/gen-test-models.js';
import { EnglishG2P } from '../src/engine/g2p/en.js';
import { englishFromEspeak, otherFromEspeak } from '../src/engine/g2p/espeak-fallback.js';
import { KokoroG2P } from '../src/engine/g2p/kokoro-g2p.js';
import { Lexicon, type Entry } from '../src/engine/g2p/lexicon.js';
import { PackedDict, packDict } from '../src/engine/g2p/packed-dict.js';
import { Engine } from '../src/engine/engine.js';
import { Phonemizer } from '../src/engine/phonemize.js';
import { cacheWithModels, reference, runCli, tempDir } from './helpers.js';
import { serve, sha256, writeCatalog } from './loopback.js';

const noEspeak = (w: string): string => {
  throw new Error(`espeak asked for "${w}"`);
};

function tinyLexicon(): EnglishG2P {
  const gold = new Map<string, Entry>(
    Object.entries({
      walk: 'wˈɔk', kiss: 'kˈɪs', hop: 'hˈɑp', make: 'mˈAk', pat: 'pˈæt', need: 'nˈid', the: 'ði', to: 'tu', little: 'lˈɪɾᵊl',
      X: 'ˈɛks', Y: 'wˈI', Z: 'zˈi', have: { DEFAULT: 'hæv', None: 'hˈæv' }, of: 'ʌv', used: { DEFAULT: 'jˈuzd', VBD: 'jˈust' },
    } as Record<string, Entry>),
  );
  return new EnglishG2P(new Lexicon(false, gold, new Map()));
}

test('misaki lexicon rules: -s/-es/-ed/-ing from stems, possessives, acronyms, hyphens, flaps', () => {
  const g = tinyLexicon();
  const say = (t: string) => g.phonemize(t, noEspeak);
  assert.is(say('walks'), 'wˈɔks');
  assert.is(say('kisses'), 'kˈɪsᵻz');
  assert.is(say('walked'), 'wˈɔkt');
  assert.is(say('needed'), 'nˈidᵻd');
  assert.is(say('patted'.slice(0, 3) + 's'), 'pˈæts');
  assert.is(say('hopping'), 'hˈɑpɪŋ');
  assert.is(say('making'), 'mˈAkɪŋ');
  assert.is(say('patting'), 'pˈæTɪŋ'); // t after a vowel becomes a flap, written T
  assert.is(say("walk's"), 'wˈɔks');
  assert.is(say('Walks'), 'wˈɔks');
  assert.is(say('XYZ'), 'ˌɛkswˌIzˈi'); // spelled out, the last letter stressed
  assert.is(say('walk-hop'), 'wˌɔkhˈɑp'); // the lighter part's stress lowered
  assert.is(say('little'), 'lˈɪTᵊl');
});

test('misaki function words in context: the, to, a, have before a vowel, a consonant, punctuation', () => {
  const g = tinyLexicon();
  const say = (t: string) => g.phonemize(t, noEspeak);
  assert.is(say('the walk'), 'ðə wˈɔk');
  assert.is(say('the owl'.replace('owl', 'X')), 'ði ˈɛks');
  assert.is(say('to walk'), 'tə wˈɔk');
  assert.is(say('to X'), 'tʊ ˈɛks');
  assert.is(say('to.'), 'tu.');
  assert.is(say('have walked'), 'hæv wˈɔkt');
  assert.is(say('have.'), 'hˈæv.');
  assert.is(say('a walk'), 'ɐ wˈɔk');
  assert.is(say('The walk'), 'ðə wˈɔk');
});

test('packed dictionary: the same answers as the Map it was made from', () => {
  const d = new Map<string, Entry>([['little', 'lˈɪɾᵊl'], ['read', { DEFAULT: 'ɹˈid', VBD: 'ɹˈɛd' }], ['Zoë', 'zˈOi'], ["don't", 'dˈOnt'], ['A', 'ˈA']]);
  const p = new PackedDict(packDict(d));
  for (const [k, v] of d) {
    assert.ok(p.has(k), k);
    assert.equal(p.get(k), v);
  }
  for (const k of ['littl', 'littles', 'a', '', 'zz']) assert.ok(!p.has(k) && p.get(k) === undefined, k);
});

test('espeak-ng output through misaki tables: ties, ᵊ, American and British rules, other languages', () => {
  assert.is(englishFromEspeak('lˈɪɾə^l', false), 'lˈɪTᵊl');
  assert.is(englishFromEspeak('nˈe^ɪʃən ˈa^ʊɚ', false), 'nˈAʃən ˈWəɹ');
  assert.is(englishFromEspeak('kəkˈoːɹo^ʊ', false), 'kəkˈɔɹO');
  assert.is(englishFromEspeak('kəkˈɔːɹə^ʊ', true), 'kəkˈɔːɹQ');
  assert.is(englishFromEspeak('ˈɛnd^ʒɪn', false), 'ˈɛnʤɪn');
  assert.is(englishFromEspeak('bˈʌʔn̩', false), 'bˈʌtn'); // syllabic n after a glottal stop, then ʔ → t
  assert.is(otherFromEspeak('bɔ̃ʒˈuʁ lə- mˈɔ̃d'), 'bɔ̃ʒˈuʁ lə mˈɔ̃d');
  assert.is(otherFromEspeak('siˈa^ʊ kˈe^ɪ t^ʃˈa'), 'siˈW kˈA ʧˈa');
});

test('real lexicons: "little", British after American in one process, out-of-lexicon words through espeak-ng', async () => {
  const ref = reference('the misaki lexicons are needed');
  if (!ref) return;
  const g2p = new KokoroG2P({ lexiconDir: join(ref, 'misaki') });
  assert.is(await g2p.phonemize('little', 'en-us'), 'lˈɪTᵊl');
  assert.is(await g2p.phonemize('The tomato water.', 'en-us'), 'ðə təmˈATO wˈɔTəɹ.');
  assert.is(await g2p.phonemize('The tomato water.', 'en-gb'), 'ðə təmˈɑːtQ wˈɔːtə.');
  assert.is(await g2p.phonemize('little', 'en-gb'), 'lˈɪtᵊl');
  // Not in the lexicons: espeak-ng (en-us, then en-gb) with ties and E2M.
  assert.is(await g2p.phonemize('Zyxwotz', 'en-us'), 'zˈɪkswɑts');
  assert.is(await g2p.phonemize('Zyxwotz', 'en-gb'), 'zˈɪkswɒts');
});

test('espeak-ng IPA (Piper, espeak voices, Kokoro without lexicons): en-gb stays British after en-us', async () => {
  const p = new Phonemizer(undefined, { memory: false });
  const us = await p.phonemize('tomato water', 'en-us');
  const gb = await p.phonemize('tomato water', 'en-gb');
  assert.ok(/oʊ/.test(us) && /ɾ/.test(us), us);
  assert.ok(/əʊ/.test(gb) && !/ɾ/.test(gb), `British after American: ${gb}`);
});

test('Kokoro phonemes are cached per language: the same text in en-us and en-gb differs', async () => {
  const ref = reference('the misaki lexicons are needed');
  if (!ref) return;
  const p = new Phonemizer(tempDir());
  const us = await p.kokoro('water', 'en-us', { dir: join(ref, 'misaki') });
  const gb = await p.kokoro('water', 'en-gb', { dir: join(ref, 'misaki') });
  assert.is(us, 'wˈɔTəɹ');
  assert.is(gb, 'wˈɔːtə');
  assert.is(await p.kokoro('water', 'en-us', { dir: join(ref, 'misaki') }), us);
  assert.is(p.stats().memoryHits, 1);
});

test('Spanish through espeak-ng and misaki EspeakG2P table, punctuation kept', async () => {
  const g2p = new KokoroG2P({ lexiconDir: undefined });
  assert.is(await g2p.phonemize('¡Hola, mundo!', 'es'), '¡ˈola, mˈundo!');
});

test('Japanese and Chinese Kokoro voices are refused with what is missing, never spoken wrongly', async () => {
  const g2p = new KokoroG2P({ lexiconDir: undefined });
  for (const [lang, word] of [['ja', 'Japanese'], ['cmn', 'Chinese']] as const) {
    try {
      await g2p.phonemize('こんにちは', lang);
      assert.unreachable('should refuse');
    } catch (err) {
      assert.is((err as { code?: string }).code, 'UNSUPPORTED_VOICE');
      assert.match((err as Error).message, word);
    }
  }
});

/** A generated Kokoro model with misaki's lexicons and voices named like Kokoro's. */
function kokoroCache(ref: string | undefined): { cache: string; dir: string } {
  const cache = cacheWithModels();
  const dir = join(cache, 'models', GEN_KOKORO_ID);
  for (const v of ['af_test', 'bf_test', 'jf_test']) copyFileSync(join(dir, 'voices', 'gen_alpha.bin'), join(dir, 'voices', `${v}.bin`));
  if (ref) {
    mkdirSync(join(dir, 'lexicons'));
    for (const f of readdirSync(join(ref, 'misaki'))) copyFileSync(join(ref, 'misaki', f), join(dir, 'lexicons', f));
  }
  return { cache, dir };
}

test('tts say --phonemes shows the lexicon phonemes; a British voice after an American one in one process', async () => {
  const ref = reference('the misaki lexicons are needed');
  if (!ref) return;
  const { cache } = kokoroCache(ref);
  const r = await runCli(['say', '--phonemes', '--voice', 'af_test', 'little'], { env: { TTS_CACHE_DIR: cache } });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout.toString(), /phonemes: lˈɪTᵊl\n/);
  // The first read left fast-loading copies beside the model's lexicons; the next process uses them.
  const lexDir = join(cache, 'models', GEN_KOKORO_ID, 'lexicons');
  assert.ok(existsSync(join(lexDir, 'us_gold.packed')) && existsSync(join(lexDir, 'us_silver.packed')));
  const again = await runCli(['say', '--phonemes', '--voice', 'af_test', '--no-cache', 'little'], { env: { TTS_CACHE_DIR: cache } });
  assert.match(again.stdout.toString(), /phonemes: lˈɪTᵊl\n/);
  // One engine (one process): American, then British, then American again.
  const engine = new Engine({ cacheDir: cache });
  const ph = async (voice: string) => (await engine.inspect({ text: 'Water.', voice }))[0]!.phonemes;
  assert.is(await ph('af_test'), 'wˈɔTəɹ.');
  assert.is(await ph('bf_test'), 'wˈɔːtə.');
  assert.is(await ph('af_test'), 'wˈɔTəɹ.');
});

test('a Japanese Kokoro voice fails with exit 1 and names what is missing; no file is written', async () => {
  const { cache } = kokoroCache(undefined);
  const out = join(tempDir(), 'ja.wav');
  const r = await runCli(['say', '--voice', 'jf_test', 'こんにちは', '--out', out], { env: { TTS_CACHE_DIR: cache } });
  assert.is(r.code, 1);
  assert.match(r.stderr, /Japanese/);
  assert.ok(!existsSync(out));
});

test('without lexicons, a model outside the catalog reads Kokoro English with espeak-ng, quietly', async () => {
  const { cache } = kokoroCache(undefined);
  const r = await runCli(['say', '--phonemes', '--voice', 'af_test', 'Little. Water.'], { env: { TTS_CACHE_DIR: cache } });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '');
  assert.match(r.stdout.toString(), /phonemes: lˈɪɾəl\./);
});

test('tts warm installs the lexicons a Kokoro model needs, checksummed, with their licence notice', async () => {
  const fx = { model: buildKokoroModel({ inputName: 'tokens' }), voice: buildVoicePack(5), files: {} };
  const lexicons: Record<string, string> = {
    'us_gold.json': '{"little":"lˈɪɾᵊl"}',
    'us_silver.json': '{}',
    'gb_gold.json': '{"little":"lˈɪtᵊl"}',
    'gb_silver.json': '{}',
  };
  const files: Record<string, Uint8Array | string> = { '/onnx/model.onnx': fx.model, '/voices/af_one.bin': fx.voice };
  for (const [f, body] of Object.entries(lexicons)) files[`/l/${f}`] = body;
  const server = await serve((req, res) => {
    const body = files[req.url ?? ''];
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Length': Buffer.byteLength(body) }).end(body);
  });
  const base = server.url;
  // The loopback catalog's Kokoro entry, with an American voice and misaki's four lexicons.
  const catalog = writeCatalog(base, fx, (entry) => {
    entry.defaultVoice = 'af_one';
    entry.voices = { url: `${base}/voices/{voice}.bin`, size: fx.voice.byteLength, sha256: { af_one: sha256(fx.voice) } };
    entry.lexicons = { source: 'test', license: 'Apache-2.0', files: Object.entries(lexicons).map(([file, body]) => ({ file, url: `${base}/l/${file}`, size: Buffer.byteLength(body), sha256: sha256(Buffer.from(body)) })) };
  });
  const dir = tempDir();
  const cache = join(dir, 'cache');
  try {
    const r = await runCli(['warm'], { env: { TTS_CACHE_DIR: cache, TTS_CATALOG: catalog, TTS_MODEL: undefined } });
    assert.is(r.code, 0, r.stderr);
    const lex = join(cache, 'models', 'loop', 'lexicons');
    // An American voice needs the us_* pair (warm's warm-up also left their packed copies and the tagger's snapshot).
    assert.equal(readdirSync(lex).filter((f) => f === 'NOTICE' || (f.endsWith('.json') && !f.startsWith('wink-lexicon-'))).sort(), ['NOTICE', 'us_gold.json', 'us_silver.json']);
    assert.ok(readdirSync(lex).some((f) => /^wink-lexicon-[\d.]+\.json$/.test(f)), 'the warm-up left the tagger snapshot');
    assert.match(readFileSync(join(lex, 'NOTICE'), 'utf8'), /Apache License, Version 2\.0/);
    const env = { TTS_CACHE_DIR: cache, TTS_CATALOG: catalog, TTS_MODEL: undefined };
    const ph = await runCli(['say', '--phonemes', 'little'], { env });
    assert.match(ph.stdout.toString(), /phonemes: lˈɪTᵊl\n/);
    // Lexicons gone: espeak-ng alone, said once.
    rmSync(lex, { recursive: true });
    const gone = await runCli(['say', '--phonemes', 'Little. Water.'], { env });
    assert.is(gone.code, 0, gone.stderr);
    assert.is(gone.stderr.match(/lexicons are not installed/g)?.length, 1, gone.stderr);
    assert.match(gone.stdout.toString(), /phonemes: lˈɪɾəl\./);
  } finally {
    await server.close();
  }
  assert.ok(!server.requests.some((r) => r.url === '/l/gb_gold.json'));
});

test.run();
