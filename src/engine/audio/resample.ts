// Sample-rate conversion with libsamplerate (Erik de Castro Lopo's band-limited sinc converter),
// through @alexanderolsen/libsamplerate-js, its WebAssembly build. Each chunk is converted on its
// own: chunks start and end in faded silence, so no filter state needs to cross a join.
import { createRequire } from 'node:module';
import { TtsError } from '../errors.js';

export const MIN_SAMPLE_RATE = 8000;
export const MAX_SAMPLE_RATE = 192000;

interface Src {
  simple(x: Float32Array): Float32Array;
  destroy(): void;
}
interface LibSampleRate {
  create(channels: number, from: number, to: number, opts: { converterType: number }): Promise<Src>;
  ConverterType: { SRC_SINC_MEDIUM_QUALITY: number };
}

export type Resampler = (x: Float32Array) => Float32Array;

/** Checks a requested output rate (from a flag or a request). */
export function validateSampleRate(input: number | string): number {
  const rate = typeof input === 'number' ? input : Number(input);
  if (!Number.isInteger(rate) || rate < MIN_SAMPLE_RATE || rate > MAX_SAMPLE_RATE) {
    throw new TtsError('BAD_INPUT', `Sample rate "${input}" is not supported.`, `Use a whole number of Hz from ${MIN_SAMPLE_RATE} to ${MAX_SAMPLE_RATE}, e.g. --sample-rate 48000.`);
  }
  return rate;
}

/** A converter from `from` Hz to `to` Hz (the identity when they are equal). */
export async function createResampler(from: number, to: number): Promise<Resampler> {
  if (from === to) return (x) => x;
  const lib = createRequire(import.meta.url)('@alexanderolsen/libsamplerate-js') as LibSampleRate;
  const src = await lib.create(1, from, to, { converterType: lib.ConverterType.SRC_SINC_MEDIUM_QUALITY });
  return (x) => (x.length === 0 ? x : Float32Array.from(src.simple(x)));
}
