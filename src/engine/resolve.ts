// Which model, variant and voice a request means, decided from the files on disk alone (no model
// is loaded here). Voice names: `af_heart` (a Kokoro voice), `kokoro:af_heart`,
// `piper:<voice>[:<speaker>]`, `espeak:<language>` (the built-in voice).
import { ESPEAK_MODEL } from './backends/espeak-model.js';
import { blendId, isBlend, parseBlend, type BlendPart } from './backends/kokoro-blend.js';
import { TtsError } from './errors.js';
import { kokoroLanguage } from './kokoro-languages.js';
import { findCatalogModel, loadCatalog } from './models/catalog.js';
import { isModelPath, userModel } from './models/user-model.js';
import { findInstalledModel, installedVoices, listInstalledModels, piperConfigHead, piperSpeakers, type InstalledModel } from './models/installed.js';
import { own } from './safe-path.js';

export interface VoiceRequest {
  model?: string;
  dtype?: string;
  voice?: string;
}

export interface ResolvedVoice {
  family: 'kokoro' | 'piper' | 'espeak';
  model: InstalledModel;
  dtype: string;
  /** Model file name inside the model folder. */
  modelFile: string;
  /** The voice inside the model (Kokoro pack name, or Piper speaker name; '' for a one-voice Piper model). */
  voice: string;
  /** The voice as a user writes it, e.g. af_heart or piper:en_US-amy-low. */
  voiceId: string;
  sampleRate: number;
  /** espeak-ng language of the voice (en-us, en-gb, de …), which picks the normalization rules. */
  language: string;
  /** Kokoro blend: the packs mixed into `voice` (its canonical spelling), weights summing to 1. */
  blend?: BlendPart[];
}

interface ParsedVoice {
  family?: 'kokoro' | 'piper';
  name: string;
  speaker: string;
}

function parseVoice(v: string): ParsedVoice {
  const [prefix, ...rest] = v.split(':');
  if (prefix === 'kokoro') return { family: 'kokoro', name: rest.join(':'), speaker: '' };
  if (prefix === 'piper') return { family: 'piper', name: rest[0] ?? '', speaker: rest.slice(1).join(':') };
  return { name: v, speaker: '' };
}

const missingModelHint = (id: string): string => `Run \`tts warm --model ${id}\` to download it.`;

function noModelInstalled(cacheDir: string): TtsError {
  const def = loadCatalog().default;
  return new TtsError(
    'MODEL_MISSING',
    `No voice model is installed in ${cacheDir}.`,
    `Run \`tts warm\` to download ${def}, or copy a model folder into ${cacheDir}/models (see models/README.md).`,
  );
}

/** The installed model to use when none is named: $TTS_MODEL, the catalog default, any Kokoro, any. */
export function defaultModel(cacheDir: string, family?: 'kokoro' | 'piper'): InstalledModel | undefined {
  const env = process.env.TTS_MODEL;
  if (env) return requireInstalled(cacheDir, env);
  const installed = listInstalledModels(cacheDir).filter((m) => !family || m.manifest.family === family);
  const preferred = installed.find((m) => m.manifest.id === loadCatalog().default);
  return preferred ?? installed.find((m) => m.manifest.family === 'kokoro') ?? installed[0];
}

function requireInstalled(cacheDir: string, id: string): InstalledModel {
  if (isModelPath(id)) return userModel(cacheDir, id);
  const m = findInstalledModel(cacheDir, id);
  if (m) return m;
  if (findCatalogModel(id)) throw new TtsError('MODEL_MISSING', `Model ${id} is not installed.`, missingModelHint(id));
  const installed = listInstalledModels(cacheDir).map((x) => x.manifest.id);
  const known = [...new Set([...installed, ...loadCatalog().models.map((x) => x.id)])];
  throw new TtsError('UNKNOWN_MODEL', `Unknown model "${id}".`, `Known models: ${known.join(', ')}.`);
}

function chooseDtype(model: InstalledModel, dtype?: string): { dtype: string; file: string } {
  const variants = model.manifest.variants;
  const want = dtype ?? (own(variants, model.manifest.defaultDtype) ? model.manifest.defaultDtype : Object.keys(variants)[0]);
  const file = want ? own(variants, want) : undefined;
  if (want && file) return { dtype: want, file };
  const id = model.manifest.id;
  const remote = findCatalogModel(id);
  if (dtype && own(remote?.variants, dtype)) {
    throw new TtsError('MODEL_MISSING', `The ${dtype} variant of ${id} is not installed.`, `Run \`tts warm --model ${id} --dtype ${dtype}\` to download it.`);
  }
  const all = [...new Set([...Object.keys(variants), ...Object.keys(remote?.variants ?? {})])];
  throw new TtsError('UNKNOWN_DTYPE', `Model ${id} has no "${dtype}" variant.`, `Choose one of: ${all.join(', ')}.`);
}

/** Every voice a user can name, installed ones first. */
export function knownVoices(cacheDir: string): string[] {
  const out = new Set<string>();
  for (const m of listInstalledModels(cacheDir)) {
    for (const v of installedVoices(m)) out.add(m.manifest.family === 'piper' ? `piper:${v}` : v);
  }
  return [...out];
}

