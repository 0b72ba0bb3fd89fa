// User settings: defaults for voice, speed, model, variant, cache folder, lexicon and the
// onnxruntime session (threads, spinning, execution mode, memory arena), from
// environment variables or the config file ($XDG_CONFIG_HOME/tts/config.json, ~/.config/tts/…;
// $TTS_CONFIG names another file). A flag beats a variable, which beats the file.
// The file only fills in variables that are not set, so everything downstream reads one place.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TtsError } from './errors.js';
import { configDir } from './models/paths.js';

export const SETTINGS = {
  voice: { env: 'TTS_VOICE', flag: '--voice', what: 'voice' },
  speed: { env: 'TTS_SPEED', flag: '--speed', what: 'speaking rate, 0.5 to 2.0' },
  model: { env: 'TTS_MODEL', flag: '--model', what: 'model id, or a path to your own .onnx' },
  dtype: { env: 'TTS_DTYPE', flag: '--dtype', what: 'model variant: fp32, fp16, q8, q4' },
  cacheDir: { env: 'TTS_CACHE_DIR', flag: '--cache-dir', what: 'folder for models and the audio cache' },
  lexicon: { env: 'TTS_LEXICON', flag: '--lexicon', what: 'pronunciation lexicon file' },
  threads: { env: 'TTS_THREADS', flag: '--threads', what: 'onnxruntime intra-op threads' },
  spinning: { env: 'TTS_SPINNING', flag: '--spinning', what: 'idle onnxruntime threads spin-wait: 1 or 0' },
  executionMode: { env: 'TTS_EXECUTION_MODE', flag: '--execution-mode', what: 'onnxruntime execution mode: sequential or parallel' },
  memArena: { env: 'TTS_MEM_ARENA', flag: '--mem-arena', what: "onnxruntime's CPU memory arena: 1 or 0" },
} as const;

export type SettingName = keyof typeof SETTINGS;

export interface Setting {
  name: SettingName;
  value: string | undefined;
  /** Where the value comes from: `env TTS_VOICE`, the config file's path, or `default`. */
  source: string;
}

export function configFile(): string {
  return process.env.TTS_CONFIG || join(configDir(), 'config.json');
}

/** The config file's settings ({} when there is none); an invalid file is an error that names it. */
export function readConfigFile(path = configFile()): Partial<Record<SettingName, string>> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new TtsError('BAD_INPUT', `Cannot read the config file ${path}: ${(err as Error).message}.`, 'Fix its permissions or remove it.');
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new TtsError('BAD_INPUT', `The config file ${path} is not valid JSON: ${(err as Error).message}.`, `Write it as e.g. {"voice": "af_heart", "speed": 1.1}, or remove it.`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new TtsError('BAD_INPUT', `The config file ${path} must hold a JSON object.`, `Write it as e.g. {"voice": "af_heart", "speed": 1.1}.`);
  const out: Partial<Record<SettingName, string>> = {};
  for (const [k, v] of Object.entries(data)) {
    if (!(k in SETTINGS)) throw new TtsError('BAD_INPUT', `The config file ${path} has an unknown key "${k}".`, `Known keys: ${Object.keys(SETTINGS).join(', ')}.`);
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw new TtsError('BAD_INPUT', `In ${path}, "${k}" must be a string, a number or true/false.`, `E.g. {"${k}": "…"}.`);
    out[k as SettingName] = String(v);
  }
  return out;
}

// Which variables the file set, kept on globalThis: the cached `say` fast path applies the file in
// its own bundle, then may hand over to the full CLI, whose copy of this module must know too.
const APPLIED = Symbol.for('tts.config.applied');
const state = globalThis as { [APPLIED]?: Set<string> };

/** Sets each TTS_* variable the config file names and the environment does not (once per process). */
export function applyConfigToEnv(): void {
  if (state[APPLIED]) return;
  const applied = (state[APPLIED] = new Set());
  const file = readConfigFile();
  for (const [name, value] of Object.entries(file) as [SettingName, string][]) {
    const env = SETTINGS[name].env;
    if (process.env[env] === undefined || process.env[env] === '') {
      process.env[env] = value;
      applied.add(env);
    }
  }
}

/** Where a variable's value came from, for an error about it: the config file's key, or the variable. */
export function describeSource(name: SettingName): string {
  const env = SETTINGS[name].env;
  return state[APPLIED]?.has(env) ? `"${name}" in ${configFile()}` : `$${env}`;
}

/** Every setting's effective value (before flags) and where it comes from. */
export function effectiveSettings(defaults: Partial<Record<SettingName, string>> = {}): Setting[] {
  const path = configFile();
  const file = readConfigFile(path);
  return (Object.keys(SETTINGS) as SettingName[]).map((name) => {
    const env = SETTINGS[name].env;
    const fromEnv = process.env[env];
    if (fromEnv && !state[APPLIED]?.has(env)) return { name, value: fromEnv, source: `env ${env}` };
    if (file[name] !== undefined) return { name, value: file[name], source: path };
    return { name, value: defaults[name], source: 'default' };
  });
}
