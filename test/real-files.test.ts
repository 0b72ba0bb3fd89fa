// Real files on real machines: model exports with other input types, kokoro-onnx's .npz voices,
// a provider that fails at run time, damaged models, CPU limits, and what `tts warm` reports.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  buildKokoroModel,
  buildNpy,
  buildVoicesNpz,
  GEN_KOKORO_ID,
  GEN_KOKORO_VOICES,
  installKokoroTestModel,
  voicePackFloats,
} from '../scripts/gen-test-models.js';
import { OnnxBackend } from '../src/engine/backends/onnx-backend.js';
import { loadVoicePack } from '../src/engine/backends/kokoro-voices.js';
import { cgroupCpuQuota, usableCpus } from '../src/engine/cpu-limit.js';
import { cpuFingerprint } from '../src/engine/cpu-fingerprint.js';
import { Engine } from '../src/engine/engine.js';
import { NpzFile } from '../src/engine/models/npz.js';
import { buildOptimizedModel, createSession, defaultThreads, parseProviders, type LoadedSession } from '../src/engine/session.js';
import { isTtsError } from '../src/engine/errors.js';
import { collect, REPO, runCli, tempDir } from './helpers.js';

const pcmOf = async (cacheDir: string, text: string, speed = 1): Promise<Int16Array> => {
  const engine = new Engine({ cacheDir, cache: false });
  try {
    const chunks = await collect(engine.synthesize({ text, model: GEN_KOKORO_ID, voice: GEN_KOKORO_VOICES[0], speed }));
    return Int16Array.from(chunks.flatMap((c) => Array.from(c.pcm)));
  } finally {
    await engine.close();
  }
};

test('a Kokoro export with int32 ids and int32 speed runs, fed the types its session declares', async () => {
  const reference = tempDir('tts-cache-');
  installKokoroTestModel(reference);
  const int32 = tempDir('tts-cache-');
  installKokoroTestModel(int32, { idsType: 'int32', speedType: 'int32' });
  const idsOnly = tempDir('tts-cache-');
  installKokoroTestModel(idsOnly, { idsType: 'int32' });
  const expected = await pcmOf(reference, 'Types differ.');
  assert.ok(expected.length > 0);
  assert.equal(await pcmOf(int32, 'Types differ.'), expected);
  assert.equal(await pcmOf(idsOnly, 'Types differ.'), expected);
  // An integer speed input takes the speed truncated, as kokoro-onnx's np.int32 cast does: 1.5 → 1.
  assert.equal(await pcmOf(int32, 'Types differ.', 1.5), expected);
  assert.is.not((await pcmOf(idsOnly, 'Types differ.', 1.5)).length, expected.length);
});

test('voices from a kokoro-onnx .npz (np.savez layout) are listed and speak like per-voice files', async () => {
  const perFile = tempDir('tts-cache-');
  installKokoroTestModel(perFile);
  const npzCache = tempDir('tts-cache-');
  const dir = installKokoroTestModel(npzCache);
  // Replace the per-voice files by one voices-v1.0.bin holding the same packs, as kokoro-onnx ships them.
  const packs = Object.fromEntries(GEN_KOKORO_VOICES.map((v, i) => [v, voicePackFloats(i)]));
  writeFileSync(join(dir, 'voices-v1.0.bin'), buildVoicesNpz(packs));
  renameSync(join(dir, 'voices'), join(dir, 'voices-gone'));

  const npz = NpzFile.open(join(dir, 'voices-v1.0.bin'));
  assert.equal(npz.names(), [...GEN_KOKORO_VOICES].sort());
  assert.equal(npz.read(GEN_KOKORO_VOICES[1]!).shape, [510, 1, 256]);
  assert.equal(npz.read(GEN_KOKORO_VOICES[1]!).data, await loadVoicePack(join(dir, 'voices-gone', `${GEN_KOKORO_VOICES[1]}.bin`)));
  assert.equal(await pcmOf(npzCache, 'From the archive.'), await pcmOf(perFile, 'From the archive.'));

  // With the caches on (the identity of an .npz voice is its archive's plus its name), through the CLI.
  const out = join(npzCache, 'npz.wav');
  const said = await runCli(['say', 'From the archive.', '--model', GEN_KOKORO_ID, '--voice', GEN_KOKORO_VOICES[2]!, '--out', out], { env: { TTS_CACHE_DIR: npzCache } });
  assert.is(said.code, 0, said.stderr);
  const again = await runCli(['say', 'From the archive.', '--model', GEN_KOKORO_ID, '--voice', GEN_KOKORO_VOICES[2]!, '--out', `${out}.2.wav`], { env: { TTS_CACHE_DIR: npzCache } });
  assert.is(again.code, 0, again.stderr);
  assert.equal(readFileSync(`${out}.2.wav`), readFileSync(out));

  const r = await runCli(['voices', '--json'], { env: { TTS_CACHE_DIR: npzCache } });
  assert.is(r.code, 0, r.stderr);
  for (const v of GEN_KOKORO_VOICES) assert.ok(r.stdout.toString().includes(v), `${v} listed`);

  // Not an .npz, and an .npz holding something else: clear errors, no crash.
  writeFileSync(join(dir, 'junk.npz'), 'not a zip at all');
  assert.throws(() => NpzFile.open(join(dir, 'junk.npz')), (e: unknown) => isTtsError(e) && e.code === 'VOICE_CORRUPT');
  const odd = buildVoicesNpz({});
  writeFileSync(join(dir, 'empty.npz'), odd);
  assert.equal(NpzFile.open(join(dir, 'empty.npz')).names(), []);
  assert.throws(() => npz.read('af_nobody'), (e: unknown) => isTtsError(e) && e.code === 'UNKNOWN_VOICE');
});

