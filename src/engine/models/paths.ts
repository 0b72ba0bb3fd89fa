// Where tts keeps its files: one per-user cache directory holding downloaded models, the audio
// cache and optimized models. Chosen by the --cache-dir flag, else $TTS_CACHE_DIR, else the
// platform's cache directory ($XDG_CACHE_HOME/tts or ~/.cache/tts on Linux).
import { statSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { join, resolve } from 'node:path';
import { TtsError } from '../errors.js';
import { joinInside } from '../safe-path.js';

export function resolveCacheDir(flag?: string): string {
  if (flag) return checkedCacheDir(resolve(flag));
  const env = process.env.TTS_CACHE_DIR;
  if (env) return checkedCacheDir(resolve(env));
  switch (platform()) {
    case 'darwin':
      return join(homedir(), 'Library', 'Caches', 'tts');
    case 'win32':
      return join(process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'tts', 'Cache');
    default:
      return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tts');
  }
}

/** A cache folder named by the user must be a folder (or not exist yet: it is created on first use). */
function checkedCacheDir(dir: string): string {
  const st = statSync(dir, { throwIfNoEntry: false });
  if (st && !st.isDirectory()) throw new TtsError('BAD_INPUT', `The cache folder ${dir} is a file, not a folder.`, 'Point --cache-dir (or $TTS_CACHE_DIR) at a folder, e.g. ~/.cache/tts.');
  return dir;
}

export const modelsDir = (cacheDir: string): string => join(cacheDir, 'models');
/** A model's folder; an id that is not a plain name (`../x`, `a/b`) is refused, never joined. */
export const modelDir = (cacheDir: string, id: string): string => joinInside(modelsDir(cacheDir), [id], 'Model id', 'UNKNOWN_MODEL');
export const audioCacheDir = (cacheDir: string): string => join(cacheDir, 'audio');
export const optimizedDir = (cacheDir: string): string => join(cacheDir, 'optimized');

/** The per-user config folder ($XDG_CONFIG_HOME/tts, ~/.config/tts), home of the default lexicon. */
export function configDir(): string {
  switch (platform()) {
    case 'darwin':
      return join(homedir(), 'Library', 'Preferences', 'tts');
    case 'win32':
      return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'tts');
    default:
      return join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'tts');
  }
}
