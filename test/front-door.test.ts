// The CLI's front door: exit codes (2 for usage errors, 1 for failures), one-line errors with the
// fix, help and did-you-mean, no silent voice substitution, the config file, the voice list with
// Piper's published voices.json, a user's own .onnx, warm's report of every missing file, completion.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { installPiperTestModel } from '../scripts/gen-test-models.js';
import { readWavInfo } from '../src/engine/audio/wav.js';
import { cacheWithModels, offlineCatalog, runCli, tempDir } from './helpers.js';

const cache = cacheWithModels();
const env = { TTS_CACHE_DIR: cache, TTS_CATALOG: offlineCatalog(), TTS_MODEL: undefined, TTS_VOICE: undefined, XDG_CONFIG_HOME: tempDir() };

/** A voices.json in the format rhasspy/piper-voices publishes, with three voices. */
function piperVoicesJson(): string {
  const voice = (key: string, code: string, quality: string, speakers = 1) => {
    const [lang, region] = code.split('_');
    const [, name] = key.split('-');
    const dir = `${lang}/${code}/${name}/${quality}`;
    return {
      key,
      name,
      language: { code, family: lang, region, name_native: lang, name_english: lang === 'en' ? 'English' : 'German', country_english: region },
      quality,
      num_speakers: speakers,
      speaker_id_map: {},
      files: {
        [`${dir}/${key}.onnx`]: { size_bytes: 63201294, md5_digest: '0'.repeat(32) },
        [`${dir}/${key}.onnx.json`]: { size_bytes: 4882, md5_digest: '1'.repeat(32) },
        [`${dir}/MODEL_CARD`]: { size_bytes: 300, md5_digest: '2'.repeat(32) },
      },
      aliases: [],
    };
  };
  const list = [voice('de_DE-thorsten-medium', 'de_DE', 'medium'), voice('en_GB-alan-low', 'en_GB', 'low'), voice('en_US-zoe-high', 'en_US', 'high')];
  // A hostile entry: its key would be a folder outside the cache. It must be skipped.
  const hostile = { ...voice('en_US-evil-low', 'en_US', 'low'), key: '../../evil' };
  return JSON.stringify(Object.fromEntries([...list, hostile].map((v) => [v.key, v])), null, 4);
}

const USAGE_ERRORS: [string, string[], Record<string, string>?][] = [
  ['speed out of range', ['say', 'hi', '--speed', '3']],
  ['speed not a number', ['say', 'hi', '--speed', 'fast']],
  ['empty text', ['say', '']],
  ['blank text', ['say', '   ']],
  ['unknown voice', ['say', 'hi', '--voice', 'zz_nobody']],
  ['unknown Kokoro voice, nothing installed', ['say', 'hi', '--voice', 'zz_nobody', '--cache-dir', tempDir()]],
  ['unknown model', ['say', 'hi', '--model', 'no-such-model']],
  ['missing model file', ['say', 'hi', '--model', '/nonexistent/x.onnx']],
  ['unknown variant', ['say', 'hi', '--dtype', 'q9']],
  ['bad espeak language', ['say', 'hi', '--voice', 'espeak:!!']],
  ['unknown command', ['sya', 'hi']],
  ['unknown flag', ['say', 'hi', '--bogus']],
  ['mistyped flag', ['say', 'hi', '--cach']],
  ['flags that exclude each other', ['say', 'hi', '--phonemes', '--out', 'x.wav']],
  ['unreadable lexicon', ['say', 'hi', '--lexicon', '/nonexistent/lexicon.txt']],
  ['unknown flag of voices', ['voices', '--bogus']],
  ['unknown flag of warm', ['warm', '--nope']],
  ['help for an unknown command', ['help', 'sya']],
  ['completion for an unknown shell', ['completion', 'tcsh']],
  ['completion without a shell', ['completion']],
  ['integer flag below its minimum', ['serve-stdin', '--parallel', '0']],
  ['too few bench iterations', ['bench', '-n', '2', '--no-write']],
  ['invalid config file', ['config'], { TTS_CONFIG: 'BROKEN' }],
];

