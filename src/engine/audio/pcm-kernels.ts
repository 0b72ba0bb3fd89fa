// The output path's two heaviest per-sample loops, run eight samples at a time by WebAssembly SIMD
// (pcm-kernels.wat, assembled into dist/pcm-kernels.wasm): float → PCM16 of the model's output,
// and PCM16 times a gain → PCM16 with its energy, of every chunk that leaves. Their results are
// the TypeScript loops' bit for bit (pcm.ts, loudness-normalizer.ts; test/pcm-kernels.test.ts
// compares them), and those loops take over where WebAssembly cannot load.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';

// The few WebAssembly calls used here (the lib settings of this project do not declare them).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface Exports {
  memory: WasmMemory;
  floatToPcm16(src: number, dst: number, n8: number): number;
  gainPcm16(src: number, dst: number, n8: number, gain: number, energy: number): number;
}

let kernels: Exports | null | undefined;

function load(): Exports | null {
  if (kernels !== undefined) return kernels;
  try {
    const bytes = readFileSync(join(packageRoot(), 'dist', 'pcm-kernels.wasm'));
    kernels = new WA.Instance(new WA.Module(bytes)).exports as Exports;
  } catch {
    kernels = null; // not built, or no WebAssembly SIMD here: the TypeScript loops do the work
  }
  return kernels;
}

/**
 * Samples per kernel call: arrays are copied through the kernels' memory this many at a time, so
 * that memory stays under a megabyte whatever the chunk (WebAssembly memory never shrinks).
 */
const SLICE = 1 << 17;
/** Where a slice's output goes in the kernels' memory, after the largest input (4 bytes a sample). */
const OUT_AT = SLICE * 4;

/** The kernels' memory, grown to hold one slice in and out (its buffer changes when it grows). */
function memoryOf(k: Exports): ArrayBuffer {
  const short = OUT_AT + SLICE * 2 - k.memory.buffer.byteLength;
  if (short > 0) k.memory.grow(Math.ceil(short / 65536));
  return k.memory.buffer;
}

/**
 * floatToPcm16 of samples[0 … n) where n is the largest multiple of 8 in the array, into out; the
 * last (length mod 8) samples are left to the caller. Returns whether every sample converted was
 * finite, or undefined when the kernels are not available (nothing was written).
 */
export function floatToPcm16Body(samples: Float32Array, out: Int16Array): boolean | undefined {
  const k = load();
  if (!k) return undefined;
  const mem = memoryOf(k);
  const n = samples.length & ~7;
  let finite = true;
  for (let at = 0; at < n; at += SLICE) {
    const m = Math.min(SLICE, n - at);
    new Float32Array(mem, 0, m).set(samples.subarray(at, at + m));
    if (k.floatToPcm16(0, OUT_AT, m >> 3) !== 0) finite = false;
    out.set(new Int16Array(mem, OUT_AT, m), at);
  }
  return finite;
}

/**
 * For i in [start … end): v = Math.fround(pcm[i] / 32768 · gain), out[i] = PCM16 of v; returns
 * `energy` plus the sum of v² in order. Whole groups of 8 only: returns the index where it stopped
 * (the caller does the rest) with the energy so far, or undefined when the kernels are not available.
 */
export function gainPcm16Body(pcm: Int16Array, start: number, end: number, gain: number, out: Int16Array, energy: number): { at: number; energy: number } | undefined {
  const k = load();
  if (!k) return undefined;
  const mem = memoryOf(k);
  const stop = start + ((end - start) & ~7);
  for (let at = start; at < stop; at += SLICE) {
    const m = Math.min(SLICE, stop - at);
    new Int16Array(mem, 0, m).set(pcm.subarray(at, at + m));
    energy = k.gainPcm16(0, OUT_AT, m >> 3, gain, energy);
    out.set(new Int16Array(mem, OUT_AT, m), at);
  }
  return { at: stop, energy };
}
