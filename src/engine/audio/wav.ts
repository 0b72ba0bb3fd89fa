// WAV files: mono PCM16, the canonical 44-byte header followed by the samples.
// (This replaced wav-encoder: it takes float samples and builds the file sample by sample, so
// every write converted our PCM16 to float and back; here the PCM16 bytes are written as they are.)
import { pcm16Bytes } from './pcm.js';

export const WAV_HEADER_BYTES = 44;
/** The sizes of a WAV whose length is not known yet (a stream): the largest 32-bit value. */
export const STREAMING_SIZE = -1;
/** The most sample bytes a WAV file's 32-bit sizes can describe. */
export const MAX_WAV_DATA_BYTES = 0xffffffff - 36;

/** The header of a mono 16-bit PCM WAV file with `dataBytes` bytes of samples (STREAMING_SIZE: unknown). */
export function wavHeader(sampleRate: number, dataBytes: number): Buffer {
  if (dataBytes > MAX_WAV_DATA_BYTES) throw new RangeError(`${dataBytes} bytes of samples do not fit a WAV header`);
  const h = Buffer.alloc(WAV_HEADER_BYTES);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(dataBytes === STREAMING_SIZE ? 0xffffffff : 36 + dataBytes, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16); // fmt chunk size
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * 2, 28); // bytes per second
  h.writeUInt16LE(2, 32); // bytes per frame
  h.writeUInt16LE(16, 34); // bits per sample
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes === STREAMING_SIZE ? 0xffffffff : dataBytes, 40);
  return h;
}

/** A complete mono 16-bit WAV file holding `pcm`. */
export function encodeWav(pcm: Int16Array, sampleRate: number): Buffer {
  return Buffer.concat([wavHeader(sampleRate, pcm.byteLength), pcm16Bytes(pcm)]);
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
