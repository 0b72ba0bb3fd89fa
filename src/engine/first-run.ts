// Getting the voice a request needs onto the disk. A voice or model the user named (flag, $TTS_VOICE,
// $TTS_MODEL, config file) is downloaded when the catalog knows it; when that fails the command
// fails with the fix — it never speaks with another voice. Only when no voice was asked for and
// nothing is installed does a failed download of the default model fall back to the built-in
// espeak-ng voice, and then it says so in one line. Used by `tts say` and `tts serve-stdin`.
import type { Engine } from './engine.js';
import { isTtsError, TtsError } from './errors.js';
import { findCatalogModel, loadCatalog } from './models/catalog.js';
import type { DownloadOptions } from './models/download.js';
import { listInstalledModels } from './models/installed.js';
import { installModel, type InstallRequest } from './models/install.js';
import { loadPiperList } from './models/piper-list.js';
import type { VoiceRequest } from './resolve.js';

export interface FirstRunOptions {
  download?: DownloadOptions;
  notice: (line: string) => void;
}

/** The request to use: unchanged when it resolves or after a download; moved to espeak-ng only when nothing was asked for. */
export async function prepareVoice<R extends VoiceRequest>(engine: Engine, req: R, opts: FirstRunOptions): Promise<R> {
  let missing: unknown;
  try {
    engine.resolve(req);
    return req;
  } catch (err) {
    // Not installed — or not among the installed models' voices, though the catalog has it.
    if (!isTtsError(err) || (err.code !== 'MODEL_MISSING' && !(err.code === 'UNKNOWN_VOICE' && !req.model && inCatalog(req.voice)))) throw err;
    missing = err;
  }
  const explicit = Boolean(req.voice || req.model || process.env.TTS_MODEL);
  if (explicit) {
    const install = await whatToInstall(engine, req);
    if (!install) throw missing;
    try {
      await installModel(engine.cacheDir, install, opts.download);
    } catch (err) {
      if (!isTtsError(err) || (err.code !== 'DOWNLOAD_FAILED' && err.code !== 'CHECKSUM_MISMATCH')) throw err;
      const named = req.voice ?? req.model ?? process.env.TTS_MODEL;
      const warm = `tts warm --model ${install.model}${install.voices ? ` --voice ${install.voices.join(' --voice ')}` : ''}`;
      throw new TtsError(
        'MODEL_MISSING',
        `${named} is not installed and could not be downloaded (${reasonOf(err)}).`,
        `Run \`${warm}\` when online (or put the files in place: models/README.md), or choose an installed voice (\`tts voices --installed\`) or the built-in one (--voice espeak:en-us).`,
      );
    }
    return req;
  }
  if (listInstalledModels(engine.cacheDir).length > 0) throw missing;
  const model = loadCatalog().default;
  try {
    await installModel(engine.cacheDir, { model }, opts.download);
    return req;
  } catch (err) {
    if (!isTtsError(err) || (err.code !== 'DOWNLOAD_FAILED' && err.code !== 'CHECKSUM_MISMATCH')) throw err;
    opts.notice(
      `tts: no voice was asked for, no voice model is installed and ${model} could not be downloaded (${reasonOf(err)}); speaking with the built-in espeak-ng voice (espeak:en-us). Run \`tts warm\` when online for the neural voice.`,
    );
    const { model: _m, dtype: _d, ...rest } = req;
    return { ...rest, voice: 'espeak:en-us' } as R;
  }
}

function reasonOf(err: TtsError): string {
  return /: ([^:]+)\.$/.exec(err.message)?.[1] ?? err.code;
}

/** What to download for a request naming a voice or model; undefined when the catalog does not know it. */
async function whatToInstall(engine: Engine, req: VoiceRequest): Promise<InstallRequest | undefined> {
  const modelId = req.model ?? process.env.TTS_MODEL;
  const voice = req.voice;
  const dtype = req.dtype ? { dtype: req.dtype } : {};
  if (voice?.startsWith('piper:')) {
    const id = voice.slice('piper:'.length).split(':')[0]!;
    if (!findCatalogModel(id)) await loadPiperList(engine.cacheDir, { download: {} }).catch(() => undefined);
    if (!findCatalogModel(id)) throw unknown(`piper:${id}`);
    return { model: id, ...dtype };
  }
  const kokoroVoice = voice?.replace(/^kokoro:/, '');
  const id = modelId ?? (kokoroVoice ? kokoroModelWith(kokoroVoice) : loadCatalog().default);
  const entry = findCatalogModel(id);
  if (!entry) return undefined;
  if (kokoroVoice && entry.family === 'kokoro') {
    if (!entry.voices?.sha256[kokoroVoice]) throw unknown(kokoroVoice, Object.keys(entry.voices?.sha256 ?? {}));
    return { model: id, voices: [kokoroVoice], ...dtype };
  }
  return { model: id, ...dtype };
}

/** A Kokoro voice of a catalog model, or a Piper voice of the catalog (piper:<id>). */
function inCatalog(voice: string | undefined): boolean {
  if (!voice) return false;
  if (voice.startsWith('piper:')) return Boolean(findCatalogModel(voice.slice('piper:'.length).split(':')[0]!));
  const name = voice.replace(/^kokoro:/, '');
  return loadCatalog().models.some((m) => m.family === 'kokoro' && m.voices?.sha256[name]);
}

function kokoroModelWith(voice: string): string {
  const def = loadCatalog().default;
  const withVoice = loadCatalog().models.find((m) => m.family === 'kokoro' && m.voices?.sha256[voice]);
  return withVoice?.id ?? def;
}

function unknown(voice: string, known?: string[]): TtsError {
  return new TtsError(
    'UNKNOWN_VOICE',
    `Unknown voice "${voice}".`,
    known?.length ? `Kokoro voices: ${known.join(', ')}. \`tts voices\` lists every voice.` : '`tts voices` lists every voice (Piper voices as piper:<name>).',
  );
}
