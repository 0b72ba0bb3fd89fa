#!/usr/bin/env node
// Writes small ONNX models with exactly the Kokoro and Piper input/output signatures, so tests and
// benchmarks run the real onnxruntime-node without the real weights (which cannot be downloaded
// where this project is built). Deterministic: the same options give the same bytes.
//
// What the generated models do, so tests can reason about them:
//  - every token id becomes `samplesPerToken` samples of a windowed tone whose pitch depends on the
//    id (id 0, the pad, is silence), so the output length is T * samplesPerToken / speed;
//  - the style vector (Kokoro) or speaker id (Piper) sets the loudness, so voices sound different;
//  - `work` adds that many 512×512 MatMul+Tanh layers per token: real compute that lets a
//    benchmark emulate a real model's inference cost without changing the audio length.
//
// Usage: node dist/scripts/gen-test-models.js [--cache-dir DIR] [--work N] [--samples-per-token N] [--kokoro-only]
import { mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { mulberry32 } from '../src/bench/stats/prng.js';
import { GraphBuilder } from './onnx-graph.js';

export const KOKORO_VOCAB_SIZE = 178;
export const STYLE_DIM = 256;
export const PACK_ROWS = 510;
const WORK_DIM = 512;

export interface GenOptions {
  /** MatMul+Tanh layers per token (0 = almost free). */
  work?: number;
  /** Samples produced per token at speed 1. */
  samplesPerToken?: number;
}

function uniform(n: number, seed: number, scale: number): Float32Array {
  const r = mulberry32(seed); // seeded, so generated files are reproducible
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (r() * 2 - 1) * scale;
  return out;
}

/** Per-id windowed tones: row 0 (the pad id) is silence. */
function toneTable(rows: number, samplesPerToken: number, sampleRate: number): Float32Array {
  const table = new Float32Array(rows * samplesPerToken);
  for (let id = 1; id < rows; id++) {
    const freq = 110 + ((id * 37) % 60) * 10;
    for (let s = 0; s < samplesPerToken; s++) {
      const window = Math.sin((Math.PI * (s + 0.5)) / samplesPerToken) ** 2;
      table[id * samplesPerToken + s] = 0.5 * window * Math.sin((2 * Math.PI * freq * s) / sampleRate);
    }
  }
  return table;
}

/**
 * Shared tail of both graphs: tones for the ids, stretched to floor(T * samplesPerToken / speedDivisor)
 * samples, times `gain`, plus the `work` layers folded in as a tiny gain change.
 */
function toneGraph(
  g: GraphBuilder,
  ids: string,
  vocab: number,
  speedDivisor: string,
  gain: string,
  opts: Required<GenOptions>,
  sampleRate: number,
): string {
  const spt = opts.samplesPerToken;
  const tones = g.constant('float32', [vocab, spt], toneTable(vocab, spt, sampleRate));
  const perToken = g.one('Gather', [tones, ids], { axis: 0 }); // [1, T, spt]
  const flat = g.one('Reshape', [perToken, g.constant('int64', [4], [1, 1, 1, -1])]); // [1,1,1,T*spt]

  // Output length: floor(T * spt / speedDivisor).
  const shape = g.one('Shape', [ids]);
  const t = g.one('Gather', [shape, g.constant('int64', [1], [1])], { axis: 0 }); // [1]
  const tf = g.one('Cast', [t], { to: 1 });
  const len = g.one('Floor', [g.one('Div', [g.one('Mul', [tf, g.constant('float32', [1], [spt])]), speedDivisor])]);
  const sizes = g.one('Concat', [g.constant('int64', [3], [1, 1, 1]), g.one('Cast', [len], { to: 7 })], { axis: 0 });
  const resized = g.one('Resize', [flat, '', '', sizes], { mode: 'linear' });

  let totalGain = gain;
  if (opts.work > 0) {
    // Real compute per token; its (deterministic) result nudges the gain by a hair.
    const emb = g.constant('float32', [vocab, WORK_DIM], uniform(vocab * WORK_DIM, 11, 1));
    const w = g.constant('float32', [WORK_DIM, WORK_DIM], uniform(WORK_DIM * WORK_DIM, 12, 1 / Math.sqrt(WORK_DIM)));
    let x = g.one('Gather', [emb, ids], { axis: 0 });
    for (let i = 0; i < opts.work; i++) x = g.one('Tanh', [g.one('MatMul', [x, w])]);
    const r = g.one('ReduceMean', [x], { keepdims: 0 });
    const nudge = g.one('Add', [g.constant('float32', [], [1]), g.one('Mul', [r, g.constant('float32', [], [1e-3])])]);
    totalGain = g.one('Mul', [gain, nudge]);
  }
  return g.one('Mul', [resized, totalGain]);
}

function withDefaults(opts: GenOptions): Required<GenOptions> {
  return { work: opts.work ?? 0, samplesPerToken: opts.samplesPerToken ?? 1800 };
}

/** The input types of a Kokoro export: int64 ids and float32 speed (both exports), or int32 (kokoro-onnx's int32 path). */
export interface KokoroInputTypes {
  inputName?: 'input_ids' | 'tokens';
  idsType?: 'int64' | 'int32';
  speedType?: 'float32' | 'int32';
}

/** A model with Kokoro's signature: (input_ids|tokens int64[1,T], style f32[1,256], speed f32[1]) → waveform f32[N]. */
export function buildKokoroModel(opts: GenOptions & KokoroInputTypes = {}): Uint8Array {
  const o = withDefaults(opts);
  const g = new GraphBuilder('kokoro-generated');
  const ids = g.input(opts.inputName ?? 'input_ids', opts.idsType ?? 'int64', [1, 'T']);
  const style = g.input('style', 'float32', [1, STYLE_DIM]);
  const speedIn = g.input('speed', opts.speedType ?? 'float32', [1]);
  const speed = opts.speedType === 'int32' ? g.one('Cast', [speedIn], { to: 1 }) : speedIn;
  // gain = 0.6 + 0.3 * tanh(style · w): every style row gives its own loudness.
  const proj = g.one('MatMul', [style, g.constant('float32', [STYLE_DIM, 1], uniform(STYLE_DIM, 7, 0.25))]);
  const gain = g.one('Add', [g.constant('float32', [], [0.6]), g.one('Mul', [g.one('Tanh', [proj]), g.constant('float32', [], [0.3])])]);
  const gain4 = g.one('Reshape', [gain, g.constant('int64', [4], [1, 1, 1, 1])]);
  const audio = toneGraph(g, ids, KOKORO_VOCAB_SIZE, speed, gain4, o, 24000);
  g.one('Reshape', [audio, g.constant('int64', [1], [-1])], {}, 'waveform');
  g.output('waveform', 'float32', ['N']);
  return g.encode({ generator: 'tts gen-test-models', family: 'kokoro', work: String(o.work) });
}

/** A deterministic voice pack of Kokoro's shape [510, 1, 256], float32 little-endian. */
export function buildVoicePack(seed: number): Uint8Array {
  return new Uint8Array(voicePackFloats(seed).buffer);
}

/** The same pack as floats. */
export function voicePackFloats(seed: number): Float32Array {
  return uniform(PACK_ROWS * STYLE_DIM, 1000 + seed, 0.4);
}

/** A .npy (format 1.0) of float32 `data` with `shape`, laid out as NumPy writes it (header padded to 64 bytes). */
export function buildNpy(data: Float32Array, shape: number[]): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const out = Buffer.alloc(total + data.byteLength);
  out.write('\x93NUMPY', 0, 'latin1');
  out.writeUInt8(1, 6);
  out.writeUInt8(0, 7);
  out.writeUInt16LE(header.length, 8);
  out.write(header, 10, 'latin1');
  Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(out, total);
  return out;
}

