// The Kokoro-82M ONNX backend: text → espeak phonemes → Kokoro ids → style row → session.run.
// Accepts both exports of the model: onnx-community's (input `input_ids`) and kokoro-onnx's
// (input `tokens`); both take `style` float32 [1, 256] and `speed` float32 [1] and return float32
// samples at 24 kHz.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { TtsError } from '../errors.js';
import { installedVoices, openVoicesArchive, voicesArchiveOf, voicesDirOf, type InstalledModel } from '../models/installed.js';
import { Phonemizer } from '../phonemize.js';
import { phonemizeSegments } from '../text/pronunciation.js';
import { createSession, type LoadedSession } from '../session.js';
import { concatFloat } from '../audio/pcm.js';
import type { Backend, BackendContext } from './backend.js';
import { OnnxBackend } from './onnx-backend.js';
import { expectType, numberTensor, type IntType, type NumberType } from './onnx-inputs.js';
import { espeakToKokoro, padIds, tokenizeKokoro } from './kokoro-tokenizer.js';
import { loadNpzVoicePack, loadVoicePack, styleRow } from './kokoro-voices.js';
import { kokoroLanguage } from '../kokoro-languages.js';
import { findCatalogModel } from '../models/catalog.js';
import { isBlend, mixPacks, parseBlend } from './kokoro-blend.js';


/** Where an installed Kokoro model keeps misaki's English lexicons. */
export function lexiconDirOf(model: InstalledModel): string {
  return join(model.dir, 'lexicons');
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
  private readonly idsType: IntType;
  private readonly speedType: NumberType;

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
    this.idsType = expectType(loaded.session, idsInput, ['int64', 'int32'] as const, model.manifest.id);
    this.speedType = expectType(loaded.session, 'speed', ['float32', 'int32', 'int64', 'float64'] as const, model.manifest.id);
  }

  static async load(model: InstalledModel, modelFile: string, ctx: Partial<BackendContext> = {}): Promise<KokoroBackend> {
    const phonemizer = ctx.phonemizer ?? new Phonemizer();
    // Nothing is preloaded: the lexicons load on the first text that is not in the phoneme cache,
    // and espeak-ng only for a word they lack.
    const session = await createSession(join(model.dir, modelFile), ctx.session);
    return new KokoroBackend(model, session, phonemizer);
  }

  voices(): string[] {
    return installedVoices(this.model);
  }

  private pack(voice: string): Promise<Float32Array> {
    let p = this.packs.get(voice);
    if (!p) {
      p = isBlend(voice) ? this.blendPack(voice) : this.packOf(voice);
      p.catch(() => this.packs.delete(voice));
      this.packs.set(voice, p);
    }
    return p;
  }

  /** One voice's pack: its own file, or its member of a kokoro-onnx .npz archive. */
  private packOf(voice: string): Promise<Float32Array> {
    const file = join(voicesDirOf(this.model), `${voice}.bin`);
    const archive = voicesArchiveOf(this.model);
    return existsSync(file) || !archive ? loadVoicePack(file) : Promise.resolve().then(() => loadNpzVoicePack(openVoicesArchive(archive), voice));
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
    // misaki's phonemes (lexicons + espeak-ng), or espeak-ng's alone when the lexicons are missing.
    const lex = { dir: lexiconDirOf(this.model), own: true, expected: !!findCatalogModel(this.model.manifest.id)?.lexicons };
    const phonemize = async (t: string) => (await this.phonemizer.kokoro(t, language, lex)) ?? espeakToKokoro(await this.phonemizer.phonemize(t, language), language);
    const phonemes = await phonemizeSegments(text, phonemize);
    const { pieces, dropped } = tokenizeKokoro(phonemes);
    if (dropped.length > 0 && process.env.TTS_DEBUG) {
      process.stderr.write(`tts: debug: left out symbols not in Kokoro's vocab: ${[...new Set(dropped)].join(' ')}\n`);
    }
    return { phonemes, pieces, dropped };
  }

  /** One run of the model on ids without padding. */
  async infer(ids: number[], voice: string, speed: number): Promise<Float32Array> {
    const { ort } = this.loaded;
    const padded = padIds(ids);
    const feeds: InferenceSession.FeedsType = {
      [this.idsInput]: numberTensor(ort, this.idsType, padded, [1, padded.length]),
      style: new ort.Tensor('float32', styleRow(await this.pack(voice), ids.length), [1, 256]),
      speed: numberTensor(ort, this.speedType, [speed], [1]),
    };
    const out = await this.run(feeds);
    const audio = out[this.loaded.session.outputNames[0]!]!;
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
