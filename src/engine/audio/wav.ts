// WAV encoding (mono PCM16, via wav-encoder) and the header facts tests and sinks need.
import WavEncoder from 'wav-encoder';
import { pcm16ToFloat } from './pcm.js';

export const WAV_HEADER_BYTES = 44;

/** A complete mono 16-bit WAV file holding `pcm`. */
export function encodeWav(pcm: Int16Array, sampleRate: number): Buffer {
  const ab = WavEncoder.encode.sync({ sampleRate, channelData: [pcm16ToFloat(pcm)] }, { bitDepth: 16, symmetric: true });
  return Buffer.from(ab);
}

export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Bytes of sample data. */
  dataBytes: number;
  /** Offset of the sample data in the file. */
  dataOffset: number;
  durationSeconds: number;
}

/** Reads a RIFF/WAVE header; throws on anything that is not a PCM WAV file. */
export function readWavInfo(bytes: Uint8Array): WavInfo {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 12 || b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file');
  }
  let at = 12;
  let fmt: { channels: number; sampleRate: number; bits: number } | undefined;
  while (at + 8 <= b.length) {
    const id = b.toString('ascii', at, at + 4);
    const size = b.readUInt32LE(at + 4);
    if (id === 'fmt ') {
      fmt = { channels: b.readUInt16LE(at + 10), sampleRate: b.readUInt32LE(at + 12), bits: b.readUInt16LE(at + 22) };
    } else if (id === 'data') {
      if (!fmt) throw new Error('data chunk before fmt chunk');
      const dataBytes = Math.min(size, b.length - at - 8);
      return {
        sampleRate: fmt.sampleRate,
        channels: fmt.channels,
        bitsPerSample: fmt.bits,
        dataBytes,
        dataOffset: at + 8,
        durationSeconds: dataBytes / (fmt.sampleRate * fmt.channels * (fmt.bits / 8)),
      };
    }
    at += 8 + size + (size % 2);
  }
  throw new Error('no data chunk');
}
