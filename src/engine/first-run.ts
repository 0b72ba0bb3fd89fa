// First run: when no voice model is installed and none was asked for by name, fetch the default
// model; when that is impossible (offline), speak with the built-in espeak-ng voice and say so in
// one line on stderr. Used by `tts say` and `tts serve-stdin`.
import type { Engine } from './engine.js';
import { isTtsError } from './errors.js';
import { loadCatalog } from './models/catalog.js';
import type { DownloadOptions } from './models/download.js';
import { listInstalledModels } from './models/installed.js';
import { installModel } from './models/install.js';
import type { VoiceRequest } from './resolve.js';

export interface FirstRunOptions {
  download?: DownloadOptions;
  notice: (line: string) => void;
}

/** The request to use: unchanged when it resolves, after a download, or moved to espeak-ng. */
export async function prepareVoice<R extends VoiceRequest>(engine: Engine, req: R, opts: FirstRunOptions): Promise<R> {
  try {
    engine.resolve(req);
    return req;
  } catch (err) {
    const nothingInstalled = listInstalledModels(engine.cacheDir).length === 0;
    if (!isTtsError(err) || err.code !== 'MODEL_MISSING' || req.model || process.env.TTS_MODEL || !nothingInstalled) throw err;
  }
  const model = loadCatalog().default;
  // A Kokoro voice asked for by name comes along with the model.
  const voices = req.voice && !req.voice.includes(':') ? [req.voice] : undefined;
  try {
    await installModel(engine.cacheDir, { model, ...(voices ? { voices } : {}) }, opts.download);
    return req;
  } catch (err) {
    if (!isTtsError(err) || (err.code !== 'DOWNLOAD_FAILED' && err.code !== 'CHECKSUM_MISMATCH')) throw err;
    const language = req.voice?.startsWith('b') ? 'en-gb' : 'en-us';
    const reason = /: ([^:]+)\.$/.exec(err.message)?.[1] ?? err.code;
    opts.notice(`tts: no voice model is installed and ${model} could not be downloaded (${reason}); speaking with the built-in espeak-ng voice. Run \`tts warm\` when online for the neural voice.`);
    const { model: _m, dtype: _d, ...rest } = req;
    return { ...rest, voice: `espeak:${language}` } as R;
  }
}
