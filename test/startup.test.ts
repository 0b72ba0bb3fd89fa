import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cacheWithModels, runCliTraced, tempDir } from './helpers.js';

const heavy = (mods: string[]): string[] => mods.filter((m) => /onnxruntime|\/phonemizer\//.test(m));

test('tts --help loads neither onnxruntime nor the phonemizer', async () => {
  const r = await runCliTraced(['--help'], { env: { TTS_NO_FAST_HELP: '1' } }); // oclif's help (root-help.test.ts: the fast one)
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout.toString(), /say/);
  assert.ok(r.modules.some((m) => m.endsWith('/dist/tts.mjs')), 'tracing saw the CLI bundle');
  assert.equal(heavy(r.modules), []);
  const sayHelp = await runCliTraced(['say', '--help']);
  assert.is(sayHelp.code, 0, sayHelp.stderr);
  assert.equal(heavy(sayHelp.modules), []);
});

test('tts say on an uncached text loads both (so the check above can fail)', async () => {
  const r = await runCliTraced(['say', 'Hello.', '--out', `${tempDir()}/x.wav`], { env: { TTS_CACHE_DIR: cacheWithModels() } });
  assert.is(r.code, 0, r.stderr);
  assert.ok(r.modules.some((m) => m.includes('onnxruntime-node')), 'onnxruntime loaded');
  assert.ok(r.modules.some((m) => m.includes('/phonemizer/')), 'phonemizer loaded');
});

test.run();
