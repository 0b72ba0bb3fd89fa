// What is wrong with a Piper voice config (`<voice>.onnx.json`), checked field by field before the
// voice is used, so a damaged or hand-edited file is one clear MODEL_CORRUPT error, not a BigInt
// conversion failure, a WAV header with a negative rate, or silent audio at a nonsense rate.

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown, limit: number): boolean => Number.isInteger(v) && (v as number) >= 0 && (v as number) < limit;

/** The first problem found in a parsed Piper config, in words; undefined when it is usable. */
export function piperConfigProblem(c: unknown): string | undefined {
  if (!isObject(c)) return 'it is not a JSON object';
  const audio = c.audio;
  const rate = isObject(audio) ? audio.sample_rate : undefined;
  if (!Number.isInteger(rate) || (rate as number) < 1000 || (rate as number) > 192000) return `audio.sample_rate is ${JSON.stringify(rate)}, not a sample rate in Hz`;
  const espeak = c.espeak;
  const voice = isObject(espeak) ? espeak.voice : undefined;
  if (typeof voice !== 'string' || !/^[A-Za-z0-9_+-]{1,40}$/.test(voice)) return `espeak.voice is ${JSON.stringify(voice)}, not an espeak-ng voice name`;
  const symbols = c.num_symbols === undefined ? Number.MAX_SAFE_INTEGER : c.num_symbols;
  if (!Number.isInteger(symbols) || (symbols as number) < 1) return `num_symbols is ${JSON.stringify(c.num_symbols)}, not a count`;
  const map = c.phoneme_id_map;
  if (!isObject(map)) return 'phoneme_id_map is missing';
  for (const required of ['^', '$', '_']) if (!(required in map)) return `phoneme_id_map has no "${required}"`;
  for (const [phoneme, ids] of Object.entries(map)) {
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => isId(id, symbols as number))) {
      return `phoneme_id_map["${phoneme}"] is ${JSON.stringify(ids)}, not a list of ids below num_symbols (${symbols})`;
    }
  }
  if (c.phoneme_map !== undefined) {
    if (!isObject(c.phoneme_map)) return 'phoneme_map is not an object';
    for (const [k, v] of Object.entries(c.phoneme_map)) if (!Array.isArray(v) || !v.every((p) => typeof p === 'string')) return `phoneme_map["${k}"] is not a list of phonemes`;
  }
  if (c.inference !== undefined) {
    if (!isObject(c.inference)) return 'inference is not an object';
    for (const k of ['noise_scale', 'length_scale', 'noise_w']) {
      const v = c.inference[k];
      if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) return `inference.${k} is ${JSON.stringify(v)}, not a number ≥ 0`;
    }
  }
  const speakers = c.num_speakers ?? 1;
  if (!Number.isInteger(speakers) || (speakers as number) < 1) return `num_speakers is ${JSON.stringify(c.num_speakers)}, not a count`;
  if (c.speaker_id_map !== undefined) {
    if (!isObject(c.speaker_id_map)) return 'speaker_id_map is not an object';
    for (const [name, id] of Object.entries(c.speaker_id_map)) if (!isId(id, speakers as number)) return `speaker_id_map["${name}"] is ${JSON.stringify(id)}, not a speaker id below num_speakers (${speakers})`;
  }
  return undefined;
}
