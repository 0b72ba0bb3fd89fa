// The cache stays consistent and closed: two real `tts warm` processes at once, names that try
// to leave the cache, and `tts warm --from DIR` for machines without network.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { installModel } from '../src/engine/models/install.js';
import { cacheWithModels, offlineCatalog, runCli, tempDir } from './helpers.js';
import { kokoroFixture, sendThrottled, serve, sha256, writeCatalog } from './loopback.js';

const ENV = { TTS_MODEL: undefined, TTS_OFFLINE: undefined, HTTP_PROXY: undefined, http_proxy: undefined };

test('two tts warm processes at once against a throttled server install one correct model', async () => {
  const fx = kokoroFixture();
  const srv = await serve((req, res) => {
    const body = fx.files[req.url ?? ''];
    if (!body) return void res.writeHead(404).end();
    sendThrottled(body, res, 16 * 1024, 40, req); // about 2 s for the model, Range honoured: the two runs overlap
  });
  try {
    const cache = tempDir();
    const env = { ...ENV, TTS_CACHE_DIR: cache, TTS_CATALOG: writeCatalog(srv.url, fx) };
    // An earlier run was interrupted: both processes find the same .part to resume.
    mkdirSync(join(cache, 'models', 'loop'), { recursive: true });
    writeFileSync(join(cache, 'models', 'loop', 'model.onnx.part'), fx.model.subarray(0, Math.floor(fx.model.byteLength * 0.4)));
    const phrases = join(tempDir(), 'none.txt');
    writeFileSync(phrases, '');
    const args = ['warm', '--no-optimize', '--phrases', phrases, '--json'];
    const [a, b] = await Promise.all([runCli(args, { env }), runCli(args, { env })]);
    assert.is(a.code, 0, a.stderr);
    assert.is(b.code, 0, b.stderr);
    const dir = join(cache, 'models', 'loop');
    assert.is(sha256(readFileSync(join(dir, 'model.onnx'))), sha256(fx.model), 'the model on disk is the model');
    assert.is(sha256(readFileSync(join(dir, 'voices', 'gen_alpha.bin'))), sha256(fx.voice));
    assert.equal(srv.requests.map((r) => r.url).sort(), ['/onnx/model.onnx', '/voices/gen_alpha.bin'], 'each file fetched once: the second process waited and used it');
    assert.equal(readdirSync(dir).filter((f) => /\.(part|lock|bad)/.test(f)), [], 'no leftovers');
  } finally {
    await srv.close();
  }
});

test('a catalog whose file name leads outside the cache is refused, and nothing is written', async () => {
  const fx = kokoroFixture();
  const srv = await serve((_req, res) => res.writeHead(200, { 'Content-Length': fx.model.byteLength }).end(fx.model));
  try {
    for (const patch of [
      (e: Record<string, any>) => (e.variants.fp32.file = '../../../x.onnx'),
      (e: Record<string, any>) => (e.id = '../escape'),
      (e: Record<string, any>) => (e.variants = { '../fp32': e.variants.fp32 }),
      (e: Record<string, any>) => (e.voices.sha256 = { '../../v': 'a'.repeat(64) }),
      (e: Record<string, any>) => (e.variants.fp32.url = 'file:///etc/passwd'),
    ]) {
      const root = tempDir();
      const cache = join(root, 'a', 'b', 'cache');
      const r = await runCli(['warm', '--no-optimize'], { env: { ...ENV, TTS_CACHE_DIR: cache, TTS_CATALOG: writeCatalog(srv.url, fx, patch) } });
      assert.is(r.code, 1, r.stderr);
      assert.match(r.stderr, /is not safe to use/);
      assert.not.match(r.stderr, /\n\s+at /, 'no stack trace');
      assert.equal(readdirSync(root), [], 'nothing written anywhere');
    }
    assert.is(srv.requests.length, 0);
  } finally {
    await srv.close();
  }
});

test('names that try to leave the cache or reach prototype properties are refused clearly', async () => {
  const cache = cacheWithModels({ piper: true });
  const env = { ...ENV, TTS_CACHE_DIR: cache, TTS_CATALOG: offlineCatalog() };
  const outDir = tempDir();
  const cases: [string[], RegExp][] = [
    [['--model', '../../dir'], /Model id "\.\.\/\.\.\/dir" is not a valid name/],
    [['--model', '/etc'], /Model id "\/etc" is not a valid name/],
    [['--voice', 'piper:../../x'], /Model id "\.\.\/\.\.\/x" is not a valid name/],
    [['--voice', 'constructor'], /Unknown voice "constructor"|has no voice "constructor"/],
    [['--voice', '__proto__'], /Unknown voice "__proto__"|has no voice "__proto__"/],
    [['--voice', 'kokoro:toString'], /Unknown voice "kokoro:toString"|has no voice "toString"/],
    [['--dtype', '__proto__'], /has no "__proto__" variant/],
    [['--dtype', 'constructor'], /has no "constructor" variant/],
  ];
  for (const [flags, message] of cases) {
    const out = join(outDir, `${cases.findIndex((c) => c[0] === flags)}.wav`);
    const r = await runCli(['say', 'Hi.', '--out', out, ...flags], { env });
    assert.ok(r.code === 1 || r.code === 2, `${flags.join(' ')}: exit ${r.code}\n${r.stderr}`);
    assert.match(r.stderr, message, flags.join(' '));
    assert.not.match(r.stderr, /\n\s+at /, `${flags.join(' ')}: no stack trace`);
    assert.not.ok(existsSync(out));
  }
  const w = await runCli(['warm', '--no-optimize', '--model', 'kokoro-v1.0', '--voice', 'constructor'], { env });
  assert.is(w.code, 2, w.stderr); // an unknown voice is a usage error
  assert.match(w.stderr, /has no voice "constructor"/);
  const d = await runCli(['warm', '--no-optimize', '--model', 'kokoro-v1.0', '--dtype', '__proto__'], { env });
  assert.is(d.code, 2, d.stderr); // an unknown variant is a usage error
  assert.match(d.stderr, /has no "__proto__" variant/);
});

