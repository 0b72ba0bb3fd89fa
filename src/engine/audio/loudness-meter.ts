// Integrated loudness of mono audio (ITU-R BS.1770-4, as used by EBU R 128): K-weighting (a high
// shelf and a high-pass, derived for any sample rate from their analog definitions), mean square
// over 400 ms blocks overlapping by 75 %, then gating: blocks below -70 LUFS are dropped, then
// blocks more than 10 LU below the loudness of the rest.
//
// Streaming and bounded in memory: samples are pushed in any pieces; the meter keeps the running
// filter state, the last three 100 ms sums, and a histogram of block loudness (0.01 LU bins, each
// with its count and summed energy) — so the integrated loudness of hours of audio costs the same
// few kilobytes as that of a second, and the gating thresholds are exact to 0.01 LU.

/** Loudness reported for silence or audio too short to hold one block. */
export const SILENCE_LUFS = -Infinity;
const ABSOLUTE_GATE = -70;
const RELATIVE_GATE = 10;
const BIN_LU = 0.01;
const TOP_LUFS = 10;
const BINS = Math.round((TOP_LUFS - ABSOLUTE_GATE) / BIN_LU);

interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** The two K-weighting stages at `sampleRate` (bilinear transform of the analog prototypes). */
export function kWeighting(sampleRate: number): [Biquad, Biquad] {
  // Stage 1: high shelf, +4 dB above ~1.7 kHz (models the head).
  let k = Math.tan((Math.PI * 1681.974450955533) / sampleRate);
  const q1 = 0.7071752369554196;
  const vh = 10 ** (3.999843853973347 / 20);
  const vb = vh ** 0.4996667741545416;
  let a0 = 1 + k / q1 + k * k;
  const shelf = {
    b0: (vh + (vb * k) / q1 + k * k) / a0,
    b1: (2 * (k * k - vh)) / a0,
    b2: (vh - (vb * k) / q1 + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / q1 + k * k) / a0,
  };
  // Stage 2: high-pass at ~38 Hz (the RLB curve).
  k = Math.tan((Math.PI * 38.13547087602444) / sampleRate);
  const q2 = 0.5003270373238773;
  a0 = 1 + k / q2 + k * k;
  const highPass = { b0: 1, b1: -2, b2: 1, a1: (2 * (k * k - 1)) / a0, a2: (1 - k / q2 + k * k) / a0 };
  return [shelf, highPass];
}

/** Loudness of a mean square of K-weighted samples (mono: channel weight 1). */
export function energyToLufs(meanSquare: number): number {
  return meanSquare > 0 ? -0.691 + 10 * Math.log10(meanSquare) : SILENCE_LUFS;
}

export function lufsToEnergy(lufs: number): number {
  return 10 ** ((lufs + 0.691) / 10);
}

export class LoudnessMeter {
  private readonly filters: [Biquad, Biquad];
  /** Direct-form-II transposed state of the two stages. */
  private s = [0, 0, 0, 0];
  private readonly step: number;
  private quarterSum = 0;
  private quarterFill = 0;
  private readonly lastQuarters: number[] = [];
  private readonly counts = new Uint32Array(BINS);
  private readonly energies = new Float64Array(BINS);
  private blocks = 0;
  /** K-weighted energy and sample count of everything pushed (ungated). */
  private totalSum = 0;
  private totalSamples = 0;

  constructor(readonly sampleRate: number) {
    this.filters = kWeighting(sampleRate);
    this.step = Math.round(sampleRate / 10);
  }

  /** Adds samples (floats, full scale ±1). */
  push(x: Float32Array): void {
    // The filters and sums in locals: this loop runs once per sample of everything spoken.
    const [f1, f2] = this.filters;
    const { b0: p0, b1: p1, b2: p2, a1: pa1, a2: pa2 } = f1;
    const { b0: h0, b1: h1, b2: h2, a1: ha1, a2: ha2 } = f2;
    let [z1, z2, z3, z4] = this.s as [number, number, number, number];
    let sum = this.quarterSum;
    let fill = this.quarterFill;
    const step = this.step;
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const y1 = p0 * v + z1;
      z1 = p1 * v - pa1 * y1 + z2;
      z2 = p2 * v - pa2 * y1;
      const y2 = h0 * y1 + z3;
      z3 = h1 * y1 - ha1 * y2 + z4;
      z4 = h2 * y1 - ha2 * y2;
      sum += y2 * y2;
      if (++fill === step) {
        this.quarterSum = sum;
        this.endQuarter();
        sum = 0;
        fill = 0;
      }
    }
    this.quarterSum = sum;
    this.quarterFill = fill;
    this.s = [z1, z2, z3, z4];
  }

  private endQuarter(): void {
    const q = this.quarterSum;
    this.totalSum += q;
    this.totalSamples += this.step;
    this.quarterSum = 0;
    this.quarterFill = 0;
    this.lastQuarters.push(q);
    if (this.lastQuarters.length < 4) return;
    const z = (this.lastQuarters[0]! + this.lastQuarters[1]! + this.lastQuarters[2]! + this.lastQuarters[3]!) / (4 * this.step);
    this.lastQuarters.shift();
    const l = energyToLufs(z);
    if (!(l > ABSOLUTE_GATE)) return;
    const bin = Math.min(BINS - 1, Math.floor((l - ABSOLUTE_GATE) / BIN_LU));
    this.counts[bin]!++;
    this.energies[bin]! += z;
    this.blocks++;
  }

  /** Blocks above the absolute gate so far. */
  get gatedBlocks(): number {
    return this.blocks;
  }

  /** Integrated (gated) loudness in LUFS; -Infinity when no block passes the gates. */
  integrated(): number {
    if (this.blocks === 0) return SILENCE_LUFS;
    let sum = 0;
    for (let b = 0; b < BINS; b++) sum += this.energies[b]!;
    const relative = energyToLufs(sum / this.blocks) - RELATIVE_GATE;
    const first = Math.max(0, Math.ceil((relative - ABSOLUTE_GATE) / BIN_LU));
    let n = 0;
    let e = 0;
    for (let b = first; b < BINS; b++) {
      n += this.counts[b]!;
      e += this.energies[b]!;
    }
    return n ? energyToLufs(e / n) : SILENCE_LUFS;
  }

  /**
   * Loudness of all the audio pushed, without blocks or gates: a rough
   * reading for audio too short for a block.
   */
  ungated(): number {
    const samples = this.totalSamples + this.quarterFill;
    return samples ? energyToLufs((this.totalSum + this.quarterSum) / samples) : SILENCE_LUFS;
  }
}

/** Integrated loudness of a whole mono signal. */
export function integratedLoudness(x: Float32Array, sampleRate: number): number {
  const m = new LoudnessMeter(sampleRate);
  m.push(x);
  return m.integrated();
}
