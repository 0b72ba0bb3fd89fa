// The WebAssembly SIMD kernels of the output path give the plain definitions' results bit for bit:
// PCM16 = Math.round(v · 32768) clamped (NaN → 0), the gain as Math.fround(x / 32768 · g), the
// energy summed sample after sample; on edge values (ties, infinities, NaN, extremes) and noise.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { floatToPcm16Body, gainPcm16Body } from '../src/engine/audio/pcm-kernels.js';
import { floatToPcm16, floatToPcm16Finite } from '../src/engine/audio/pcm.js';

const pcm16 = (v: number): number => (Number.isNaN(v) ? 0 : Math.max(-32768, Math.min(32767, Math.round(v * 32768))));

function random(seed: number): () => number {
  let r = seed;
  return () => (r = (r * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** Floats where rounding is easy to get wrong, then noise at several scales. */
function edgeFloats(): Float32Array {
  const v: number[] = [0, -0, 1, -1, 1.5, -1.5, 2, -2, 1e-45, -1e-45, 1e-30, 3.4e38, -3.4e38, Infinity, -Infinity];
  for (let k = -40; k <= 40; k++) {
    const tie = (k + 0.5) / 32768; // exactly between two PCM16 values
    v.push(tie, Math.fround(tie * (1 - 2 ** -23)), Math.fround(tie * (1 + 2 ** -23)), -tie);
  }
  for (const k of [32766, 32767, 32768, 32769]) v.push((k - 0.5) / 32768, (k + 0.5) / 32768, -(k - 0.5) / 32768, -(k + 0.5) / 32768);
  const rand = random(7);
  for (let i = 0; i < 4000; i++) v.push((rand() - 0.5) * [2e-4, 0.02, 2, 3][i % 4]!);
  return Float32Array.from(v);
}

test('the kernels load (dist/pcm-kernels.wasm), so the tests below compare them and not the fallback', () => {
  assert.is.not(floatToPcm16Body(new Float32Array(8), new Int16Array(8)), undefined);
});

test('float → PCM16: Math.round(v · 32768), clamped, NaN to 0, at every length (groups of 8 and the rest)', () => {
  const x = edgeFloats();
  for (const n of [0, 1, 7, 8, 9, 15, 16, 17, 100, x.length]) {
    const part = x.subarray(x.length - n);
    const out = floatToPcm16(part);
    for (let i = 0; i < n; i++) assert.is(out[i], pcm16(part[i]!), `n ${n}, sample ${i}: ${part[i]}`);
  }
  assert.is(floatToPcm16(Float32Array.of(NaN, 0.5, NaN, 0, 0, 0, 0, 0, NaN))[0], 0);
});

test('float → PCM16, finite: the same samples, or undefined when any sample (in a group of 8 or in the rest) is NaN or infinite', () => {
  const x = edgeFloats().filter((v) => Number.isFinite(v));
  const out = floatToPcm16Finite(x)!;
  assert.ok(out);
  for (let i = 0; i < x.length; i++) assert.is(out[i], pcm16(x[i]!), `sample ${i}: ${x[i]}`);
  for (const bad of [NaN, Infinity, -Infinity]) {
    for (const at of [0, 5, 8, 16, x.length - 1, x.length - 3]) {
      const y = Float32Array.from(x);
      y[at] = bad;
      assert.is(floatToPcm16Finite(y), undefined, `${bad} at ${at} of ${y.length}`);
    }
  }
});

test('PCM16 times a gain: Math.fround(x / 32768 · g) written as PCM16, the energy summed in order, from any start', () => {
  const rand = random(11);
  const x = Int16Array.from({ length: 4099 }, (_, i) => (i < 8 ? [-32768, 32767, 0, 1, -1, 16384, -16385, 2][i]! : Math.round((rand() - 0.5) * 65535)));
  for (const g of [1, 0.0316, 1.7782794100389228, Math.PI, 31.6, 1 / 3]) {
    for (const start of [0, 3, 240]) {
      const out = new Int16Array(x.length);
      let want = 0;
      const r = gainPcm16Body(x, start, x.length, g, out, 0.25)!;
      assert.ok(r && r.at === start + ((x.length - start) & ~7), `g ${g}: stopped at ${r?.at}`);
      want = 0.25;
      for (let i = start; i < r.at; i++) {
        const v = Math.fround(x[i]! * (1 / 32768) * g);
        assert.is(out[i], pcm16(v), `g ${g}, sample ${i}`);
        want += v * v;
      }
      assert.is(r.energy, want, `g ${g}, start ${start}: energy`);
      assert.ok(out.subarray(0, start).every((v) => v === 0) && out.subarray(r.at).every((v) => v === 0), 'nothing outside [start, at) is written');
    }
  }
});

test('arrays longer than the kernels take at once (copied through in slices) give the same samples and energy', () => {
  const rand = random(13);
  const n = 300_003;
  const floats = Float32Array.from({ length: n }, () => (rand() - 0.5) * 2.2);
  const pcm = floatToPcm16(floats);
  for (let i = 0; i < n; i++) if (pcm[i] !== pcm16(floats[i]!)) assert.unreachable(`float sample ${i}: ${pcm[i]} for ${floats[i]}`);
  floats[n - 200_000] = NaN;
  assert.is(floatToPcm16Finite(floats), undefined, 'a NaN in a later slice');
  const out = new Int16Array(n);
  const r = gainPcm16Body(pcm, 5, n, 0.7071, out, 0)!;
  assert.is(r.at, 5 + ((n - 5) & ~7));
  let want = 0;
  for (let i = 5; i < r.at; i++) {
    const v = Math.fround(pcm[i]! * (1 / 32768) * 0.7071);
    if (out[i] !== pcm16(v)) assert.unreachable(`gain sample ${i}`);
    want += v * v;
  }
  assert.is(r.energy, want);
});

test.run();
