import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { installPiperTestModel } from '../scripts/gen-test-models.js';
import { peakNormalize, PiperBackend, piperIds, piperPunctuation, piperSpeaker, readPiperConfig, type PiperConfig } from '../src/engine/backends/piper.js';
import { Engine, type EngineEvent } from '../src/engine/engine.js';
import { readWavInfo } from '../src/engine/audio/wav.js';
import { findInstalledModel } from '../src/engine/models/installed.js';
import { cacheWithModels, collect, reference, runCli, tempDir } from './helpers.js';

const VOICE = 'piper:piper-gen';

test('ids follow Piper: ^ _ p1 _ p2 _ … $ — checked against the real amy-low config', async () => {
  const ref = reference('Piper ids against en_US-amy-low.onnx.json');
  if (!ref) return;
  const config = await readPiperConfig(join(ref, 'piper', 'en_US-amy-low.onnx.json'));
  assert.is(config.audio.sample_rate, 16000);
  // həlˈoʊ, wˈɜːld! with the ids of amy-low's phoneme_id_map (^ 1, _ 0, $ 2, ˈ 120, ː 122, ʊ 100 …),
  // laid out as piper-phonemize's phoneme_ids.cpp and piper1-gpl's phoneme_ids.py do: ^ _ h _ ə _ … ! _ $
  const { ids, dropped } = piperIds('həlˈoʊ, wˈɜːld!', config);
  assert.equal(ids, [1, 0, 20, 0, 59, 0, 24, 0, 120, 0, 27, 0, 100, 0, 8, 0, 3, 0, 35, 0, 120, 0, 62, 0, 122, 0, 24, 0, 17, 0, 4, 0, 2]);
  assert.equal(dropped, []);
  // Symbols outside the map are dropped, never sent.
  const odd = piperIds('a☃b', config);
  assert.equal(odd.ids, [1, 0, 14, 0, 15, 0, 2]);
  assert.equal(odd.dropped, ['☃']);
  // Composed characters are decomposed first (NFD), as piper-phonemize does: ç → c + U+0327,
  // and amy-low's map has no combining cedilla.
  assert.equal(piperIds('ç', config), { ids: [1, 0, 16, 0, 2], dropped: ['\u0327'] });
});

/** A generated Piper model with the real amy-low config, loaded (undefined when the reference data is absent). */
async function amyShaped(what: string): Promise<PiperBackend | undefined> {
  const ref = reference(what);
  if (!ref) return undefined;
  const cache = tempDir();
  const dir = installPiperTestModel(cache, { id: 'amy-shaped' });
  copyFileSync(join(ref, 'piper', 'en_US-amy-low.onnx.json'), join(dir, 'amy-shaped.onnx.json'));
  return PiperBackend.load(findInstalledModel(cache, 'amy-shaped')!, 'amy-shaped.onnx', { session: { threads: 1 } });
}

test('the real config drives a whole Piper voice: text → espeak → ids', async () => {
  const backend = await amyShaped('Piper encode with en_US-amy-low.onnx.json');
  if (!backend) return;
  try {
    const enc = await backend.encode('Hello, world!');
    assert.is(enc.phonemes, 'həlˈoʊ, wˈɜːld!');
    assert.equal(enc.ids, [1, 0, 20, 0, 59, 0, 24, 0, 120, 0, 27, 0, 100, 0, 8, 0, 3, 0, 35, 0, 120, 0, 62, 0, 122, 0, 24, 0, 17, 0, 4, 0, 2]);
  } finally {
    await backend.close();
  }
});

