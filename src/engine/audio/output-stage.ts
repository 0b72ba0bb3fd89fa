// The last stage of the engine, between the cache (which keeps the model's raw output) and every
// sink: loudness normalization with its true-peak limiter, then conversion to the requested sample
// rate. One per request, fed the chunks in order.
import { floatToPcm16, pcm16ToFloat } from './pcm.js';
import { LoudnessNormalizer } from './loudness-normalizer.js';
import { withPause } from './postprocess.js';
import { createResampler, type Resampler } from './resample.js';

export interface OutputOptions {
  /** Target integrated loudness in LUFS; null leaves the level as the model made it. */
  loudness: number | null;
  /** Output sample rate; undefined keeps the model's. */
  sampleRate?: number;
  /** The voice's calibrated loudness (LUFS), when known. */
  voiceLufs?: number;
}

export class OutputStage {
  private normalizer: LoudnessNormalizer | undefined;
  private resampler: Promise<Resampler> | undefined;
  private rate = 0;

  constructor(private readonly opts: OutputOptions) {}

  /** The chunk's samples followed by `pause` samples of silence, as they leave the engine, and their sample rate. */
  async process(pcm: Int16Array, sampleRate: number, pause = 0): Promise<{ pcm: Int16Array; sampleRate: number }> {
    const outRate = this.opts.sampleRate ?? sampleRate;
    if (this.opts.loudness === null && outRate === sampleRate) return { pcm: withPause(pcm, pause), sampleRate };
    if (sampleRate !== this.rate) {
      this.rate = sampleRate;
      this.normalizer = this.opts.loudness === null ? undefined : new LoudnessNormalizer(sampleRate, this.opts.loudness, undefined, this.opts.voiceLufs);
      this.resampler = createResampler(sampleRate, outRate);
    }
    const resample = await this.resampler!;
    // The normalizer reads PCM16 as it is; at the model's rate it also writes PCM16 itself (no float copy of the chunk).
    if (this.normalizer && outRate === sampleRate) return { pcm: this.normalizer.processToPcm16(withPause(pcm, pause)), sampleRate };
    const x = this.normalizer ? this.normalizer.process(withPause(pcm, pause)) : pcm16ToFloat(pcm, pause);
    return { pcm: floatToPcm16(resample(x)), sampleRate: outRate };
  }
}
