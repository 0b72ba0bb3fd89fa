// MP3 through @breezystack/lamejs: LAME's encoder ported to plain JavaScript (the maintained fork
// of lamejs, with ES modules and types). No native build, no WebAssembly; fast enough for speech
// (see the encoding cost in the README). Mono, constant 64 kbit/s.
import { TtsError } from '../../errors.js';
import { importEsm } from '../../esm-import.js';
import { concatBytes, type StreamEncoder } from './encoder.js';

export const MP3_RATES = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000];
const KBPS = 64;
/** Samples per MPEG frame (the encoder takes any length; this keeps its buffers small). */
const BLOCK = 1152 * 4;

interface Mp3EncoderLike {
  encodeBuffer(left: Int16Array): Uint8Array;
  flush(): Uint8Array;
}

export async function createMp3Encoder(sampleRate: number): Promise<StreamEncoder> {
  if (!MP3_RATES.includes(sampleRate)) {
    throw new TtsError('BAD_FORMAT', `MP3 cannot be written at ${sampleRate} Hz.`, `Pass --sample-rate with one of ${MP3_RATES.join(', ')}.`);
  }
  const { Mp3Encoder } = await importEsm<{ Mp3Encoder: new (ch: number, rate: number, kbps: number) => Mp3EncoderLike }>('@breezystack/lamejs');
  const enc = new Mp3Encoder(1, sampleRate, KBPS);
  return {
    write(pcm) {
      const out: Uint8Array[] = [];
      for (let at = 0; at < pcm.length; at += BLOCK) out.push(Uint8Array.from(enc.encodeBuffer(pcm.subarray(at, at + BLOCK))));
      return concatBytes(out.length ? out : [new Uint8Array(0)]);
    },
    end() {
      return Uint8Array.from(enc.flush());
    },
  };
}