test(`${USAGE_ERRORS.length} usage errors each exit 2 with a one-line message (and at most one line of fix)`, async () => {
  const broken = join(tempDir(), 'config.json');
  writeFileSync(broken, '{"voice": ');
  for (const [what, args, extra] of USAGE_ERRORS) {
    const r = await runCli(args, { env: { ...env, ...(extra?.TTS_CONFIG ? { TTS_CONFIG: broken } : {}) } });
    assert.is(r.code, 2, `${what}: exit ${r.code}\n${r.stderr}`);
    const lines = r.stderr.trimEnd().split('\n');
    assert.ok(lines.length >= 1 && lines.length <= 2, `${what}: ${lines.length} lines:\n${r.stderr}`);
    assert.match(lines[0]!, /^tts( [a-z-]+)?: \S/, what);
    assert.not.match(r.stderr, /USAGE|Error:/, what);
    assert.is(r.stdout.length, 0, `${what}: nothing on stdout`);
  }
});

test('did-you-mean for a command and a flag', async () => {
  const cmd = await runCli(['sya', 'hi'], { env });
  assert.match(cmd.stderr, /unknown command "sya"\. Did you mean "say"\?/);
  const flag = await runCli(['say', 'hi', '--spede', '1'], { env });
  assert.is(flag.code, 2);
  assert.match(flag.stderr, /unknown flag --spede\. Did you mean --speed\?/);
  const help = await runCli(['help', 'voics'], { env });
  assert.match(help.stderr, /Did you mean "voices"\?/);
});

test('tts help, tts help say and tts say -h show help and exit 0', async () => {
  const top = await runCli(['help'], { env });
  assert.is(top.code, 0, top.stderr);
  for (const c of ['say', 'voices', 'warm', 'config', 'completion']) assert.match(top.stdout.toString(), new RegExp(`\\n  ${c}\\s`));
  const plain = { ...env, NO_COLOR: '1', FORCE_COLOR: '0' };
  const a = await runCli(['help', 'say'], { env: plain });
  const b = await runCli(['say', '-h'], { env: plain });
  assert.is(a.code, 0, a.stderr);
  assert.is(b.code, 0, b.stderr);
  assert.match(a.stdout.toString(), /USAGE\n {2}\$ tts say \[TEXT\.\.\.\]/, a.stdout.toString());
  assert.match(a.stdout.toString(), /--quiet/);
  assert.is(a.stdout.toString(), b.stdout.toString());
});

test('several words are the text; --quiet and --verbose', async () => {
  const r = await runCli(['say', 'hello', 'world', '--phonemes'], { env });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout.toString(), /^text: +hello world$/m);
  const fresh = { ...env, TTS_CACHE_DIR: tempDir() };
  const loud = await runCli(['say', 'Hi.', '--out', join(tempDir(), 'a.wav')], { env: fresh });
  assert.is(loud.code, 0, loud.stderr);
  assert.match(loud.stderr, /built-in espeak-ng voice/);
  const quiet = await runCli(['say', 'Hi.', '--quiet', '--out', join(tempDir(), 'b.wav')], { env: fresh });
  assert.is(quiet.code, 0, quiet.stderr);
  assert.is(quiet.stderr, '');
  const verbose = await runCli(['say', 'Hi there.', '--verbose', '--out', join(tempDir(), 'c.wav')], { env });
  assert.is(verbose.code, 0, verbose.stderr);
  assert.match(verbose.stderr, /voice gen_alpha \(model kokoro-gen\)/);
});

test('an explicitly named voice that cannot be downloaded fails with exit 1 and the fix; no espeak substitution', async () => {
  const fresh = { ...env, TTS_CACHE_DIR: tempDir() };
  for (const voice of ['af_heart', 'piper:en_US-amy-low']) {
    const out = join(tempDir(), 'x.wav');
    const r = await runCli(['say', 'Hello.', '--voice', voice, '--out', out], { env: fresh });
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`^tts: ${voice} is not installed and could not be downloaded`));
    assert.match(r.stderr, /Run `tts warm --model (kokoro-v1\.0 --voice af_heart|en_US-amy-low)` when online/);
    assert.not.match(r.stderr, /speaking with the built-in/);
    assert.throws(() => readFileSync(out), 'no file written');
  }
  // Also when other models are installed: a catalog voice is fetched, not refused as unknown.
  const other = await runCli(['say', 'Hello.', '--voice', 'bf_emma', '--out', join(tempDir(), 'z.wav')], { env });
  assert.is(other.code, 1, other.stderr);
  assert.match(other.stderr, /bf_emma is not installed and could not be downloaded[\s\S]*tts warm --model kokoro-v1\.0 --voice bf_emma/);
  // Named through the environment (or the config file) counts as named.
  const viaEnv = await runCli(['say', 'Hello.', '--out', join(tempDir(), 'y.wav')], { env: { ...fresh, TTS_VOICE: 'bf_emma' } });
  assert.is(viaEnv.code, 1, viaEnv.stderr);
  assert.match(viaEnv.stderr, /bf_emma is not installed/);
});

