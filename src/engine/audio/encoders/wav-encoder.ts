// Streaming WAV. The header goes out with the first samples: to a pipe it carries the sizes
// "unknown" (0xFFFFFFFF, as streaming tools write and read it); to a file, the real sizes are
// written over it at the end. A 16-bit WAV cannot describe more than 4 GiB of samples: past that
// a file is refused with a clear error (the pipe form has no sizes to overflow).
import { TtsError } from '../../errors.js';
import { pcm16Bytes } from '../pcm.js';
import { MAX_WAV_DATA_BYTES, STREAMING_SIZE, wavHeader } from '../wav.js';
import { EMPTY, type StreamEncoder } from './encoder.js';

export class WavEncoder implements StreamEncoder {
  private dataBytes = 0;
  private started = false;

  constructor(
    private readonly sampleRate: number,
    private readonly seekable: boolean,
    private readonly maxDataBytes = MAX_WAV_DATA_BYTES,
  ) {}

  write(pcm: Int16Array): Uint8Array {
    this.dataBytes += pcm.byteLength;
    if (this.seekable && this.dataBytes > this.maxDataBytes) {
      throw new TtsError('OUTPUT_TOO_LONG', `The audio passes 4 GiB, more than a WAV file can hold.`, 'Use --format flac (or mp3, opus), or split the text into parts.');
    }
    const bytes = pcm16Bytes(pcm);
    if (this.started) return bytes;
    this.started = true;
    return Buffer.concat([wavHeader(this.sampleRate, STREAMING_SIZE), bytes]);
  }

  end(): Uint8Array {
    return this.started ? EMPTY : wavHeader(this.sampleRate, this.seekable ? 0 : STREAMING_SIZE);
  }

  finalHeader(): { offset: number; bytes: Uint8Array } | undefined {
    return this.seekable ? { offset: 0, bytes: wavHeader(this.sampleRate, this.dataBytes) } : undefined;
  }
}
