// Sample format conversions. PCM16 is what is cached, played and written; the conversion is
// symmetric (x · 32768, rounded, clamped), so float → PCM16 → float → PCM16 is lossless.
import { floatToPcm16Body } from './pcm-kernels.js';

/** Samples: floats at full scale ±1, or PCM16 (read as sample / 32768, which is exact). */
export type Samples = Float32Array | Int16Array;

/** The full-scale value of one unit of `x`'s samples: 1 for floats, 1 / 32768 for PCM16. */
export function unitOf(x: Samples): number {
  return x instanceof Int16Array ? 1 / 32768 : 1;
}

/**
 * Math.round(x · 32768), clamped; NaN → 0. Rounding is done as a truncation of a value shifted to be
 * positive (Math.round is floor(v + 0.5), and `| 0` floors a positive number), which is 3–4× faster
 * than calling Math.round per sample and gives the same result for every input.
 */
export function floatToPcm16(samples: Float32Array): Int16Array {
  const n = samples.length;
  const out = new Int16Array(n);
  // Groups of 8 by the SIMD kernel when it is there (same results), the rest here.
  const from = floatToPcm16Body(samples, out) === undefined ? 0 : n & ~7;
  for (let i = from; i < n; i++) out[i] = pcm16Of(samples[i]!);
  return out;
}

/** One sample of floatToPcm16. */
function pcm16Of(v: number): number {
  const t = v * 32768 + 32768.5;
  return t >= 65535.5 ? 32767 : t >= 0.5 ? (t | 0) - 32768 : t === t ? -32768 : 0;
}

/**
 * floatToPcm16, or undefined when a sample is NaN or infinite (a damaged model or voice: silence
 * or full scale would hide it). One pass, where a separate check would read the audio twice.
 */
export function floatToPcm16Finite(samples: Float32Array): Int16Array | undefined {
  const n = samples.length;
  const out = new Int16Array(n);
  const body = floatToPcm16Body(samples, out);
  if (body === false) return undefined;
  for (let i = body === undefined ? 0 : n & ~7; i < n; i++) {
    const v = samples[i]!;
    if (v - v !== 0) return undefined; // NaN or ±Infinity
    const t = v * 32768 + 32768.5;
    out[i] = t >= 65535.5 ? 32767 : t >= 0.5 ? (t | 0) - 32768 : -32768;
  }
  return out;
}

/** PCM16 as floats (exact: 1/32768 is a power of two), followed by `silence` zero samples. */
export function pcm16ToFloat(pcm: Int16Array, silence = 0): Float32Array {
  const n = pcm.length;
  const out = new Float32Array(n + silence);
  for (let i = 0; i < n; i++) out[i] = pcm[i]! * (1 / 32768);
  return out;
}

/** Little-endian bytes of PCM16 samples (a view when the platform is little-endian, as all supported ones are). */
export function pcm16Bytes(pcm: Int16Array): Buffer {
  return Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
}

/** PCM16 samples from little-endian bytes (copied, so the result is aligned). */
export function bytesToPcm16(bytes: Uint8Array): Int16Array {
  const copy = new Uint8Array(bytes.byteLength - (bytes.byteLength % 2));
  copy.set(bytes.subarray(0, copy.byteLength));
  return new Int16Array(copy.buffer);
}

/** The parts one after the other, in a new array made by `make` (a lone part is returned as is). */
function concatSamples<T extends Int16Array | Float32Array>(parts: T[], make: (n: number) => T): T {
  if (parts.length === 1) return parts[0]!;
  const out = make(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const concatPcm16 = (parts: Int16Array[]): Int16Array => concatSamples(parts, (n) => new Int16Array(n));
export const concatFloat = (parts: Float32Array[]): Float32Array => concatSamples(parts, (n) => new Float32Array(n));