test('the .npz reader reads NumPy\'s own np.savez and np.savez_compressed files, and NumPy reads ours', (ctx) => {
  const numpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
  if (numpy.status !== 0) {
    console.log('  skipped: python3 with numpy is not installed here (the generated-layout test above still runs)');
    return;
  }
  void ctx;
  const dir = tempDir();
  const ours = join(dir, 'ours.npz');
  writeFileSync(ours, buildVoicesNpz({ af_one: voicePackFloats(7) }));
  const script = `
import numpy as np, sys
d = np.load(sys.argv[1])
a = d['af_one']
assert a.shape == (510, 1, 256) and a.dtype == np.float32
r = np.random.default_rng(3).standard_normal((510, 1, 256)).astype(np.float32)
np.savez(sys.argv[2], bf_two=r, af_one=a)
np.savez_compressed(sys.argv[3], bf_two=r)
np.save(sys.argv[4], r)
`;
  const p = spawnSync('python3', ['-c', script, ours, join(dir, 'np.npz'), join(dir, 'npc.npz'), join(dir, 'r.npy')], { encoding: 'utf8' });
  assert.is(p.status, 0, p.stderr);
  const plain = NpzFile.open(join(dir, 'np.npz'));
  const compressed = NpzFile.open(join(dir, 'npc.npz'));
  assert.equal(plain.names(), ['af_one', 'bf_two']);
  assert.equal(plain.read('af_one').data, voicePackFloats(7));
  assert.equal(compressed.read('bf_two').data, plain.read('bf_two').data);
  // Our .npy writer agrees with NumPy's np.save byte for byte.
  const npy = spawnSync('python3', ['-c', 'import sys; sys.stdout.buffer.write(open(sys.argv[1], "rb").read())', join(dir, 'r.npy')]);
  assert.equal(Buffer.from(buildNpy(plain.read('bf_two').data, [510, 1, 256])), npy.stdout);
});

/** A backend whose session claims a provider and fails every run, as CoreML does on Kokoro. */
class Probe extends OnnxBackend {
  go(feeds: Parameters<OnnxBackend['run']>[0]): ReturnType<OnnxBackend['run']> {
    return this.run(feeds);
  }
}

test('a provider that fails at run time falls back to CPU once, and the run still succeeds', async () => {
  const dir = tempDir();
  const modelPath = join(dir, 'model.onnx');
  writeFileSync(modelPath, buildKokoroModel());
  const real = await createSession(modelPath, { providers: ['cpu'], threads: 1 });
  let failedRuns = 0;
  let released = 0;
  const failing: LoadedSession = {
    ...real,
    provider: 'coreml',
    session: {
      ...real.session,
      inputNames: real.session.inputNames,
      outputNames: real.session.outputNames,
      run: async () => {
        failedRuns++;
        throw new Error('Unable to get shape for output 0 (injected)');
      },
      release: async () => {
        released++;
        await real.session.release();
      },
    } as unknown as LoadedSession['session'],
  };
  const probe = new Probe(failing);
  const { ort } = real;
  const feeds = () => ({
    input_ids: new ort.Tensor('int64', BigInt64Array.of(0n, 5n, 6n, 0n), [1, 4]),
    style: new ort.Tensor('float32', new Float32Array(256), [1, 256]),
    speed: new ort.Tensor('float32', Float32Array.of(1), [1]),
  });
  const [a, b] = await Promise.all([probe.go(feeds()), probe.go(feeds())]);
  assert.is((a['waveform']!.data as Float32Array).length, 4 * 1800);
  assert.is((b['waveform']!.data as Float32Array).length, 4 * 1800);
  assert.is(probe.provider, 'cpu');
  assert.is(released, 1, 'the failed session is released once');
  assert.is(failedRuns, 2);
  assert.ok(probe.notes.some((n) => n.includes('coreml failed at run time') && n.includes('Unable to get shape')), probe.notes.join('\n'));
  await probe.go(feeds());
  assert.is(failedRuns, 2, 'later runs go straight to CPU');
  await probe.close();
});

test('a damaged model is retried at every optimization level and the error says what failed', async () => {
  const dir = tempDir();
  const path = join(dir, 'model.onnx');
  writeFileSync(path, buildKokoroModel().subarray(0, 900));
  try {
    await createSession(path, { providers: ['cpu'], threads: 1 });
    assert.unreachable('a truncated model must not load');
  } catch (err) {
    assert.ok(isTtsError(err) && err.code === 'MODEL_CORRUPT', String(err));
    for (const level of ['all', 'extended', 'basic', 'disabled']) assert.ok((err as Error).message.includes(`cpu at optimization level ${level}`), (err as Error).message);
  }
});

