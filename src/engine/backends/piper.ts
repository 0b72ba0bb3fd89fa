// The Piper (VITS) ONNX backend: text → espeak phonemes in the voice's language → ids from the
// voice's phoneme_id_map → session.run → float samples at the voice's sample rate, peak-normalized.
// What both Piper runtimes do (piper-phonemize `phoneme_ids.cpp`, piper1-gpl `phoneme_ids.py`,
// `phonemize_espeak.py`, `voice.py`), and so what the voices were trained on:
//   phonemes: the NFD code points of espeak's IPA (a config's `vowel_clusters` merged back into
//   one phoneme each); clauses end only in espeak's terminators . , ? ! : ; (a space after , : ;)
//   — so dashes become ";" (espeak-ng classes — and – as semicolon clauses), an ellipsis ends
//   the clause like "," inside a sentence and "." at its end, and quotes and brackets, which
//   espeak never outputs, are dropped (see piperPunctuation).
//   ids: `^`, the pad `_`, then each phoneme's id followed by `_`, then `$`: ^ _ p1 _ p2 _ … $.
//   inputs: input int64 [1, T], input_lengths int64 [1], scales float32 [3] = noise_scale,
//   length_scale (divided by our speed), noise_w; sid int64 [1] for multi-speaker voices
//   (default_speaker_id when no speaker is named).
//   audio: each sentence divided by its peak (piper1-gpl's normalize_audio, on by default).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { TtsError } from '../errors.js';
import type { InstalledModel } from '../models/installed.js';
import { Phonemizer } from '../phonemize.js';
import { checkOverrides, phonemizeSegments, plainWords } from '../text/pronunciation.js';
import { createSession, type LoadedSession } from '../session.js';
import type { Backend, BackendContext } from './backend.js';
import { OnnxBackend } from './onnx-backend.js';
import { intType, numberTensor } from './onnx-inputs.js';
import { piperConfigProblem } from './piper-config-check.js';

export interface PiperConfig {
  audio: { sample_rate: number };
  espeak: { voice: string };
  inference?: { noise_scale?: number; length_scale?: number; noise_w?: number };
  /** "espeak" (the default) or "text" (ids from the text's own code points); others are refused. */
  phoneme_type?: string;
  phoneme_map?: Record<string, string[]>;
  phoneme_id_map: Record<string, number[]>;
  num_speakers?: number;
  speaker_id_map?: Record<string, number>;
  /** The speaker of a multi-speaker voice when none is named (0 when absent). */
  default_speaker_id?: number;
  /** Phoneme sequences spoken as one phoneme, e.g. ["a", "ɪ"] → "aɪ" (which must be in the id map). */
  vowel_clusters?: string[][];
}

export const PIPER_BOS = '^';
export const PIPER_EOS = '$';
export const PIPER_PAD = '_';
/** The phoneme types this backend speaks; Piper's pinyin, hebrew and japanese need converters tts does not have. */
const PHONEME_TYPES = ['espeak', 'text'];

const corrupt = (path: string, what: string, fix: string): TtsError => new TtsError('MODEL_CORRUPT', `${path} ${what}.`, fix);

export async function readPiperConfig(path: string): Promise<PiperConfig> {
  let c: PiperConfig;
  try {
    c = JSON.parse(await readFile(path, 'utf8')) as PiperConfig;
  } catch (err) {
    throw new TtsError('MODEL_CORRUPT', `Cannot read the Piper voice config ${path}: ${(err as Error).message}.`, 'Run `tts warm --model <voice>` to download it again.');
  }
  const problem = piperConfigProblem(c);
  if (problem) {
    throw new TtsError('MODEL_CORRUPT', `${path} is not a usable Piper voice config: ${problem}.`, 'Run `tts warm --model <voice>` to download it again.');
  }
  const map = c.phoneme_id_map;
  const type = c.phoneme_type ?? 'espeak';
  if (!PHONEME_TYPES.includes(type)) {
    throw new TtsError('MODEL_UNSUPPORTED', `${path} has phoneme_type "${type}"; tts speaks Piper voices of type ${PHONEME_TYPES.join(' or ')} only.`, 'Choose a voice whose config says "phoneme_type": "espeak" (most Piper voices).');
  }
  const speakers = c.num_speakers ?? 1;
  const def = c.default_speaker_id;
  if (def !== undefined && !(Number.isInteger(def) && def >= 0 && def < speakers)) {
    throw corrupt(path, `has default_speaker_id ${JSON.stringify(def)}, but the voice has ${speakers} speaker(s), ids 0 to ${speakers - 1}`, 'Fix default_speaker_id in the config, or download the voice again.');
  }
  const clusters: unknown = c.vowel_clusters ?? [];
  const validCluster = (v: unknown): boolean => Array.isArray(v) && v.length >= 2 && v.every((p) => typeof p === 'string') && map[v.join('')] !== undefined;
  if (!Array.isArray(clusters) || !clusters.every(validCluster)) {
    throw corrupt(path, 'has vowel_clusters that are not lists of two or more phonemes whose joined form is in phoneme_id_map', 'Fix vowel_clusters in the config, or download the voice again.');
  }
  return c;
}

