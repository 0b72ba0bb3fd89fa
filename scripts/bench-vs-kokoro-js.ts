#!/usr/bin/env node
// tts against kokoro-js, side by side, on the same generated Kokoro-signature model, the same real
// voice pack (af_heart from the kokoro-js package), the same onnxruntime session options (tts's:
// threads, no spinning, execution mode, memory arena), interleaved (the order of the two alternates
// every sample), so machine noise hits both alike. Each engine runs in
// a process of its own, driven by this one: each is timed inside its process, and neither pays for
// the other's garbage collection.
//
// Two measurements:
//  1. per sentence (20 sentences of ~84 characters, model work 0 by default): wall time of one
//     sentence, the time inside session.run, and the difference — each engine's own cost;
//  2. stream: a 5-sentence text at a model cost of ~80–90 ms per sentence (--stream-work; 150 gave ~91 ms
//     here at a load near 1 — time is not linear in --work, check session.run in the output), total time
//     of tts's engine.synthesize against kokoro-js's stream().
//
// kokoro-js is installed on demand into --peer-dir with `npm install --ignore-scripts` (its CPU
// onnxruntime binaries ship in the npm package); it loads the model from a local folder laid out as
// onnx-community's export (config.json, tokenizer.json, onnx/model.onnx), never from a hub.
//
// tts reads English as an installed Kokoro model does (`tts warm` installs misaki's lexicons with
// it): the lexicons are copied from --lexicons DIR (default ../shared/reference/misaki beside the
// repo). Without them tts falls back to espeak-ng for every word, as kokoro-js always does. Each
// model's first use (what `tts warm` does once per installation) runs before measuring, in its own
// process.
//
// Usage: node dist/scripts/bench-vs-kokoro-js.js [--n 5] [--threads 2] [--work 0] [--stream-work 150]
//        [--stream-n 10] [--peer-dir DIR] [--peer-session tts|default] [--lexicons DIR] [--json FILE]
import { execFileSync, fork } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { quantile } from '../src/bench/stats/quantile.js';
import { KOKORO_VOCAB } from '../src/engine/backends/kokoro-vocab.js';
import { LEXICON_FILES } from '../src/engine/g2p/lexicon.js';
import type { OnnxBackend } from '../src/engine/backends/onnx-backend.js';
import { Engine } from '../src/engine/engine.js';
import { sessionOptions as ortSessionOptions, sessionTuning } from '../src/engine/session.js';
import { buildKokoroModel, installKokoroTestModel } from './gen-test-models.js';

const KOKORO_JS = 'kokoro-js@1.2.1';
const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** 20 sentences of about 84 characters (plain words: no numbers, so no normalization differences). */
export const SENTENCES = [
  'The quiet harbor woke slowly as fishing boats drifted past the old stone lighthouse.',
  'She packed a small bag with bread, cheese, and apples before walking to the station.',
  'Most of the students finished their projects early and spent the afternoon reading.',
  'A cold wind swept across the valley, bending the tall grass toward the frozen river.',
  'He opened the window to let the morning light spill across the cluttered wooden desk.',
  'Our neighbors planted a row of sunflowers that now tower over the garden fence line.',
  'The museum guide explained how ancient sailors used the stars to find their way home.',
  'After the storm passed, the children ran outside to splash in the puddles on the road.',
  'Every evening the baker sets aside a few loaves for families who cannot afford bread.',
  'The committee will review each proposal carefully before announcing the final winner.',
  'Bright lanterns lined the narrow streets as music drifted from the crowded town square.',
  'Nobody expected the tiny restaurant to become the most popular place in the whole city.',
  'The engineer tested the bridge again to make sure it could carry the heavy new trains.',
  'My grandmother still writes letters by hand and mails them to friends across the sea.',
  'Thick fog rolled in from the ocean, hiding the cliffs and muffling the cries of gulls.',
  'The library offers free classes on painting, cooking, and gardening during the summer.',
  'Several hikers stopped at the ridge to watch the sun sink behind the distant mountains.',
  'The orchestra rehearsed for weeks, hoping their final concert would be remembered well.',
  'A curious fox crept through the orchard at dawn, sniffing at the apples in the grass.',
  'They built a small cabin near the lake and spent every summer fishing from the dock.',
];

const STREAM_TEXT = SENTENCES.slice(0, 5).join(' ');

interface Sample {
  total: number;
  run: number;
}

function summary(xs: number[]): { p50: number; p95: number } {
  return { p50: quantile(xs, 0.5), p95: quantile(xs, 0.95) };
}