/**
 * An .npz of voice packs in the layout np.savez writes (kokoro-onnx's voices-v1.0.bin): stored
 * members `<name>.npy`, each local header carrying ZIP64 sizes (Python's force_zip64), a plain
 * central directory.
 */
export function buildVoicesNpz(packs: Record<string, Float32Array>): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [voice, pack] of Object.entries(packs)) {
    const name = Buffer.from(`${voice}.npy`);
    const body = Buffer.from(buildNpy(pack, [PACK_ROWS, 1, STYLE_DIM]));
    const crc = crc32(body);
    const local = Buffer.alloc(30 + name.length + 20);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(45, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(0xffffffff, 18);
    local.writeUInt32LE(0xffffffff, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(20, 28);
    name.copy(local, 30);
    local.writeUInt16LE(0x0001, 30 + name.length);
    local.writeUInt16LE(16, 32 + name.length);
    local.writeBigUInt64LE(BigInt(body.length), 34 + name.length);
    local.writeBigUInt64LE(BigInt(body.length), 42 + name.length);
    const central = Buffer.alloc(46 + name.length);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(45, 4);
    central.writeUInt16LE(45, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(body.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    name.copy(central, 46);
    locals.push(local, body);
    centrals.push(central);
    offset += local.length + body.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length, 8);
  end.writeUInt16LE(centrals.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/** Piper's symbol table for the generated Piper models: pad, bos, eos, space, punctuation, IPA. */
export const PIPER_GEN_SYMBOLS = [
  '_', '^', '$', ' ', '!', "'", '(', ')', ',', '-', '.', ':', ';', '?',
  ...'abcdefhijklmnopqrstuvwxyz',
  ...'æçðøŋœɐɑɒɔəɚɛɜɞɟɡɪɫɬɹɾʃʊʌʍʒʔʝʲˈˌːθχᵻ',
];

/**
 * A model with Piper's signature: (input int64[1,T], input_lengths int64[1], scales f32[3][, sid int64[1]])
 * → output f32[1,1,N], N = floor(T * samplesPerToken * length_scale).
 */
export function buildPiperModel(opts: GenOptions & { numSpeakers?: number } = {}): Uint8Array {
  const o = withDefaults(opts);
  const speakers = opts.numSpeakers ?? 1;
  const g = new GraphBuilder('piper-generated');
  const ids = g.input('input', 'int64', [1, 'T']);
  g.input('input_lengths', 'int64', [1]);
  const scales = g.input('scales', 'float32', [3]);
  const lengthScale = g.one('Gather', [scales, g.constant('int64', [1], [1])], { axis: 0 });
  const one = g.constant('float32', [1], [1]);
  const divisor = g.one('Div', [one, lengthScale]);
  let gain: string;
  if (speakers > 1) {
    const sid = g.input('sid', 'int64', [1]);
    const gains = Array.from({ length: speakers }, (_, i) => 0.4 + (0.5 * i) / (speakers - 1));
    gain = g.one('Gather', [g.constant('float32', [speakers], gains), sid], { axis: 0 });
  } else {
    gain = g.constant('float32', [1], [0.8]);
  }
  const gain4 = g.one('Reshape', [gain, g.constant('int64', [4], [1, 1, 1, 1])]);
  const audio = toneGraph(g, ids, 256, divisor, gain4, o, 16000);
  g.one('Reshape', [audio, g.constant('int64', [3], [1, 1, -1])], {}, 'output');
  g.output('output', 'float32', [1, 1, 'N']);
  return g.encode({ generator: 'tts gen-test-models', family: 'piper', work: String(o.work) });
}

/** The Piper voice config (`.onnx.json`) that goes with buildPiperModel. */
export function buildPiperConfig(opts: { numSpeakers?: number; sampleRate?: number } = {}): object {
  const speakers = opts.numSpeakers ?? 1;
  const phonemeIdMap: Record<string, number[]> = {};
  PIPER_GEN_SYMBOLS.forEach((s, i) => (phonemeIdMap[s] = [i]));
  return {
    audio: { sample_rate: opts.sampleRate ?? 16000, quality: 'low' },
    espeak: { voice: 'en-us' },
    inference: { noise_scale: 0.667, length_scale: 1, noise_w: 0.8 },
    phoneme_type: 'espeak',
    phoneme_map: {},
    phoneme_id_map: phonemeIdMap,
    num_symbols: 256,
    num_speakers: speakers,
    speaker_id_map: speakers > 1 ? Object.fromEntries(Array.from({ length: speakers }, (_, i) => [`speaker${i}`, i])) : {},
    language: { code: 'en_US' },
    dataset: 'generated',
  };
}

function writeAtomic(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

export const GEN_KOKORO_ID = 'kokoro-gen';
export const GEN_KOKORO_VOICES = ['gen_alpha', 'gen_bravo', 'gen_charlie'];
export const GEN_PIPER_ID = 'piper-gen';
export const GEN_PIPER_MULTI_ID = 'piper-gen-multi';

/**
 * Installs a generated Kokoro model into `<cacheDir>/models/<id>/` in the same layout as a
 * downloaded one (model.json manifest, model file, voices/*.bin).
 */
export function installKokoroTestModel(cacheDir: string, opts: GenOptions & KokoroInputTypes & { id?: string } = {}): string {
  const dir = join(cacheDir, 'models', opts.id ?? GEN_KOKORO_ID);
  mkdirSync(join(dir, 'voices'), { recursive: true });
  writeAtomic(join(dir, 'model.onnx'), buildKokoroModel(opts));
  GEN_KOKORO_VOICES.forEach((v, i) => writeAtomic(join(dir, 'voices', `${v}.bin`), buildVoicePack(i)));
  const manifest = {
    id: opts.id ?? GEN_KOKORO_ID,
    family: 'kokoro',
    sampleRate: 24000,
    defaultVoice: GEN_KOKORO_VOICES[0],
    defaultDtype: 'fp32',
    variants: { fp32: 'model.onnx' },
    source: 'generated',
    description: `generated test model (work=${opts.work ?? 0}, samplesPerToken=${opts.samplesPerToken ?? 1800})`,
  };
  writeAtomic(join(dir, 'model.json'), JSON.stringify(manifest, null, 2) + '\n');
  return dir;
}

/** Installs a generated Piper voice into `<cacheDir>/models/<id>/`. */
export function installPiperTestModel(
  cacheDir: string,
  opts: GenOptions & { id?: string; numSpeakers?: number; sampleRate?: number } = {},
): string {
  const id = opts.id ?? (opts.numSpeakers && opts.numSpeakers > 1 ? GEN_PIPER_MULTI_ID : GEN_PIPER_ID);
  const dir = join(cacheDir, 'models', id);
  mkdirSync(dir, { recursive: true });
  writeAtomic(join(dir, `${id}.onnx`), buildPiperModel(opts));
  writeAtomic(join(dir, `${id}.onnx.json`), JSON.stringify(buildPiperConfig(opts), null, 2) + '\n');
  const manifest = {
    id,
    family: 'piper',
    sampleRate: opts.sampleRate ?? 16000,
    defaultDtype: 'fp32',
    variants: { fp32: `${id}.onnx` },
    config: `${id}.onnx.json`,
    source: 'generated',
    description: `generated Piper test voice (speakers=${opts.numSpeakers ?? 1}, work=${opts.work ?? 0})`,
  };
  writeAtomic(join(dir, 'model.json'), JSON.stringify(manifest, null, 2) + '\n');
  return dir;
}

function defaultCacheDir(): string {
  const env = process.env.TTS_CACHE_DIR;
  if (env) return env;
  const xdg = process.env.XDG_CACHE_HOME || join(process.env.HOME ?? '.', '.cache');
  return join(xdg, 'tts');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'cache-dir': { type: 'string' },
      work: { type: 'string', default: '0' },
      'samples-per-token': { type: 'string', default: '1800' },
      id: { type: 'string' },
      'kokoro-only': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(
      'Usage: gen-test-models [--cache-dir DIR] [--work N] [--samples-per-token N] [--id ID] [--kokoro-only]\n' +
        'Installs generated Kokoro-signature (and Piper-signature) test models into DIR/models.\n',
    );
    return;
  }
  const cacheDir = values['cache-dir'] ?? defaultCacheDir();
  const opts = { work: Number(values.work), samplesPerToken: Number(values['samples-per-token']) };
  if (!Number.isInteger(opts.work) || opts.work < 0) throw new Error('--work must be a whole number ≥ 0');
  if (!Number.isInteger(opts.samplesPerToken) || opts.samplesPerToken < 1) throw new Error('--samples-per-token must be a whole number ≥ 1');
  const k = installKokoroTestModel(cacheDir, { ...opts, ...(values.id ? { id: values.id } : {}) });
  process.stdout.write(`wrote ${k}\n`);
  if (!values['kokoro-only']) {
    process.stdout.write(`wrote ${installPiperTestModel(cacheDir, opts)}\n`);
    process.stdout.write(`wrote ${installPiperTestModel(cacheDir, { ...opts, numSpeakers: 4 })}\n`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: Error) => {
    process.stderr.write(`gen-test-models: ${err.message}\n`);
    process.exit(1);
  });
}
