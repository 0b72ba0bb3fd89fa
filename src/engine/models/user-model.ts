// A model file of the user's own, named by path (`--model ~/voices/x.onnx`): a Piper voice when its
// config (`x.onnx.json`) is beside it, else a Kokoro model, whose voice packs are taken from a
// `voices/` folder beside it or, failing that, from the installed Kokoro model of the catalog.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { TtsError } from '../errors.js';
import { loadCatalog } from './catalog.js';
import { findInstalledModel, voicesDirOf, type InstalledModel } from './installed.js';

export const isModelPath = (model: string): boolean => /\.onnx$/i.test(model);

export function userModel(cacheDir: string, path: string): InstalledModel {
  const file = resolve(path);
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new TtsError('UNKNOWN_MODEL', `There is no model file ${file}.`, 'Give the path of a Kokoro or Piper .onnx file (a Piper voice needs its .onnx.json beside it).');
  }
  const dir = dirname(file);
  const name = basename(file);
  const id = name.replace(/\.onnx$/i, '');
  if (existsSync(`${file}.json`)) {
    let rate: number | undefined;
    try {
      rate = (JSON.parse(readFileSync(`${file}.json`, 'utf8')) as { audio?: { sample_rate?: number } }).audio?.sample_rate;
    } catch (err) {
      throw new TtsError('MODEL_CORRUPT', `Cannot read the Piper config ${file}.json: ${(err as Error).message}.`, 'Use the .onnx.json that came with the voice.');
    }
    if (!rate) throw new TtsError('MODEL_CORRUPT', `${file}.json has no audio.sample_rate, so it is not a Piper voice config.`, 'Use the .onnx.json that came with the voice.');
    return { dir, manifest: { id, family: 'piper', sampleRate: rate, defaultDtype: 'fp32', variants: { fp32: name }, config: `${name}.json`, source: 'manual' } };
  }
  const catalogKokoro = findInstalledModel(cacheDir, loadCatalog().default);
  const voicesDir = existsSync(`${dir}/voices`) ? 'voices' : catalogKokoro ? relative(dir, voicesDirOf(catalogKokoro)) : 'voices';
  return {
    dir,
    manifest: { id, family: 'kokoro', sampleRate: 24000, defaultVoice: catalogKokoro?.manifest.defaultVoice ?? 'af_heart', defaultDtype: 'fp32', variants: { fp32: name }, voicesDir, source: 'manual' },
  };
}