/** onnx-community's tokenizer.json layout (WordLevel-style vocab, one symbol per token, `$` pads both ends). */
function tokenizerJson(): object {
  const symbols = [...KOKORO_VOCAB.keys()].filter((s) => s !== '$');
  const escaped = symbols.map((s) => s.replace(/[\\\]^-]/g, (c) => `\\${c}`)).join('');
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [{ id: 0, content: '$', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
    normalizer: { type: 'Replace', pattern: { Regex: `[^$${escaped}]` }, content: '' },
    pre_tokenizer: { type: 'Split', pattern: { Regex: '' }, behavior: 'Isolated', invert: false },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '$', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '$', type_id: 0 } }],
      pair: [{ Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }],
      special_tokens: { $: { id: '$', ids: [0], tokens: ['$'] } },
    },
    decoder: null,
    model: { vocab: Object.fromEntries([['$', 0], ...[...KOKORO_VOCAB.entries()].filter(([s]) => s !== '$')]) },
  };
}

/**
 * Installs kokoro-js into `peerDir` once. Its onnxruntime-node is overridden to ours: two versions
 * of onnxruntime cannot be loaded in one process, and one runtime for both makes the comparison
 * about the engines, not the runtimes.
 */
function ensurePeer(peerDir: string): string {
  const entry = join(peerDir, 'node_modules', 'kokoro-js', 'dist', 'kokoro.js');
  const ortVersion = (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version;
  const manifest = JSON.stringify({ private: true, dependencies: { 'kokoro-js': KOKORO_JS.split('@')[1] }, overrides: { 'onnxruntime-node': ortVersion } }, null, 2);
  const manifestPath = join(peerDir, 'package.json');
  if (!existsSync(entry) || !existsSync(manifestPath) || readFileSync(manifestPath, 'utf8') !== manifest) {
    mkdirSync(peerDir, { recursive: true });
    writeFileSync(manifestPath, manifest);
    process.stderr.write(`installing ${KOKORO_JS} (onnxruntime-node ${ortVersion}) into ${peerDir} with npm install --ignore-scripts…\n`);
    execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: peerDir, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return entry;
}

type KokoroJs = {
  generate(text: string, o: { voice: string; speed?: number }): Promise<unknown>;
  stream(text: unknown, o: { voice: string }): AsyncIterable<{ phonemes: string }>;
  tokenizer: (t: string) => { input_ids: { dims: number[] } };
};

interface Splitter {
  push(...t: string[]): void;
  close(): void;
}

async function loadKokoroJs(peerDir: string, root: string, threads: number, peerSession: PeerSession): Promise<{ tts: KokoroJs; runMs: () => number; splitter: () => Splitter }> {
  const entry = ensurePeer(peerDir);
  const transformers = await import(pathToFileURL(join(peerDir, 'node_modules', '@huggingface', 'transformers', 'dist', 'transformers.node.mjs')).href);
  const { KokoroTTS, TextSplitterStream } = await import(pathToFileURL(entry).href);
  transformers.env.allowRemoteModels = false;
  transformers.env.localModelPath = root;
  transformers.env.cacheDir = join(root, '.hf-cache');
  // kokoro-js's from_pretrained does not pass session options on, so the two parts are built by
  // hand. By default with the options tts gives its own session: the same runtime settings on both
  // sides (and no threads spinning after one engine's run while the other engine's next sample is
  // measured); `--peer-session default` keeps onnxruntime's defaults apart from the thread count.
  const sessionOptions =
    peerSession === 'tts'
      ? ortSessionOptions('cpu', 'all', sessionTuning({ threads }))
      : { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionProviders: ['cpu'] };
  const [model, tokenizer] = await Promise.all([
    transformers.StyleTextToSpeech2Model.from_pretrained('kjs', { dtype: 'fp32', device: 'cpu', session_options: sessionOptions }),
    transformers.AutoTokenizer.from_pretrained('kjs'),
  ]);
  let acc = 0;
  const session = model.sessions.model;
  const run = session.run.bind(session);
  session.run = async (...args: unknown[]) => {
    const t0 = performance.now();
    try {
      return await run(...args);
    } finally {
      acc += performance.now() - t0;
    }
  };
  return { tts: new KokoroTTS(model, tokenizer) as KokoroJs, runMs: () => acc, splitter: () => new TextSplitterStream() as Splitter };
}

/** kokoro-js's session options: tts's own, or onnxruntime's defaults (spinning threads) with the same thread count. */
type PeerSession = 'tts' | 'default';

interface SideSetup {
  root: string;
  threads: number;
  phase: 'sentences' | 'stream';
  peerDir: string;
  peerSession: PeerSession;
}

type Side = ((text: string) => Promise<Sample>) & { stop(): Promise<void> };

/** Starts this script as one engine's process (see sideMain) and returns a function that times one text there. */
function startSide(which: 'tts' | 'kokoro-js', setup: SideSetup): Promise<Side> {
  const child = fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, TTS_VS_SIDE: which }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const replies: Array<(m: unknown) => void> = [];
  child.on('message', (m) => replies.shift()?.(m));
  const failed = new Promise<never>((_, rej) => child.on('exit', (code) => rej(new Error(`the ${which} process exited (${code})`))));
  failed.catch(() => undefined);
  const ask = <T>(m: unknown): Promise<T> => Promise.race([new Promise<T>((res) => { replies.push(res as (m: unknown) => void); child.send(m as object); }), failed]);
  const once = ((text: string) => ask<Sample>({ text })) as Side;
  once.stop = async () => {
    child.removeAllListeners('exit');
    child.kill();
  };
  return ask<'ready'>(setup).then(() => once);
}

/** One engine's process: loads it from the prepared folder, then times each text it is sent. */
async function sideMain(which: string): Promise<void> {
  const setup = await new Promise<SideSetup>((res) => process.once('message', (m) => res(m as SideSetup)));
  let once: (text: string) => Promise<Sample>;
  if (which === 'tts') {
    const engine = new Engine({ cacheDir: join(setup.root, 'cache'), cache: false, session: { threads: setup.threads, providers: ['cpu'] } });
    const backend = (await engine.preload({ model: 'kokoro-gen', voice: 'af_heart' })) as unknown as OnnxBackend;
    once = async (text) => {
      const run0 = backend.runStats.totalMs;
      const t0 = performance.now();
      for await (const _ of engine.synthesize({ text, model: 'kokoro-gen', voice: 'af_heart' })) void _;
      return { total: performance.now() - t0, run: backend.runStats.totalMs - run0 };
    };
  } else {
    const kjs = await loadKokoroJs(setup.peerDir, setup.root, setup.threads, setup.peerSession);
    once = async (text) => {
      const run0 = kjs.runMs();
      const t0 = performance.now();
      if (setup.phase === 'sentences') await kjs.tts.generate(text, { voice: 'af_heart' });
      else {
        // kokoro-js 1.2.1's stream(string) never closes its splitter, so its last sentence never
        // comes; its documented streaming use — a TextSplitterStream pushed and closed — does.
        const splitter = kjs.splitter();
        splitter.push(text);
        splitter.close();
        for await (const _ of kjs.tts.stream(splitter, { voice: 'af_heart' })) void _;
      }
      return { total: performance.now() - t0, run: kjs.runMs() - run0 };
    };
  }
  process.send!('ready');
  process.on('message', (m: { text: string }) => void once(m.text).then((r) => process.send!(r)));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      n: { type: 'string', default: '5' },
      threads: { type: 'string', default: '2' },
      work: { type: 'string', default: '0' },
      'stream-work': { type: 'string', default: '150' },
      'stream-n': { type: 'string', default: '10' },
      'peer-dir': { type: 'string', default: join(tmpdir(), 'tts-peers') },
      'peer-session': { type: 'string', default: 'tts' },
      lexicons: { type: 'string', default: join(REPO, '..', 'shared', 'reference', 'misaki') },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write('Usage: bench-vs-kokoro-js [--n 5] [--threads 2] [--work 0] [--stream-work 150] [--stream-n 10] [--peer-dir DIR] [--peer-session tts|default] [--lexicons DIR] [--json FILE]\n');
    return;
  }
  const peerSession = values['peer-session'] as PeerSession;
  if (peerSession !== 'tts' && peerSession !== 'default') {
    process.stderr.write(`bench-vs-kokoro-js: --peer-session is "${peerSession}"; use tts (kokoro-js gets tts's session options) or default (onnxruntime's).\n`);
    process.exitCode = 2;
    return;
  }
  const n = Number(values.n);
  const threads = Number(values.threads);
  const voicePack = join(ensurePeer(values['peer-dir']!), '..', '..', 'voices', 'af_heart.bin');
  const lexicons = [...LEXICON_FILES.us, ...LEXICON_FILES.gb].map((f) => join(values.lexicons!, f));
  const haveLexicons = lexicons.every((f) => existsSync(f));
  if (!haveLexicons) process.stderr.write(`bench-vs-kokoro-js: misaki's lexicons are not in ${values.lexicons} (--lexicons DIR): tts reads every word with espeak-ng, as without \`tts warm\`.\n`);
  const results: Record<string, unknown> = { command: process.argv.slice(1).join(' '), threads, kokoroJs: KOKORO_JS, peerSession, lexicons: haveLexicons };

  for (const phase of ['sentences', 'stream'] as const) {
    const work = Number(phase === 'sentences' ? values.work : values['stream-work']);
    const root = mkdtempSync(join(tmpdir(), 'tts-vs-kjs-'));
    try {
      // The same model bytes for both, and the same real voice pack.
      const cache = join(root, 'cache');
      const modelDir = installKokoroTestModel(cache, { work });
      copyFileSync(voicePack, join(modelDir, 'voices', 'af_heart.bin'));
      if (haveLexicons) {
        mkdirSync(join(modelDir, 'lexicons'));
        for (const f of lexicons) copyFileSync(f, join(modelDir, 'lexicons', basename(f)));
      }
      // The model's first use, in a process of its own, as `tts warm` makes it: it packs the
      // lexicons, snapshots the tagger's data and calibrates the voice's loudness, once per
      // installation. The measured process then starts as a user's later runs do, instead of
      // carrying that one-time garbage (some 120 MB) into a major collection mid-measurement.
      execFileSync(process.execPath, [join(REPO, 'bin', 'run.cjs'), 'say', 'First use.', '--model', 'kokoro-gen', '--voice', 'af_heart', '--no-cache', '--out', join(root, 'first-use.wav')], {
        env: { ...process.env, TTS_CACHE_DIR: cache },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      mkdirSync(join(root, 'kjs', 'onnx'), { recursive: true });
      writeFileSync(join(root, 'kjs', 'onnx', 'model.onnx'), buildKokoroModel({ work }));
      writeFileSync(join(root, 'kjs', 'config.json'), JSON.stringify({ model_type: 'style_text_to_speech_2' }));
      writeFileSync(join(root, 'kjs', 'tokenizer.json'), JSON.stringify(tokenizerJson()));
      writeFileSync(join(root, 'kjs', 'tokenizer_config.json'), JSON.stringify({ model_max_length: 512, pad_token: '$', unk_token: '$', tokenizer_class: 'PreTrainedTokenizer' }));

      // Each engine in a process of its own, so neither pays for the other's garbage collection.
      const oursOnce = await startSide('tts', { root, threads, phase, peerDir: values['peer-dir']!, peerSession });
      const theirsOnce = await startSide('kokoro-js', { root, threads, phase, peerDir: values['peer-dir']!, peerSession });
      const texts = phase === 'sentences' ? SENTENCES : [STREAM_TEXT];
      const reps = phase === 'sentences' ? n : Number(values['stream-n']);
      // Warm-up: both engines once on every text (first-call costs are not what this measures).
      for (const t of texts) {
        await oursOnce(t);
        await theirsOnce(t);
      }
      const ours: Sample[] = [];
      const theirs: Sample[] = [];
      let k = 0;
      for (let r = 0; r < reps; r++) {
        for (const t of texts) {
          if (k++ % 2 === 0) {
            ours.push(await oursOnce(t));
            theirs.push(await theirsOnce(t));
          } else {
            theirs.push(await theirsOnce(t));
            ours.push(await oursOnce(t));
          }
        }
      }
      const side = (xs: Sample[]) => ({
        total: summary(xs.map((x) => x.total)),
        run: summary(xs.map((x) => x.run)),
        overhead: summary(xs.map((x) => x.total - x.run)),
      });
      const a = side(ours);
      const b = side(theirs);
      results[phase] = {
        work,
        samples: ours.length,
        tts: a,
        kokoroJs: b,
        ratio: { totalP50: a.total.p50 / b.total.p50, overheadP50: a.overhead.p50 / b.overhead.p50, overheadP95: a.overhead.p95 / b.overhead.p95 },
      };
      const f = (x: { p50: number; p95: number }): string => `${x.p50.toFixed(2)} / ${x.p95.toFixed(2)}`;
      process.stdout.write(
        `\n${phase === 'sentences' ? `per sentence (${ours.length} samples, work ${work})` : `5-sentence stream, total (${ours.length} samples, work ${work})`}  — ms, P50 / P95; kokoro-js with ${peerSession === 'tts' ? "tts's session options" : "onnxruntime's default session options"}\n` +
          `  ${''.padEnd(12)} ${'total'.padEnd(18)} ${'session.run'.padEnd(18)} total − run\n` +
          `  ${'tts'.padEnd(12)} ${f(a.total).padEnd(18)} ${f(a.run).padEnd(18)} ${f(a.overhead)}\n` +
          `  ${'kokoro-js'.padEnd(12)} ${f(b.total).padEnd(18)} ${f(b.run).padEnd(18)} ${f(b.overhead)}\n` +
          `  ratio tts/kokoro-js: total P50 ${(a.total.p50 / b.total.p50).toFixed(2)}, own cost P50 ${(a.overhead.p50 / b.overhead.p50).toFixed(2)}, P95 ${(a.overhead.p95 / b.overhead.p95).toFixed(2)}\n`,
      );
      await Promise.all([oursOnce.stop(), theirsOnce.stop()]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  if (values.json) writeFileSync(values.json, JSON.stringify(results, null, 2) + '\n');
}

(process.env.TTS_VS_SIDE ? sideMain(process.env.TTS_VS_SIDE) : main()).catch((err: Error) => {
  process.stderr.write(`bench-vs-kokoro-js: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