test('punctuation reaches Piper as the clause marks it was trained on (espeak-ng\'s terminators)', async () => {
  // Dashes are semicolon clauses in espeak-ng; an ellipsis is a comma inside, a period at the end;
  // quotes and brackets are never in espeak's output, so never sent.
  assert.is(piperPunctuation('hiː sˈɛd "stˈɑːp" — ænd lˈɛft…'), 'hiː sˈɛd stˈɑːp; ænd lˈɛft.');
  assert.is(piperPunctuation('wˈeɪt… wˌʌt (ɔːlɹˈaɪt)?'), 'wˈeɪt, wˌʌt ɔːlɹˈaɪt?');
  assert.is(piperPunctuation('a–b, c'), 'a; b, c');
  assert.is(piperPunctuation('ʃiː sˈɛd, «wiː»!'), 'ʃiː sˈɛd, wiː!');
  const backend = await amyShaped('Piper punctuation with en_US-amy-low.onnx.json');
  if (!backend) return;
  try {
    const enc = await backend.encode('He said "stop" — and left…');
    assert.not.match(enc.phonemes, /["—…]/);
    assert.equal(enc.dropped, []);
    const config = backend.config;
    assert.equal(enc.ids.slice(0, 2), [...config.phoneme_id_map['^']!, ...config.phoneme_id_map['_']!]);
    assert.ok(enc.ids.includes(config.phoneme_id_map[';']![0]!) && enc.ids.at(-3) === config.phoneme_id_map['.']![0]!, String(enc.ids));
  } finally {
    await backend.close();
  }
});

test('Piper audio is peak-normalized per sentence, as both Piper runtimes do; silence stays silent', async () => {
  assert.equal(Array.from(peakNormalize(Float32Array.of(0.1, -0.25, 0.05))), [0.4000000059604645, -1, 0.20000000298023224]);
  assert.equal(Array.from(peakNormalize(new Float32Array(3))), [0, 0, 0]);
  const cache = cacheWithModels({ piper: true });
  const backend = await PiperBackend.load(findInstalledModel(cache, 'piper-gen-multi')!, 'piper-gen-multi.onnx', { session: { threads: 1 } });
  try {
    const peak = (x: Float32Array): number => x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const { ids } = await backend.encode('Hello.');
    assert.ok(peak(await backend.infer(ids, 'speaker0', 1)) < 0.9, 'the raw model output is quieter than full scale');
    for (const speaker of ['speaker0', 'speaker3']) assert.ok(Math.abs(peak(await backend.synthesize('Hello.', speaker, 1)) - 1) < 1e-6, speaker);
  } finally {
    await backend.close();
  }
});

/** The error a promise rejects with (the test fails when it resolves). */
async function refusal(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { code?: string };
  }
  return assert.unreachable('expected a refusal') as never;
}

test('Piper config: default_speaker_id, phoneme_type and vowel_clusters are used or refused clearly', async () => {
  const cache = cacheWithModels({ piper: true });
  const model = findInstalledModel(cache, 'piper-gen-multi')!;
  const path = join(model.dir, model.manifest.config!);
  const base = JSON.parse(readFileSync(path, 'utf8')) as PiperConfig;
  const write = (c: object): string => {
    const file = join(tempDir(), 'voice.onnx.json');
    writeFileSync(file, JSON.stringify({ ...base, ...c }));
    return file;
  };
  // default_speaker_id picks the speaker when none is named.
  assert.is(piperSpeaker(await readPiperConfig(write({ default_speaker_id: 2 })), ''), 2);
  assert.is(piperSpeaker(await readPiperConfig(write({ default_speaker_id: 2 })), 'speaker1'), 1);
  assert.match((await refusal(readPiperConfig(write({ default_speaker_id: 9 })))).message, /default_speaker_id 9.*4 speaker/);
  // phoneme_type: espeak and text are spoken; pinyin (and others) are refused, naming the type.
  await readPiperConfig(write({ phoneme_type: 'espeak' }));
  const textVoice = await readPiperConfig(write({ phoneme_type: 'text' }));
  assert.is(textVoice.phoneme_type, 'text');
  const pinyin = await refusal(readPiperConfig(write({ phoneme_type: 'pinyin' })));
  assert.is(pinyin.code, 'MODEL_UNSUPPORTED');
  assert.match(pinyin.message, /phoneme_type "pinyin"/);
  // vowel_clusters: merged into one phoneme, which must be in the id map.
  const map: Record<string, number[]> = { ...base.phoneme_id_map, 'aɪ': [200] };
  const clustered = await readPiperConfig(write({ phoneme_id_map: map, vowel_clusters: [['a', 'ɪ']] }));
  assert.equal(piperIds('haɪ', clustered).ids, [1, 0, map['h']![0]!, 0, 200, 0, 2]);
  assert.match((await refusal(readPiperConfig(write({ vowel_clusters: [['q', 'ɪ']] })))).message, /vowel_clusters/);
});

test('a German voice leaves "42" to espeak-ng: no English number words', async () => {
  const cache = tempDir();
  const dir = installPiperTestModel(cache, { id: 'piper-gen-de' });
  const configFile = join(dir, 'piper-gen-de.onnx.json');
  writeFileSync(configFile, JSON.stringify({ ...JSON.parse(readFileSync(configFile, 'utf8')), espeak: { voice: 'de' } }));
  const engine = new Engine({ cacheDir: cache, cache: false });
  try {
    const [chunk] = await engine.inspect({ text: 'Guten Tag, 42 Katzen', voice: 'piper:piper-gen-de' });
    assert.is(chunk!.text, 'Guten Tag, 42 Katzen');
    assert.match(chunk!.phonemes, /tsvˈaɪ ?ʊntf/, chunk!.phonemes); // zweiundvierzig, as espeak-ng reads it
    assert.not.match(chunk!.phonemes, /fˈɔːɹ|fˈɔːɹɾi/, chunk!.phonemes);
  } finally {
    await engine.close();
  }
});

test('multi-speaker voices send sid: speakers by name or number, unknown ones refused', async () => {
  const cache = cacheWithModels({ piper: true });
  const model = findInstalledModel(cache, 'piper-gen-multi')!;
  const backend = await PiperBackend.load(model, 'piper-gen-multi.onnx', { session: { threads: 1 } });
  try {
    assert.is(piperSpeaker(backend.config, 'speaker3'), 3);
    assert.is(piperSpeaker(backend.config, '1'), 1);
    assert.is(piperSpeaker(backend.config, ''), 0);
    assert.throws(() => piperSpeaker(backend.config, 'nobody'), /no speaker "nobody"/);
    const { ids } = await backend.encode('Hello.');
    const peak = (x: Float32Array): number => x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const quiet = peak(await backend.infer(ids, 'speaker0', 1));
    const loud = peak(await backend.infer(ids, 'speaker3', 1));
    assert.ok(loud > quiet * 1.5, `speaker3 ${loud} vs speaker0 ${quiet}: the sid reached the model`);
    // length_scale = config length_scale / speed
    assert.is((await backend.infer(ids, '', 2)).length, Math.floor((ids.length * 1800) / 2));
  } finally {
    await backend.close();
  }
});

test('tts say --out with a Piper voice writes a WAV at the voice\'s sample rate', async () => {
  const cache = cacheWithModels({ piper: true });
  installPiperTestModel(cache, { id: 'piper-gen-22k', sampleRate: 22050 });
  for (const [voice, rate] of [[VOICE, 16000], ['piper:piper-gen-22k', 22050], ['piper:piper-gen-multi:speaker1', 16000]] as const) {
    const out = join(tempDir(), 'p.wav');
    const r = await runCli(['say', 'Hello from Piper.', '--voice', voice, '--out', out], { env: { TTS_CACHE_DIR: cache } });
    assert.is(r.code, 0, r.stderr);
    const info = readWavInfo(readFileSync(out));
    assert.is(info.sampleRate, rate, voice);
    assert.ok(info.durationSeconds > 1, `${voice}: ${info.durationSeconds} s`);
  }
});

const all = collect;

test('Piper through the cache: a repeat is a hit with the same PCM; speaker and speed are in the key', async () => {
  const engine = new Engine({ cacheDir: cacheWithModels({ piper: true }) });
  try {
    const a = await all(engine.synthesize({ text: 'Cache me. Twice.', voice: VOICE }));
    const b = await all(engine.synthesize({ text: 'Cache me. Twice.', voice: VOICE }));
    assert.equal(b.map((c) => c.cached), [true, true]);
    assert.equal(b.flatMap((c) => Array.from(c.pcm)), a.flatMap((c) => Array.from(c.pcm)));
    assert.is(b[0]!.sampleRate, 16000);
    assert.equal((await all(engine.synthesize({ text: 'Cache me.', voice: 'piper:piper-gen-multi:speaker1' }))).map((c) => c.cached), [false]);
    assert.equal((await all(engine.synthesize({ text: 'Cache me.', voice: 'piper:piper-gen-multi:speaker2' }))).map((c) => c.cached), [false]);
    assert.equal((await all(engine.synthesize({ text: 'Cache me.', voice: VOICE, speed: 1.5 }))).map((c) => c.cached), [false]);
  } finally {
    await engine.close();
  }
});

test('Piper streams: the first chunk arrives before the last is synthesized', async () => {
  const events: EngineEvent[] = [];
  const engine = new Engine({ cacheDir: cacheWithModels({ piper: true }), cache: false, onEvent: (e) => events.push(e) });
  try {
    const text = 'One sentence here. Another one there. A third for luck. And the last.';
    let firstAt = -1;
    for await (const c of engine.synthesize({ text, voice: VOICE })) {
      if (c.index === 0) firstAt = events.length;
    }
    const lastDone = events.findIndex((e) => e.type === 'synth-end' && e.index === 3);
    assert.ok(firstAt >= 0 && firstAt <= lastDone, `first chunk at event ${firstAt}, last synthesized at ${lastDone}`);
  } finally {
    await engine.close();
  }
});

test('serve-stdin streams a Piper voice: 16 kHz chunks equal to what say --out writes', async () => {
  const cache = cacheWithModels({ piper: true });
  const text = 'Piper over the protocol. It works.';
  const file = join(tempDir(), 'ref.wav');
  const say = await runCli(['say', text, '--voice', VOICE, '--out', file, '--no-cache'], { env: { TTS_CACHE_DIR: cache } });
  assert.is(say.code, 0, say.stderr);
  const wav = readFileSync(file);
  const info = readWavInfo(wav);
  const r = await runCli(['serve-stdin', '--output', 'stream', '--voice', VOICE, '--no-cache'], { env: { TTS_CACHE_DIR: cache }, input: JSON.stringify({ id: 'p', text }) + '\n' });
  assert.is(r.code, 0, r.stderr);
  const events = r.stdout.toString().trim().split('\n').map((l) => JSON.parse(l) as { event: string; sampleRate?: number; pcm?: string });
  const audio = events.filter((e) => e.event === 'audio');
  assert.ok(audio.length >= 2);
  assert.ok(audio.every((e) => e.sampleRate === 16000));
  assert.ok(Buffer.concat(audio.map((e) => Buffer.from(e.pcm!, 'base64'))).equals(wav.subarray(info.dataOffset)));
  assert.is(events.at(-1)!.event, 'done');
});

test('tts bench runs unchanged with a Piper voice', async () => {
  const cache = cacheWithModels({ piper: true });
  const out = tempDir();
  const r = await runCli(['bench', '--voice', VOICE, '--scenario', 'warm', '--scenario', 'cached', '-n', '4', '--warmup', '1', '--out-dir', out], { env: { TTS_CACHE_DIR: cache } });
  assert.is(r.code, 0, r.stderr);
  const json = readdirSync(out).filter((f) => f.endsWith('.json'));
  assert.is(json.length, 2);
  const res = JSON.parse(readFileSync(join(out, json.find((f) => f.endsWith('-warm.json'))!), 'utf8'));
  assert.is(res.environment.model.id, 'piper-gen');
  assert.ok(res.result.rtf > 0);
});

test.run();
