// The Kokoro-82M ONNX backend: text → espeak phonemes → Kokoro ids → style row → session.run.
// Accepts both exports of the model: onnx-community's (input `input_ids`) and kokoro-onnx's
// (input `tokens`); both take `style` float32 [1, 256] and `speed` float32 [1] and return float32
// samples at 24 kHz.
import { join } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { TtsError } from '../errors.js';
import { installedVoices, voicesDirOf, type InstalledModel } from '../models/installed.js';
import { Phonemizer } from '../phonemize.js';
import { phonemizeSegments } from '../text/pronunciation.js';
import { createSession, type LoadedSession } from '../session.js';
import { concatFloat } from '../audio/pcm.js';
import type { Backend, BackendContext } from './backend.js';
import { OnnxBackend } from './onnx-backend.js';
import { espeakToKokoro, padIds, tokenizeKokoro } from './kokoro-tokenizer.js';
import { loadVoicePack, styleRow } from './kokoro-voices.js';
import { isBlend, mixPacks, parseBlend } from './kokoro-blend.js';

/** espeak-ng language for a Kokoro voice, from the first letter of its name (a = American, b = British …). */
export function kokoroLanguage(voice: string): string {
  const byPrefix: Record<string, string> = { a: 'en-us', b: 'en-gb', e: 'es', f: 'fr-fr', h: 'hi', i: 'it', j: 'ja', p: 'pt-br', z: 'cmn' };
  return (voice[1] === 'f' || voice[1] === 'm') && voice[2] === '_' ? (byPrefix[voice[0]!] ?? 'en-us') : 'en-us';
}

export interface KokoroEncoding {
  phonemes: string;
  /** Id sequences without padding, each short enough for one run. */
  pieces: number[][];
  dropped: string[];
}

export class KokoroBackend extends OnnxBackend implements Backend {
  readonly family = 'kokoro' as const;
  readonly sampleRate: number;
  private readonly packs = new Map<string, Promise<Float32Array>>();
  private readonly idsInput: string;

  private constructor(
    private readonly model: InstalledModel,
    loaded: LoadedSession,
    private readonly phonemizer: Phonemizer,
  ) {
    super(loaded);
    this.sampleRate = model.manifest.sampleRate || 24000;
    const names = loaded.session.inputNames;
    const idsInput = names.find((n) => n === 'input_ids' || n === 'tokens');
    if (!idsInput || !names.includes('style') || !names.includes('speed')) {
      throw new TtsError('MODEL_CORRUPT', `Model ${model.manifest.id} does not have Kokoro's inputs (found: ${names.join(', ')}; expected input_ids or tokens, style, speed).`, 'Check that the model folder holds a Kokoro ONNX export.');
    }
    this.idsInput = idsInput;
  }

  static async load(model: InstalledModel, modelFile: string, ctx: Partial<BackendContext> = {}): Promise<KokoroBackend> {
    const phonemizer = ctx.phonemizer ?? new Phonemizer();
    // espeak-ng's start-up (~0.1 s) overlaps the session load.
    const language = kokoroLanguage(model.manifest.defaultVoice ?? '');
    const [session] = await Promise.all([createSession(join(model.dir, modelFile), ctx.session), phonemizer.preload(language)]);
    return new KokoroBackend(model, session, phonemizer);
  }

  voices(): string[] {
    return installedVoices(this.model);
  }

  private pack(voice: string): Promise<Float32Array> {
    let p = this.packs.get(voice);
    if (!p) {
      p = isBlend(voice) ? this.blendPack(voice) : loadVoicePack(join(voicesDirOf(this.model), `${voice}.bin`));
      p.catch(() => this.packs.delete(voice));
      this.packs.set(voice, p);
    }
    return p;
  }

  /** A blend's pack: its parts' packs mixed row by row (kokoro-blend.ts). */
  private async blendPack(voice: string): Promise<Float32Array> {
    const parts = parseBlend(voice);
    const packs = await Promise.all(parts.map((p) => this.pack(p.name)));
    return mixPacks(packs, parts.map((p) => p.weight));
  }

  /** Text → phonemes → ids, cut into pieces the model accepts. */
  async encode(text: string, voice: string): Promise<KokoroEncoding> {
    const language = kokoroLanguage(voice);
    const phonemes = await phonemizeSegments(text, (t) => this.phonemizer.phonemize(t, language), (ipa) => espeakToKokoro(ipa, language));
    const { pieces, dropped } = tokenizeKokoro(phonemes);
    if (dropped.length > 0 && process.env.TTS_DEBUG) {
      process.stderr.write(`tts: debug: left out symbols not in Kokoro's vocab: ${[...new Set(dropped)].join(' ')}\n`);
    }
    return { phonemes, pieces, dropped };
  }

  /** One run of the model on ids without padding. */
  async infer(ids: number[], voice: string, speed: number): Promise<Float32Array> {
    const { ort, session } = this.loaded;
    const padded = padIds(ids);
    const feeds: InferenceSession.FeedsType = {
      [this.idsInput]: new ort.Tensor('int64', BigInt64Array.from(padded, (n) => BigInt(n)), [1, padded.length]),
      style: new ort.Tensor('float32', styleRow(await this.pack(voice), ids.length), [1, 256]),
      speed: new ort.Tensor('float32', Float32Array.of(speed), [1]),
    };
    const out = await session.run(feeds);
    const audio = out[session.outputNames[0]!]!;
    return audio.data as Float32Array;
  }

  async inspect(text: string, voice: string): Promise<{ phonemes: string; ids: number[][] }> {
    const { phonemes, pieces } = await this.encode(text, voice);
    return { phonemes, ids: pieces.map(padIds) };
  }

  async synthesize(text: string, voice: string, speed: number): Promise<Float32Array> {
    const { pieces } = await this.encode(text, voice);
    const parts: Float32Array[] = [];
    for (const ids of pieces) parts.push(await this.infer(ids, voice, speed));
    return concatFloat(parts);
  }
}
