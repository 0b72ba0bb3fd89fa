// Look-ahead true-peak limiter. Each chunk reaches the limiter whole (the engine synthesizes a
// chunk before it emits it), so the look-ahead costs no latency: the gain needed at every sample
// (ceiling / true peak) is held at its minimum over the next LOOKAHEAD_MS, then smoothed with a
// moving average of the same length, which starts the gain reduction before each peak and never
// lets it rise above what the peak needs; after a peak the gain recovers with RELEASE_MS. The
// recovery state carries over from one chunk to the next, so joins have no jump.
import { GAIN_BOUND, truePeaksOver } from './true-peak.js';

const LOOKAHEAD_MS = 2;
const RELEASE_MS = 80;

export class TruePeakLimiter {
  private readonly window: number;
  private readonly release: number;
  private gain = 1;

  /** `ceiling`: the largest true peak let through, as a linear magnitude. */
  constructor(
    sampleRate: number,
    private readonly ceiling: number,
  ) {
    this.window = Math.max(1, Math.round((LOOKAHEAD_MS / 1000) * sampleRate));
    this.release = 1 - Math.exp(-1 / ((RELEASE_MS / 1000) * sampleRate));
  }

  /** A limiter in the same state (for a trial run). */
  clone(): TruePeakLimiter {
    const c = Object.create(TruePeakLimiter.prototype) as TruePeakLimiter;
    Object.assign(c, this);
    return c;
  }

  /**
   * Whether process() returns audio whose largest sample magnitude is `peak` untouched, with no
   * change of state: no true peak can reach the ceiling (interpolation gains at most GAIN_BOUND)
   * and no earlier reduction is still being released.
   */
  leavesAlone(peak: number): boolean {
    return this.gain >= 1 && peak * GAIN_BOUND * (1 + 1e-6) <= this.ceiling;
  }

  /** Limits `x` in place and returns it. */
  process(x: Float32Array): Float32Array {
    const n = x.length;
    if (n === 0) return x;
    // Exact above the ceiling, at most the ceiling elsewhere: all the gain computation looks at.
    const env = truePeaksOver(x, this.ceiling);
    if (!env && this.gain >= 1) return x;
    const L = this.window;
    const ceiling = this.ceiling;
    // needed[i]: the gain sample i needs; held: its minimum over the look-ahead window.
    const held = new Float32Array(n);
    let next = 0; // the first sample at or after i whose peak is over the ceiling (n: none)
    for (let i = 0; i < n; i++) {
      if (next < i) next = i;
      while (next < n && !(env && env[next]! > ceiling)) next++;
      let g = 1;
      for (let k = next, end = Math.min(n, i + L); k < end; k++) {
        const e = env![k]!;
        if (e > ceiling) g = Math.min(g, ceiling / e);
      }
      // Instant attack (already ahead of the peak), exponential release.
      this.gain = Math.min(g, this.gain + (1 - this.gain) * this.release);
      held[i] = this.gain;
    }
    // Moving average over the last L values of the held gain: ≤ the need at every peak.
    let sum = 0;
    const hist = new Float32Array(L).fill(held[0]!);
    sum = held[0]! * L;
    for (let i = 0; i < n; i++) {
      sum += held[i]! - hist[i % L]!;
      hist[i % L] = held[i]!;
      x[i]! *= sum / L;
    }
    return x;
  }
}
