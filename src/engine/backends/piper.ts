// The Piper (VITS) ONNX backend: text → espeak phonemes in the voice's language → ids from the
// voice's phoneme_id_map → session.run → float samples at the voice's sample rate.
//   ids: `^`, then each phoneme's id followed by the pad `_`, then `$` — as Piper's Python runtime
//   lays them out (piper-phonemize's C++ adds one more pad right after `^`; the voices accept both).
//   inputs: input int64 [1, T], input_lengths int64 [1], scales float32 [3] = noise_scale,
//   length_scale (divided by our speed), noise_w; sid int64 [1] for multi-speaker voices.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { TtsError } from '../errors.js';
import type { InstalledModel } from '../models/installed.js';
import { Phonemizer } from '../phonemize.js';
import { checkOverrides, phonemizeSegments } from '../text/pronunciation.js';
import { createSession, type LoadedSession } from '../session.js';
import type { Backend, BackendContext } from './backend.js';
import { OnnxBackend } from './onnx-backend.js';
import { intType, numberTensor } from './onnx-inputs.js';
import { piperConfigProblem } from './piper-config-check.js';

export interface PiperConfig {
  audio: { sample_rate: number };
  espeak: { voice: string };
  inference?: { noise_scale?: number; length_scale?: number; noise_w?: number };
  phoneme_type?: string;
  phoneme_map?: Record<string, string[]>;
  phoneme_id_map: Record<string, number[]>;
  num_speakers?: number;
  speaker_id_map?: Record<string, number>;
}

export const PIPER_BOS = '^';
export const PIPER_EOS = '$';
export const PIPER_PAD = '_';

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
  return c;
}

/** Piper's phonemes → ids; symbols the voice does not know are dropped (and reported). */
export function piperIds(phonemes: string, config: PiperConfig): { ids: number[]; dropped: string[] } {
  const map = config.phoneme_id_map;
  const ids = [...map[PIPER_BOS]!];
  const dropped: string[] = [];
  // Piper treats each Unicode code point of the decomposed (NFD) phoneme string as one phoneme.
  for (const symbol of phonemes.normalize('NFD')) {
    for (const p of config.phoneme_map?.[symbol] ?? [symbol]) {
      const id = map[p];
      if (!id) {
        dropped.push(p);
        continue;
      }
      ids.push(...id, ...map[PIPER_PAD]!);
    }
  }
  ids.push(...map[PIPER_EOS]!);
  return { ids, dropped };
}

/** The speaker id for a voice name: a name from speaker_id_map, a number, or '' for the first. */
export function piperSpeaker(config: PiperConfig, voice: string): number {
  const n = config.num_speakers ?? 1;
  if (!voice) return 0;
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

  /** Text → espeak phonemes → ids (with ^, pads and $). */
  async encode(text: string): Promise<{ phonemes: string; ids: number[]; dropped: string[] }> {
    const map = this.config.phoneme_id_map;
    checkOverrides(text, (s) => map[s] !== undefined || s.normalize('NFD').split('').every((c) => map[c] !== undefined), `this Piper voice (${this.model.manifest.id})`);
    const phonemes = await phonemizeSegments(text, (t) => this.phonemizer.phonemize(t, this.config.espeak.voice)).catch((err: unknown) => {
      if (!(err instanceof TtsError && err.code === 'UNKNOWN_VOICE')) throw err;
      throw new TtsError('MODEL_CORRUPT', `The Piper voice ${this.model.manifest.id} needs the espeak-ng voice "${this.config.espeak.voice}" (espeak.voice in its config), which espeak-ng does not have.`, 'Reinstall the voice with `tts warm --model <voice>`, or correct espeak.voice in its .onnx.json.');
    });
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
    return this.infer(ids, voice, speed);
  }
}