test('config file and environment: tts config shows each value and where it comes from; say uses them', async () => {
  const home = tempDir();
  mkdirSync(join(home, 'tts'));
  writeFileSync(join(home, 'tts', 'config.json'), JSON.stringify({ voice: 'gen_bravo', speed: 1.5 }));
  const e = { ...env, XDG_CONFIG_HOME: home, TTS_SPEED: '0.8' };
  const r = await runCli(['config', '--json'], { env: e });
  assert.is(r.code, 0, r.stderr);
  const { configFile, settings } = JSON.parse(r.stdout.toString()) as { configFile: string; settings: { name: string; value: string; source: string }[] };
  assert.is(configFile, join(home, 'tts', 'config.json'));
  const by = Object.fromEntries(settings.map((s) => [s.name, s]));
  assert.equal(by.voice, { name: 'voice', value: 'gen_bravo', source: configFile });
  assert.equal(by.speed, { name: 'speed', value: '0.8', source: 'env TTS_SPEED' });
  assert.is(by.cacheDir!.value, cache);
  assert.is(by.cacheDir!.source, 'env TTS_CACHE_DIR');
  assert.is(by.model!.source, 'default');
  const table = await runCli(['config'], { env: e });
  assert.match(table.stdout.toString(), /^voice +gen_bravo +\/.*config\.json$/m);
  // say takes the voice from the file and the speed from the environment; a flag beats both.
  const p = await runCli(['say', 'Hi.', '--verbose', '--out', join(tempDir(), 'a.wav')], { env: e });
  assert.is(p.code, 0, p.stderr);
  assert.match(p.stderr, /voice gen_bravo /);
  const f = await runCli(['say', 'Hi.', '--verbose', '--voice', 'gen_charlie', '--out', join(tempDir(), 'b.wav')], { env: e });
  assert.match(f.stderr, /voice gen_charlie /);
});

