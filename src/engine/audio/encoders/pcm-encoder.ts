// Raw PCM: signed 16-bit little-endian mono samples and nothing else (for pipes into players).
import { pcm16Bytes } from '../pcm.js';
import { EMPTY, type StreamEncoder } from './encoder.js';

export class PcmEncoder implements StreamEncoder {
  write(pcm: Int16Array): Uint8Array {
    return pcm16Bytes(pcm);
  }
  end(): Uint8Array {
    return EMPTY;
  }
}