// Clause punctuation as Piper's training text had it: espeak's terminators only.
const TO_TERMINATOR: Record<string, string> = { '—': ';', '–': ';', '。': '.', '！': '!', '？': '?', '，': ',', '：': ':', '；': ';', '、': ',' };
const DROPPED = /["“”„«»‹›()[\]{}¡¿]/g;

/**
 * Phonemes with their punctuation as Piper saw it in training: dashes and full-width marks turned
 * into espeak's terminators, "…" into "," inside the chunk and "." at its end, quotes and brackets
 * dropped; no space before a terminator, one after , : ; when more follows.
 */
export function piperPunctuation(phonemes: string): string {
  const mapped = phonemes
    .replace(DROPPED, ' ')
    .replace(/[—–。！？，：；、]/g, (c) => TO_TERMINATOR[c]!)
    .replace(/…+(?=\s*[.,;:!?])/g, '')
    .replace(/…+(?=\s*$)/, '.')
    .replace(/…+/g, ',');
  return mapped
    .replace(/\s+/g, ' ')
    .replace(/ (?=[.,;:!?])/g, '')
    .replace(/([,;:])(?=[^\s.,;:!?])/g, '$1 ')
    .trim();
}

/** Piper's phoneme list: NFD code points, vowel clusters merged (longest first, as piper1-gpl), the config's phoneme_map applied. */
export function piperPhonemes(phonemes: string, config: PiperConfig): string[] {
  const points = [...phonemes.normalize('NFD')];
  const clusters = [...(config.vowel_clusters ?? [])].sort((a, b) => b.length - a.length);
  const merged: string[] = [];
  for (let i = 0; i < points.length; ) {
    const hit = clusters.find((c) => c.every((p, k) => points[i + k] === p));
    merged.push(hit ? hit.join('') : points[i]!);
    i += hit ? hit.length : 1;
  }
  return merged.flatMap((p) => config.phoneme_map?.[p] ?? [p]);
}

/** Piper's phonemes → ids: ^ _ p1 _ p2 _ … $. Symbols the voice does not know are dropped (and reported). */
export function piperIds(phonemes: string, config: PiperConfig): { ids: number[]; dropped: string[] } {
  const map = config.phoneme_id_map;
  const ids = [...map[PIPER_BOS]!, ...map[PIPER_PAD]!];
  const dropped: string[] = [];
  for (const p of piperPhonemes(phonemes, config)) {
    const id = map[p];
    if (!id) {
      dropped.push(p);
      continue;
    }
    ids.push(...id, ...map[PIPER_PAD]!);
  }
  ids.push(...map[PIPER_EOS]!);
  return { ids, dropped };
}

/** Divides audio by its peak, as Piper does for each sentence; silence stays silence. */
export function peakNormalize(audio: Float32Array): Float32Array {
  let peak = 0;
  for (const v of audio) peak = Math.max(peak, Math.abs(v));
  if (peak < 1e-8) return new Float32Array(audio.length);
  return audio.map((v) => Math.max(-1, Math.min(1, v / peak)));
}

/** The speaker id for a voice name: a name from speaker_id_map, a number, or '' for the first. */
export function piperSpeaker(config: PiperConfig, voice: string): number {
  const n = config.num_speakers ?? 1;
  if (!voice) return config.default_speaker_id ?? 0;
  const byName = config.speaker_id_map?.[voice];
  if (byName !== undefined) return byName;
  const num = /^\d+$/.test(voice) ? Number(voice) : NaN;
  if (num >= 0 && num < n) return num;
  const names = Object.keys(config.speaker_id_map ?? {});
  throw new TtsError('UNKNOWN_VOICE', `This Piper voice has no speaker "${voice}".`, n > 1 ? `Speakers: ${names.length ? names.slice(0, 20).join(', ') + (names.length > 20 ? ', …' : '') : `0 to ${n - 1}`}.` : 'It has a single speaker; leave the speaker out.');
}

export class PiperBackend extends OnnxBackend implements Backend {
  readonly family = 'piper' as const;
  readonly sampleRate: number;

  private constructor(
    private readonly model: InstalledModel,
    readonly config: PiperConfig,
    loaded: LoadedSession,
    private readonly phonemizer: Phonemizer,
  ) {
    super(loaded);
    this.sampleRate = config.audio.sample_rate;
    const names = loaded.session.inputNames;
    if (!names.includes('input') || !names.includes('input_lengths') || !names.includes('scales')) {
      throw new TtsError('MODEL_CORRUPT', `Model ${model.manifest.id} does not have Piper's inputs (found: ${names.join(', ')}; expected input, input_lengths, scales[, sid]).`, 'Check that the folder holds a Piper voice.');
    }
  }

  static async load(model: InstalledModel, modelFile: string, ctx: Partial<BackendContext> = {}): Promise<PiperBackend> {
    if (!model.manifest.config) throw new TtsError('MODEL_CORRUPT', `${model.dir}/model.json names no Piper config ("config").`, 'Run `tts warm --model <voice>` to reinstall it.');
    const config = await readPiperConfig(join(model.dir, model.manifest.config));
    const phonemizer = ctx.phonemizer ?? new Phonemizer();
    const [session] = await Promise.all([createSession(join(model.dir, modelFile), ctx.session), phonemizer.preload(config.espeak.voice)]);
    return new PiperBackend(model, config, session, phonemizer);
  }

  voices(): string[] {
    const speakers = Object.keys(this.config.speaker_id_map ?? {});
    return speakers.length ? speakers : [this.model.manifest.id];
  }

  /** Text → espeak phonemes (punctuation as Piper's) → ids (^ _ … $); a "text" voice takes the text's own characters. */
  async encode(text: string): Promise<{ phonemes: string; ids: number[]; dropped: string[] }> {
    const map = this.config.phoneme_id_map;
    checkOverrides(text, (s) => map[s] !== undefined || s.normalize('NFD').split('').every((c) => map[c] !== undefined), `this Piper voice (${this.model.manifest.id})`);
    const phonemes =
      this.config.phoneme_type === 'text'
        ? plainWords(text)
        : piperPunctuation(
            await phonemizeSegments(text, (t) => this.phonemizer.phonemize(t, this.config.espeak.voice)).catch((err: unknown) => {
              if (!(err instanceof TtsError && err.code === 'UNKNOWN_VOICE')) throw err;
              throw new TtsError('MODEL_CORRUPT', `The Piper voice ${this.model.manifest.id} needs the espeak-ng voice "${this.config.espeak.voice}" (espeak.voice in its config), which espeak-ng does not have.`, 'Reinstall the voice with `tts warm --model <voice>`, or correct espeak.voice in its .onnx.json.');
            }),
          );
    return { phonemes, ...piperIds(phonemes, this.config) };
  }

  async inspect(text: string): Promise<{ phonemes: string; ids: number[][] }> {
    const { phonemes, ids } = await this.encode(text);
    return { phonemes, ids: [ids] };
  }

  async infer(ids: number[], voice: string, speed: number): Promise<Float32Array> {
    const { ort, session } = this.loaded;
    const inf = this.config.inference ?? {};
    const feeds: InferenceSession.FeedsType = {
      input: numberTensor(ort, intType(session, 'input'), ids, [1, ids.length]),
      input_lengths: numberTensor(ort, intType(session, 'input_lengths'), [ids.length], [1]),
      scales: new ort.Tensor('float32', Float32Array.of(inf.noise_scale ?? 0.667, (inf.length_scale ?? 1) / speed, inf.noise_w ?? 0.8), [3]),
      ...(session.inputNames.includes('sid') ? { sid: numberTensor(ort, intType(session, 'sid'), [piperSpeaker(this.config, voice)], [1]) } : {}),
    };
    const out = await this.run(feeds);
    return out[this.loaded.session.outputNames[0]!]!.data as Float32Array;
  }

  async synthesize(text: string, voice: string, speed: number): Promise<Float32Array> {
    const { ids } = await this.encode(text);
    return peakNormalize(await this.infer(ids, voice, speed));
  }
}