test('tts voices --lang en --json lists Piper voices from the full list (served on loopback), with language and quality', async () => {
  const body = piperVoicesJson();
  const served: string[] = [];
  const server = createServer((req, res) => {
    served.push(req.url ?? '');
    if (req.url !== '/rev/voices.json') return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Length': Buffer.byteLength(body) }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    const catalog = JSON.parse(readFileSync(env.TTS_CATALOG, 'utf8'));
    catalog.piperVoices = { file: 'piper-voices.json', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/rev/voices.json`, size: null, sha256: null };
    const path = join(tempDir(), 'catalog.json');
    writeFileSync(path, JSON.stringify(catalog));
    const e = { ...env, TTS_CACHE_DIR: cacheWithModels(), TTS_CATALOG: path };
    const r = await runCli(['voices', '--lang', 'en', '--json'], { env: e });
    assert.is(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout.toString()) as { voice: string; language: string; quality: string; sampleRate: number; size: number; installed: boolean; gender: string }[];
    const alan = rows.find((x) => x.voice === 'piper:en_GB-alan-low');
    assert.equal(alan && { language: alan.language, quality: alan.quality, sampleRate: alan.sampleRate, size: alan.size, installed: alan.installed }, { language: 'en-GB', quality: 'low', sampleRate: 16000, size: 63201294, installed: false });
    assert.ok(rows.some((x) => x.voice === 'piper:en_US-zoe-high' && x.sampleRate === 22050));
    assert.not.ok(rows.some((x) => x.voice.includes('thorsten')), 'German voices are filtered out');
    assert.not.ok(rows.some((x) => x.voice.includes('evil')), 'an entry whose key is not a plain name is skipped');
    assert.ok(rows.every((x) => /^en(-|$)/i.test(x.language)), 'only English');
    assert.ok(rows.some((x) => x.voice === 'bf_emma' && x.gender === 'female' && x.language === 'en-GB'), 'Kokoro voices carry language and gender');
    // The list is kept in the cache folder: a second run does not fetch it again.
    const again = await runCli(['voices', '--lang', 'de', '--json'], { env: e });
    assert.ok((JSON.parse(again.stdout.toString()) as { voice: string }[]).some((x) => x.voice === 'piper:de_DE-thorsten-medium'));
    assert.equal(served, ['/rev/voices.json']);
    // A voice of the full list is a catalog model: warm knows where to fetch it (here: 404).
    const warm = await runCli(['warm', '--model', 'en_GB-alan-low', '--json'], { env: e });
    assert.is(warm.code, 1, warm.stderr);
    const missing = (JSON.parse(warm.stdout.toString()) as { missing: { url: string }[] }).missing.map((m) => m.url.replace(/^http:\/\/[^/]+/, ''));
    assert.equal(missing, ['/rev/en/en_GB/alan/low/en_GB-alan-low.onnx', '/rev/en/en_GB/alan/low/en_GB-alan-low.onnx.json']);
    // The table: aligned columns.
    const table = (await runCli(['voices', '--lang', 'en-gb'], { env: e })).stdout.toString().trimEnd().split('\n');
    const statusAt = table[0]!.indexOf('STATUS');
    assert.ok(statusAt > 0 && table.every((l) => l.length > statusAt && l[statusAt - 1] === ' ' && l[statusAt - 2] === ' '), table.join('\n'));
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('--model PATH.onnx: a Piper voice (config beside it) and a Kokoro model of the user', async () => {
  const gen = tempDir();
  const piperDir = installPiperTestModel(gen, { id: 'my-voice', sampleRate: 22050 });
  const own = tempDir();
  copyFileSync(join(piperDir, 'my-voice.onnx'), join(own, 'mine.onnx'));
  copyFileSync(join(piperDir, 'my-voice.onnx.json'), join(own, 'mine.onnx.json'));
  const out = join(tempDir(), 'p.wav');
  const p = await runCli(['say', 'Hello there.', '--model', join(own, 'mine.onnx'), '--out', out], { env });
  assert.is(p.code, 0, p.stderr);
  assert.is(readWavInfo(readFileSync(out)).sampleRate, 22050);
  const kdir = tempDir();
  copyFileSync(join(cache, 'models', 'kokoro-gen', 'model.onnx'), join(kdir, 'kokoro.onnx'));
  mkdirSync(join(kdir, 'voices'));
  copyFileSync(join(cache, 'models', 'kokoro-gen', 'voices', 'gen_bravo.bin'), join(kdir, 'voices', 'gen_bravo.bin'));
  const k = await runCli(['say', 'Hello there.', '--model', join(kdir, 'kokoro.onnx'), '--voice', 'gen_bravo', '--out', join(tempDir(), 'k.wav')], { env });
  assert.is(k.code, 0, k.stderr);
});

test('tts warm offline names every missing file in one run, as text and as JSON', async () => {
  const e = { ...env, TTS_CACHE_DIR: tempDir() };
  const r = await runCli(['warm', '--voice', 'af_heart', '--voice', 'bf_emma'], { env: e });
  assert.is(r.code, 1);
  for (const f of ['kokoro-v1.0.int8.onnx', 'af_heart.bin', 'bf_emma.bin']) assert.match(r.stderr, new RegExp(`→ .*/${f.replace('.', '\\.')} \\(`));
  assert.match(r.stderr, /3 files are missing/);
  const j = await runCli(['warm', '--voice', 'af_heart', '--voice', 'bf_emma', '--json'], { env: e });
  assert.is(j.code, 1);
  const report = JSON.parse(j.stdout.toString()) as { ok: boolean; error: { code: string }; missing: { file: string; sha256: string | null }[] };
  assert.is(report.ok, false);
  assert.is(report.error.code, 'DOWNLOAD_FAILED');
  assert.equal(report.missing.map((m) => m.file), ['kokoro-v1.0.int8.onnx', 'af_heart.bin', 'bf_emma.bin']);
  assert.ok(report.missing.every((m) => /^[0-9a-f]{64}$/.test(m.sha256 ?? '')));
});

test('shell completion scripts for bash, zsh and fish', async () => {
  for (const shell of ['bash', 'zsh', 'fish']) {
    const r = await runCli(['completion', shell], { env });
    assert.is(r.code, 0, r.stderr);
    const s = r.stdout.toString();
    for (const word of ['say', 'voices', 'warm', 'speed', 'lang']) assert.ok(s.includes(word), `${shell}: ${word}`);
  }
  const bash = (await runCli(['completion', 'bash'], { env })).stdout.toString();
  assert.match(bash, /complete -F _tts_complete tts/);
});

test('tts bench --voice espeak:en-us runs (no EISDIR)', async () => {
  const r = await runCli(['bench', '--voice', 'espeak:en-us', '--scenario', 'cached', '-n', '3', '--warmup', '0', '--no-write', '--json'], { env });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout.toString(), /espeak-ng/);
});

test.run();
