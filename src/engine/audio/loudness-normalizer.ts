// Loudness normalization in streaming order: each chunk leaves with a gain that brings the audio
// so far to the target integrated loudness (BS.1770, see loudness-meter.ts), and a look-ahead
// limiter keeps its true peak under the ceiling.
//
// The gain follows an estimate of the raw audio's loudness: the voice's calibrated loudness
// (voice-loudness.ts, weighted as PRIOR_SECONDS of audio) combined with the running integrated
// loudness of the text so far (the chunk being emitted included, since a chunk is whole before it
// is emitted). It settles as a text goes on instead of chasing each sentence (no pumping); without
// a calibration, a chunk too short for a 400 ms block is measured ungated.
// Between chunks the gain glides over the first RAMP_MS of the new chunk, which starts in its
// faded edge, so a change never clicks.
import { energyToLufs, LoudnessMeter, lufsToEnergy } from './loudness-meter.js';
import { TruePeakLimiter } from './limiter.js';
import { floatToPcm16, unitOf, type Samples } from './pcm.js';
import { gainPcm16Body } from './pcm-kernels.js';

export const DEFAULT_LOUDNESS_LUFS = -16;
export const DEFAULT_PEAK_DBTP = -1;
/** The limiter aims this far under the ceiling, for the rounding to 16 bits and resampling after it. */
const PEAK_MARGIN_DB = 0.5;
const MAX_GAIN_DB = 30;
const RAMP_MS = 10;
const PRIOR_SECONDS = 2;
const MAX_MAKEUP_DB = 3;

function sumSquares(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return s;
}

/** Seconds of audio each gated 400 ms block stands for (blocks overlap by 75 %). */
const BLOCK_SECONDS = 0.1;

export class LoudnessNormalizer {
  private readonly meter: LoudnessMeter;
  private limiter: TruePeakLimiter;
  private gain: number | undefined;
  /** Energy of the text so far before and after the limiter (for the make-up gain). */
  private energyIn = 0;
  private energyOut = 0;

  constructor(
    readonly sampleRate: number,
    readonly targetLufs = DEFAULT_LOUDNESS_LUFS,
    peakDbtp = DEFAULT_PEAK_DBTP,
    /** The voice's calibrated loudness in LUFS, when known. */
    private readonly prior?: number,
  ) {
    this.meter = new LoudnessMeter(sampleRate);
    this.limiter = new TruePeakLimiter(sampleRate, 10 ** ((peakDbtp - PEAK_MARGIN_DB) / 20));
  }

  /** The gain (dB) the audio so far calls for, or undefined while it is silent. */
  private wantedGainDb(): number | undefined {
    let l = this.meter.integrated();
    if (this.prior !== undefined && Number.isFinite(this.prior)) {
      const seconds = Number.isFinite(l) ? this.meter.gatedBlocks * BLOCK_SECONDS : 0;
      const energy = (lufsToEnergy(this.prior) * PRIOR_SECONDS + (seconds ? lufsToEnergy(l) * seconds : 0)) / (PRIOR_SECONDS + seconds);
      l = energyToLufs(energy);
    } else if (!Number.isFinite(l)) l = this.meter.ungated();
    if (!(l > -70)) return undefined;
    return Math.max(-MAX_GAIN_DB, Math.min(MAX_GAIN_DB, this.targetLufs - l));
  }

  /** Samples over which the gain glides from one chunk's to the next's. */
  private rampLength(n: number): number {
    return Math.min(n, Math.round((RAMP_MS / 1000) * this.sampleRate));
  }

  /**
   * `out` = `x` times a gain gliding from `from` to `to` over the first RAMP_MS; returns `energy`
   * plus the sum of squares of `out` (as stored, in order), so that a chunk the limiter leaves
   * alone needs no second pass.
   */
  private ramp(x: Samples, from: number, to: number, out: Float32Array, energy = 0): number {
    const ramp = this.rampLength(x.length);
    const unit = unitOf(x);
    for (let i = 0; i < ramp; i++) {
      const v = Math.fround(x[i]! * unit * (from + ((to - from) * (i + 1)) / ramp));
      out[i] = v;
      energy += v * v;
    }
    for (let i = ramp; i < x.length; i++) {
      const v = Math.fround(x[i]! * unit * to);
      out[i] = v;
      energy += v * v;
    }
    return energy;
  }