function unknownVoice(cacheDir: string, voice: string, model?: InstalledModel): TtsError {
  const list = model ? installedVoices(model).map((v) => (model.manifest.family === 'piper' ? `piper:${v}` : v)) : knownVoices(cacheDir);
  const where = model ? ` in model ${model.manifest.id}` : '';
  return new TtsError('UNKNOWN_VOICE', `Unknown voice "${voice}"${where}.`, list.length ? `Valid voices: ${list.join(', ')}.` : 'No voices are installed; run `tts warm`.');
}

const ESPEAK_LANGUAGE = /^[a-z]{2,3}(?:-[a-z0-9]+)*$/i;

function resolveEspeak(voice: string): ResolvedVoice {
  const lang = voice.slice('espeak:'.length) || 'en-us';
  if (!ESPEAK_LANGUAGE.test(lang)) throw new TtsError('UNKNOWN_VOICE', `"${voice}" is not an espeak-ng language.`, 'Use espeak:<language>, e.g. espeak:en-us, espeak:en-gb, espeak:de.');
  return { family: 'espeak', model: ESPEAK_MODEL, dtype: 'wasm', modelFile: '', voice: lang, voiceId: `espeak:${lang}`, sampleRate: ESPEAK_MODEL.manifest.sampleRate, language: lang };
}

export function resolveVoice(cacheDir: string, req: VoiceRequest): ResolvedVoice {
  if (req.voice?.startsWith('espeak:') || req.model === 'espeak-ng') return resolveEspeak(req.voice?.startsWith('espeak:') ? req.voice : 'espeak:en-us');
  const parsed = req.voice ? parseVoice(req.voice) : undefined;
  let model: InstalledModel | undefined;
  if (req.model) model = requireInstalled(cacheDir, req.model);
  else if (parsed?.family === 'piper') model = requireInstalled(cacheDir, parsed.name);
  else model = defaultModel(cacheDir, parsed?.family);
  if (!model) throw noModelInstalled(cacheDir);

  let voice: string;
  let blend: BlendPart[] | undefined;
  let language: string | undefined;
  if (!parsed) {
    voice = model.manifest.family === 'kokoro' ? (model.manifest.defaultVoice ?? installedVoices(model)[0] ?? '') : '';
    if (model.manifest.family === 'kokoro' && !installedVoices(model).includes(voice)) {
      throw new TtsError('MODEL_MISSING', `Model ${model.manifest.id} has no voice installed.`, `Run \`tts warm --model ${model.manifest.id}\` to download its default voice.`);
    }
  } else if (model.manifest.family === 'piper') {
    if (parsed.family !== 'piper' || parsed.name !== model.manifest.id) throw unknownVoice(cacheDir, req.voice!, model);
    voice = parsed.speaker;
    const speakers = piperSpeakers(model);
    if (voice && !speakers.includes(voice) && !(/^\d+$/.test(voice) && Number(voice) < Math.max(speakers.length, 1))) throw unknownVoice(cacheDir, req.voice!, model);
  } else if (isBlend(parsed.name)) {
    // Every part from one model: the first part's, as for a single voice.
    const parts = parseBlend(parsed.name);
    model = kokoroVoiceModel(cacheDir, model, parts[0]!.name, req.model !== undefined, parts[0]!.name);
    for (const part of parts.slice(1)) kokoroVoiceModel(cacheDir, model, part.name, true, part.name);
    language = kokoroLanguage(parts[0]!.name);
    voice = parts.length === 1 ? parts[0]!.name : blendId(parts);
    if (parts.length > 1) blend = parseBlend(voice); // in canonical order: the same mix, the same key
  } else {
    voice = parsed.name;
    model = kokoroVoiceModel(cacheDir, model, voice, req.model !== undefined, req.voice!);
  }
  const { dtype, file } = chooseDtype(model, req.dtype);
  const family = model.manifest.family as 'kokoro' | 'piper';
  return {
    family,
    model,
    dtype,
    modelFile: file,
    voice,
    voiceId: family === 'piper' ? `piper:${model.manifest.id}${voice ? `:${voice}` : ''}` : voice,
    sampleRate: model.manifest.sampleRate,
    language: family === 'piper' ? piperLanguage(model) : (language ?? kokoroLanguage(voice)),
    ...(blend ? { blend } : {}),
  };
}

/** The model that has Kokoro voice `voice`: `model`, or (when no model was named) another installed Kokoro model. */
function kokoroVoiceModel(cacheDir: string, model: InstalledModel, voice: string, modelNamed: boolean, asWritten: string): InstalledModel {
  if (installedVoices(model).includes(voice)) return model;
  // A Kokoro voice of another installed model, when no model was named.
  const other = modelNamed ? undefined : listInstalledModels(cacheDir).find((m) => m.manifest.family === 'kokoro' && installedVoices(m).includes(voice));
  if (other) return other;
  if (own(findCatalogModel(model.manifest.id)?.voices?.sha256, voice)) {
    throw new TtsError('MODEL_MISSING', `Voice ${voice} is not installed.`, `Run \`tts warm --model ${model.manifest.id} --voice ${voice}\` to download it.`);
  }
  throw unknownVoice(cacheDir, asWritten, modelNamed ? model : undefined);
}

/** A Piper voice's espeak-ng language, from its config ('' when the config cannot be read: loading it reports why). */
function piperLanguage(model: InstalledModel): string {
  const voice = piperConfigHead(model)?.espeak?.voice;
  return typeof voice === 'string' ? voice : '';
}
