// True peak (ITU-R BS.1770-4, Annex 2): the peak of the signal between its samples, estimated by
// 4× oversampling with a polyphase interpolation filter. A sample peak can miss up to 3 dB of what
// a D/A converter (or a lossy encoder's decoder) will reconstruct; the true peak does not.
//
// The filter is a Kaiser-windowed sinc (cut-off at the original Nyquist frequency, 16 taps per
// phase, phase 0 the sample itself), designed here rather than the 48-tap table printed in the recommendation: it meets the
// same purpose with a flatter pass band (the known-signal tests check it).

export const OVERSAMPLE = 4;
/** Input samples on each side of the point interpolated. */
const HALF = 8;

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

/**
 * PHASES[p][d + HALF - 1]: the weight of input sample n + d in the value at time n + p/4, for d in
 * -HALF+1 … HALF. Phase 0 is the sample itself.
 */
const PHASES: Float64Array[] = (() => {
  const beta = 7;
  const phases: Float64Array[] = [];
  for (let p = 0; p < OVERSAMPLE; p++) {
    const f = p / OVERSAMPLE;
    const taps = new Float64Array(2 * HALF);
    let sum = 0;
    for (let d = -HALF + 1; d <= HALF; d++) {
      const t = f - d;
      const sinc = t === 0 ? 1 : Math.sin(Math.PI * t) / (Math.PI * t);
      const r = t / (HALF + 0.5);
      sum += taps[d + HALF - 1] = sinc * (besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / besselI0(beta));
    }
    for (let j = 0; j < taps.length; j++) taps[j]! /= sum; // unity gain at DC
    phases.push(taps);
  }
  return phases;
})();

/**
 * For each sample n of `x`, the largest magnitude of the oversampled signal from n up to (not
 * including) n + 1: its own value and the three values interpolated after it. The signal is taken
 * as silent before and after `x`.
 */
export function truePeakEnvelope(x: Float32Array): Float32Array {
  return envelopeRange(x, 0, x.length);
}

/** The largest gain any phase of the filter can give: |interpolated| ≤ GAIN_BOUND · max |input in its window|. */
export const GAIN_BOUND = Math.max(...PHASES.map((taps) => taps.reduce((s, t) => s + Math.abs(t), 0))) * (1 + 1e-6);
/** Samples per block in which truePeaksOver checks the bound before interpolating. */
const BLOCK = 64;

/**
 * The true-peak envelope where it matters to a limiter with this `ceiling`: undefined when no
 * sample's true peak exceeds it, else an envelope equal to truePeakEnvelope's wherever that one is
 * above the ceiling and at most the ceiling elsewhere. Blocks whose samples (and the filter's reach
 * on either side) are too quiet to interpolate above the ceiling are not interpolated at all, which
 * is most of speech at a normal level: a limiter pays for its peaks only.
 */
export function truePeaksOver(x: Float32Array, ceiling: number): Float32Array | undefined {
  const n = x.length;
  const blocks = Math.ceil(n / BLOCK);
  const loud: number[] = [];
  const blockMax = new Float32Array(blocks);
  for (let b = 0; b < blocks; b++) {
    let m = 0;
    for (let i = b * BLOCK, end = Math.min(n, i + BLOCK); i < end; i++) {
      const v = x[i]! < 0 ? -x[i]! : x[i]!;
      if (v > m) m = v;
    }
    blockMax[b] = m;
  }
  // A block's interpolated values read up to HALF samples into its neighbours (HALF < BLOCK).
  for (let b = 0; b < blocks; b++) {
    const m = Math.max(blockMax[b]!, b > 0 ? blockMax[b - 1]! : 0, b + 1 < blocks ? blockMax[b + 1]! : 0);
    if (m * GAIN_BOUND > ceiling) loud.push(b);
  }
  if (loud.length === 0) return undefined;
  let out: Float32Array | undefined;
  for (const b of loud) {
    const start = b * BLOCK;
    const end = Math.min(n, start + BLOCK);
    const env = envelopeRange(x, start, end);
    let over = false;
    for (let i = 0; i < env.length; i++) if (env[i]! > ceiling) over = true;
    if (!over) continue;
    if (!out) {
      out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = x[i]! < 0 ? -x[i]! : x[i]!; // ≤ the ceiling wherever not replaced below
    }
    out.set(env, start);
  }
  return out;
}

/** truePeakEnvelope(x) for samples start … end − 1 only. */
function envelopeRange(x: Float32Array, start: number, end: number): Float32Array {
  const n = x.length;
  const out = new Float32Array(end - start);
  const [p1, p2, p3] = [PHASES[1]!, PHASES[2]!, PHASES[3]!];
  for (let i = start; i < end; i++) {
    let peak = Math.abs(x[i]!);
    const lo = Math.max(0, i - HALF + 1);
    const hi = Math.min(n - 1, i + HALF);
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let k = lo, t = lo - i + HALF - 1; k <= hi; k++, t++) {
      const v = x[k]!;
      a1 += p1[t]! * v;
      a2 += p2[t]! * v;
      a3 += p3[t]! * v;
    }
    peak = Math.max(peak, Math.abs(a1), Math.abs(a2), Math.abs(a3));
    out[i - start] = peak;
  }
  return out;
}

/** The true peak of `x` as a linear magnitude (1 = full scale). */
export function truePeak(x: Float32Array): number {
  let peak = 0;
  for (const v of truePeakEnvelope(x)) if (v > peak) peak = v;
  return peak;
}

/** A magnitude in dB (dBTP for a true peak); -Infinity for silence. */
export function toDb(linear: number): number {
  return 20 * Math.log10(linear);
}
