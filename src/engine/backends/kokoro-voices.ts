// Kokoro voice packs: float32 [510, 1, 256] files, one style vector per input length. The style
// used for a sequence of n ids (without padding) is row n of the pack.
import { readFile } from 'node:fs/promises';
import { firstNonFinite } from '../audio/finite.js';
import { TtsError } from '../errors.js';
import type { NpzFile } from '../models/npz.js';

export const STYLE_DIM = 256;
export const PACK_ROWS = 510;
export const PACK_BYTES = PACK_ROWS * STYLE_DIM * 4;

export async function loadVoicePack(path: string): Promise<Float32Array> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new TtsError('MODEL_MISSING', `Voice file ${path} cannot be read: ${(err as Error).message}.`, 'Run `tts warm --voice <name>` to download it.');
  }
  if (bytes.byteLength !== PACK_BYTES) {
    throw new TtsError('VOICE_CORRUPT', `Voice file ${path} has ${bytes.byteLength} bytes; a Kokoro voice pack has ${PACK_BYTES} (float32 [510, 1, 256]).`, 'Delete it and run `tts warm --voice <name>` to download it again.');
  }
  const pack = new Float32Array(PACK_ROWS * STYLE_DIM);
  Buffer.from(pack.buffer).set(bytes);
  const bad = firstNonFinite(pack);
  if (bad >= 0) {
    throw new TtsError('VOICE_CORRUPT', `Voice file ${path} is damaged: row ${Math.floor(bad / STYLE_DIM)} of its style vectors holds ${pack[bad]}.`, 'Delete it and run `tts warm --voice <name>` to download it again.');
  }
  return pack;
}

/** A voice pack from a kokoro-onnx .npz (one float32 [510, 1, 256] array per voice). */
export function loadNpzVoicePack(npz: NpzFile, voice: string): Float32Array {
  const { shape, data } = npz.read(voice);
  if (data.length !== PACK_ROWS * STYLE_DIM) {
    throw new TtsError('VOICE_CORRUPT', `Voice "${voice}" in ${npz.path} has shape [${shape.join(', ')}]; a Kokoro voice pack is [510, 1, 256].`, 'Use the voices file that belongs to this Kokoro model.');
  }
  return data;
}

/** The style vector for a sequence of `numIds` ids (pads not counted); the last row serves longer ones. */
export function styleRow(pack: Float32Array, numIds: number): Float32Array {
  const row = Math.min(Math.max(numIds, 0), PACK_ROWS - 1);
  return pack.slice(row * STYLE_DIM, (row + 1) * STYLE_DIM);
}