test('a variant meant for a GPU provider is not installed where that provider is missing', async () => {
  const fx = kokoroFixture();
  const srv = await serve((_req, res) => res.writeHead(500).end());
  try {
    const catalog = writeCatalog(srv.url, fx, (e) => ((e.variants as Record<string, unknown>).fp16 = { file: 'model_fp16.onnx', url: `${srv.url}/fp16.onnx`, size: 10, sha256: 'a'.repeat(64), providers: ['some-gpu'] }));
    const r = await runCli(['warm', '--no-optimize', '--dtype', 'fp16'], { env: { ...ENV, TTS_CACHE_DIR: tempDir(), TTS_CATALOG: catalog } });
    assert.is(r.code, 2, r.stderr); // a variant this machine cannot run: choose another (usage)
    assert.match(r.stderr, /The fp16 variant of loop is meant for some-gpu \(a GPU\), which is not available here \(.*cpu\)/);
    assert.match(r.stderr, /--dtype q8/);
    assert.is(srv.requests.length, 0, 'nothing fetched');
  } finally {
    await srv.close();
  }
});

test('a model.json naming a file outside its folder is refused', async () => {
  const cache = cacheWithModels();
  const manifest = join(cache, 'models', 'kokoro-gen', 'model.json');
  const m = JSON.parse(readFileSync(manifest, 'utf8'));
  m.variants.fp32 = '../../../../etc/hostname';
  writeFileSync(manifest, JSON.stringify(m));
  const r = await runCli(['say', 'Hi.', '--out', join(tempDir(), 'x.wav'), '--model', 'kokoro-gen'], { env: { ...ENV, TTS_CACHE_DIR: cache } });
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /not a plain file name inside the model folder/);
});

test('tts warm --from DIR installs from a folder with no network, checked like a download', async () => {
  const fx = kokoroFixture();
  const srv = await serve((_req, res) => res.writeHead(500).end()); // must not be asked
  try {
    const catalog = writeCatalog(srv.url, fx, (e) => ((e.voices as { sha256: Record<string, string> }).sha256.gen_bravo = sha256(fx.model)));
    const from = tempDir();
    writeFileSync(join(from, 'model.onnx'), fx.model);
    mkdirSync(join(from, 'voices'));
    writeFileSync(join(from, 'voices', 'gen_alpha.bin'), fx.voice);
    const cache = tempDir();
    const env = { ...ENV, TTS_CACHE_DIR: cache, TTS_CATALOG: catalog };
    const r = await runCli(['warm', '--from', from, '--no-optimize', '--json'], { env });
    assert.is(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout.toString());
    assert.equal(report.downloaded.map((f: string) => f.slice(cache.length)).sort(), ['/models/loop/model.onnx', '/models/loop/voices/gen_alpha.bin']);
    assert.is(srv.requests.length, 0, 'no network');
    assert.ok(readFileSync(join(cache, 'models', 'loop', 'model.onnx')).equals(Buffer.from(fx.model)));

    // A damaged copy is refused with the reason, and the cache keeps nothing of it.
    const bad = tempDir();
    const damaged = Buffer.from(fx.model);
    damaged[100] = damaged[100]! ^ 0xff;
    writeFileSync(join(bad, 'model.onnx'), damaged);
    const cache2 = tempDir();
    const b = await runCli(['warm', '--from', bad, '--no-optimize'], { env: { ...env, TTS_CACHE_DIR: cache2 } });
    assert.is(b.code, 1, b.stderr);
    assert.match(b.stderr, /The copy of model\.onnx .* is not the expected file \(sha256 [0-9a-f]{64}, expected/);
    assert.not.ok(existsSync(join(cache2, 'models', 'loop', 'model.onnx')));

    // A missing file is named, with where it was looked for.
    const empty = tempDir();
    const m = await runCli(['warm', '--from', empty, '--no-optimize'], { env: { ...env, TTS_CACHE_DIR: tempDir() } });
    assert.is(m.code, 1, m.stderr);
    assert.match(m.stderr, /model\.onnx is not in /);
    assert.match(m.stderr, new RegExp(join(empty, 'model.onnx').replace(/[.]/g, '\\.')));
  } finally {
    await srv.close();
  }
});

test('--from also installs every voice of the model it finds there (the catalog names them)', async () => {
  const fx = kokoroFixture();
  const from = tempDir();
  writeFileSync(join(from, 'model.onnx'), fx.model);
  writeFileSync(join(from, 'gen_alpha.bin'), fx.voice);
  writeFileSync(join(from, 'gen_bravo.bin'), fx.voice);
  writeFileSync(join(from, 'not_listed.bin'), fx.voice);
  const catalog = writeCatalog('http://127.0.0.1:9', fx, (e) => ((e.voices as { sha256: Record<string, string> }).sha256.gen_bravo = sha256(fx.voice)));
  const cache = tempDir();
  process.env.TTS_CATALOG = catalog;
  try {
    const r = await installModel(cache, { model: 'loop' }, { fromDir: from });
    assert.equal(r.downloaded.map((f) => f.slice(dirname(r.model.dir).length)).sort(), ['/loop/model.onnx', '/loop/voices/gen_alpha.bin', '/loop/voices/gen_bravo.bin']);
  } finally {
    delete process.env.TTS_CATALOG;
  }
});

test.run();