  /**
   * ramp() written as PCM16 (floatToPcm16 of what ramp() would store), with the same energy. For
   * PCM16 input, the constant gain after the glide goes through the SIMD kernel, and only the glide
   * and the last few samples through ramp() in floats; otherwise all of it.
   */
  private rampPcm16(x: Samples, from: number, to: number, out: Int16Array): number {
    const n = this.rampLength(x.length);
    if (x instanceof Int16Array) {
      const glide = new Float32Array(n);
      const body = gainPcm16Body(x, n, x.length, to, out, this.ramp(x.subarray(0, n), from, to, glide));
      if (body) {
        // The last (length − n) mod 8 samples at gain `to` (a glide from `to` to `to`), their energy after the rest.
        const tail = new Float32Array(x.length - body.at);
        const energy = this.ramp(x.subarray(body.at), to, to, tail, body.energy);
        out.set(floatToPcm16(glide));
        out.set(floatToPcm16(tail), body.at);
        return energy;
      }
    }
    const floats = new Float32Array(x.length);
    const energy = this.ramp(x, from, to, floats);
    out.set(floatToPcm16(floats));
    return energy;
  }

  /**
   * Normalizes one chunk (a new array is returned; `x` is not changed). The limiter takes some
   * loudness off peaky voices; that loss, averaged over the text so far, is made up in the gain (a
   * trial pass through a copy of the limiter measures it for the chunk at hand). Most chunks of
   * speech cannot reach the limiter's ceiling at all (limiter.leavesAlone, from their sample peak):
   * those skip it, and their trial's energy comes with the gain pass.
   */
  process(x: Samples): Float32Array {
    return this.normalize<Float32Array>(x, new Float32Array(x.length), (from, to, out) => this.ramp(x, from, to, out), (limited) => limited);
  }

  /**
   * floatToPcm16(process(x)), what the output stage sends on: when the limiter has nothing to do,
   * the gain is applied as the samples are converted, with no float copy of the chunk.
   */
  processToPcm16(x: Samples): Int16Array {
    return this.normalize(x, new Int16Array(x.length), (from, to, out) => this.rampPcm16(x, from, to, out), floatToPcm16);
  }

  /**
   * The normalization of `x` into `out` (by `rampInto`, which returns the energy of what it wrote)
   * when the limiter leaves the chunk alone; else through the limiter in floats, then `fromFloat`.
   */
  private normalize<T extends Float32Array | Int16Array>(x: Samples, out: T, rampInto: (from: number, to: number, out: T) => number, fromFloat: (limited: Float32Array) => T): T {
    const { energy: raw, peak } = this.meter.push(x);
    const db = this.wantedGainDb();
    const to = db === undefined ? (this.gain ?? 1) : 10 ** (db / 20);
    const from = this.gain ?? to;
    /** The chunk at `gain`, through `limiter` unless it would leave it alone, and its energy. */
    const emit = (gain: number, limiter: TruePeakLimiter): [T, number] => {
      if (limiter.leavesAlone(peak * Math.max(from, gain))) return [out, rampInto(from, gain, out)];
      const limited = new Float32Array(x.length);
      this.ramp(x, from, gain, limited);
      const energy = sumSquares(limiter.process(limited));
      return [fromFloat(limited), energy];
    };
    const trialLimiter = this.limiter.clone(); // a copy (a few fields), used only if the limiter acts
    const [trial, trialEnergy] = emit(to, trialLimiter);
    if (raw > 0) {
      this.energyIn += raw * to * to;
      this.energyOut += trialEnergy;
      const lossDb = Math.min(MAX_MAKEUP_DB, 10 * Math.log10(this.energyIn / this.energyOut));
      if (lossDb > 0.05) {
        this.gain = to * 10 ** (lossDb / 20);
        return emit(this.gain, this.limiter)[0];
      }
    }
    // No make-up needed: the trial is the result.
    this.gain = to;
    this.limiter = trialLimiter;
    return trial;
  }
}