test('provider lists: CoreML is opt-in and CPU stays the last resort; unknown names are usage errors', async () => {
  assert.equal(parseProviders('coreml'), ['coreml', 'cpu']);
  assert.equal(parseProviders('cuda, CPU'), ['cuda', 'cpu']);
  assert.throws(() => parseProviders('tpu'), (e: unknown) => isTtsError(e) && e.code === 'BAD_PROVIDER');
  const cache = tempDir('tts-cache-');
  installKokoroTestModel(cache);
  const r = await runCli(['warm', '--model', GEN_KOKORO_ID, '--provider', 'tpu', '--no-optimize'], { env: { TTS_CACHE_DIR: cache } });
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /Unknown execution provider "tpu"/);
});

test('the optimized model is keyed by the CPU fingerprint, and warm --json reports provider, variant, level and CPU', async () => {
  const cache = tempDir('tts-cache-');
  installKokoroTestModel(cache);
  const fp = cpuFingerprint();
  assert.match(fp.id, /^[a-z0-9_]+-[0-9a-f]{8}$/);
  const opt = join(cache, 'optimized');
  const report = await buildOptimizedModel(join(cache, 'models', GEN_KOKORO_ID, 'model.onnx'), opt, { providers: ['cpu'], threads: 1 });
  assert.ok(report.file.endsWith(`-${fp.id}.onnx`), report.file);
  assert.equal(report.cpu, fp);
  assert.ok(readdirSync(opt).some((f) => f.includes(fp.id)));

  const fresh = tempDir('tts-cache-');
  installKokoroTestModel(fresh);
  const r = await runCli(['warm', '--model', GEN_KOKORO_ID, '--json', '--no-optimize', '--phrases', writePhrases(fresh)], { env: { TTS_CACHE_DIR: fresh } });
  assert.is(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout.toString());
  assert.is(json.provider, 'cpu');
  assert.is(json.dtype, 'fp32');
  assert.is(json.optLevel, 'all');
  assert.is(json.cpu.id, fp.id);
  assert.equal(json.notes, []);
});

function writePhrases(dir: string): string {
  const f = join(dir, 'phrases.txt');
  writeFileSync(f, 'Ready.\n');
  return f;
}

test('CPU limits: a cgroup v2 or v1 quota and the affinity mask cap the default threads', async () => {
  const root = tempDir();
  const proc = join(root, 'cgroup');
  // v2: 1.5 CPUs at the group, unlimited at the parent.
  mkdirSync(join(root, 'fs', 'kubepods', 'pod1'), { recursive: true });
  writeFileSync(join(root, 'fs', 'kubepods', 'cpu.max'), 'max 100000\n');
  writeFileSync(join(root, 'fs', 'kubepods', 'pod1', 'cpu.max'), '150000 100000\n');
  writeFileSync(proc, '0::/kubepods/pod1\n');
  assert.is(cgroupCpuQuota({ procCgroup: proc, root: join(root, 'fs') }), 1.5);
  assert.is(usableCpus({ procCgroup: proc, root: join(root, 'fs') }), Math.min(2, Math.max(1, (await import('node:os')).availableParallelism())));
  // v1: quota -1 is unlimited; 50000/100000 is half a CPU, which still gets one thread.
  mkdirSync(join(root, 'v1', 'cpu,cpuacct', 'docker', 'abc'), { recursive: true });
  writeFileSync(join(root, 'v1', 'cpu,cpuacct', 'docker', 'abc', 'cpu.cfs_quota_us'), '50000\n');
  writeFileSync(join(root, 'v1', 'cpu,cpuacct', 'docker', 'abc', 'cpu.cfs_period_us'), '100000\n');
  writeFileSync(join(root, 'v1', 'cpu,cpuacct', 'docker', 'cpu.cfs_quota_us'), '-1\n');
  writeFileSync(join(root, 'v1', 'cpu,cpuacct', 'docker', 'cpu.cfs_period_us'), '100000\n');
  writeFileSync(proc, '12:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n');
  assert.is(cgroupCpuQuota({ procCgroup: proc, root: join(root, 'v1') }), 0.5);
  assert.is(usableCpus({ procCgroup: proc, root: join(root, 'v1') }), 1);
  writeFileSync(proc, '0::/\n');
  assert.is(cgroupCpuQuota({ procCgroup: proc, root: join(root, 'empty') }), undefined);

  // Affinity: a process pinned to one CPU by taskset gets one inference thread.
  const pinned = spawnSync('taskset', ['-c', '0', process.execPath, '-e', `import(${JSON.stringify(join(REPO, 'dist', 'src', 'engine', 'session.js'))}).then((m) => process.stdout.write(String(m.defaultThreads())))`], { encoding: 'utf8' });
  if (pinned.error) {
    console.log('  skipped the taskset check: taskset is not installed');
  } else {
    assert.is(pinned.status, 0, pinned.stderr);
    assert.is(pinned.stdout.trim(), '1');
  }
  assert.ok(defaultThreads() >= 1);
});

test.run();
