// FLAC through libflacjs: the reference libFLAC compiled to WebAssembly (no native build),
// lossless, compression level 5. Frames are handed out as libFLAC writes them. The stream header
// (STREAMINFO) is written before the length is known; for a file it is rewritten at the end with
// the real sample count, frame sizes and MD5 (finalHeader).
import { createRequire } from 'node:module';
import { TtsError } from '../../errors.js';
import type { StreamEncoder } from './encoder.js';

interface StreamInfo {
  min_blocksize: number;
  max_blocksize: number;
  min_framesize: number;
  max_framesize: number;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  total_samples: number;
  md5sum: string;
}
interface LibFlac {
  isReady(): boolean;
  on(event: 'ready', f: () => void): void;
  create_libflac_encoder(rate: number, channels: number, bps: number, level: number, total?: number, verify?: boolean, block?: number): number;
  init_encoder_stream(enc: number, write: (data: Uint8Array) => void, metadata?: (m: StreamInfo | undefined) => void): number;
  FLAC__stream_encoder_process_interleaved(enc: number, buf: Int32Array, n: number): boolean;
  FLAC__stream_encoder_finish(enc: number): boolean;
  FLAC__stream_encoder_delete(enc: number): void;
}

let lib: Promise<LibFlac> | undefined;
function loadFlac(): Promise<LibFlac> {
  lib ??= new Promise((res) => {
    const Flac = (createRequire(import.meta.url)('libflacjs') as (variant: string) => LibFlac)('min');
    if (Flac.isReady()) res(Flac);
    else Flac.on('ready', () => res(Flac));
  });
  return lib;
}

/** STREAMINFO as stored in the file (RFC 9639, 8.2): 34 bytes after the 4-byte block header. */
function streamInfoBytes(m: StreamInfo): Buffer {
  const b = Buffer.alloc(34);
  b.writeUInt16BE(m.min_blocksize, 0);
  b.writeUInt16BE(m.max_blocksize, 2);
  b.writeUIntBE(m.min_framesize, 4, 3);
  b.writeUIntBE(m.max_framesize, 7, 3);
  // 20 bits rate, 3 bits channels-1, 5 bits bps-1, 36 bits total samples.
  const total = BigInt(m.total_samples);
  const packed = (BigInt(m.sampleRate) << 44n) | (BigInt(m.channels - 1) << 41n) | (BigInt(m.bitsPerSample - 1) << 36n) | total;
  b.writeBigUInt64BE(packed, 10);
  Buffer.from(m.md5sum, 'hex').copy(b, 18);
  return b;
}

export async function createFlacEncoder(sampleRate: number): Promise<StreamEncoder> {
  const Flac = await loadFlac();
  const enc = Flac.create_libflac_encoder(sampleRate, 1, 16, 5, 0, false, 0);
  if (!enc) throw new TtsError('BAD_FORMAT', `FLAC cannot be written at ${sampleRate} Hz.`, 'Pass --sample-rate 48000 or another standard rate.');
  let out: Uint8Array[] = [];
  let info: StreamInfo | undefined;
  const status = Flac.init_encoder_stream(enc, (data) => void out.push(Uint8Array.from(data)), (m) => void (info = m));
  if (status !== 0) throw new TtsError('INTERNAL', `The FLAC encoder did not start (status ${status}).`);
  const take = (): Uint8Array => {
    const b = Buffer.concat(out);
    out = [];
    return b;
  };
  return {
    write(pcm) {
      if (pcm.length && !Flac.FLAC__stream_encoder_process_interleaved(enc, Int32Array.from(pcm), pcm.length)) {
        throw new TtsError('INTERNAL', 'The FLAC encoder failed.');
      }
      return take();
    },
    end() {
      Flac.FLAC__stream_encoder_finish(enc);
      Flac.FLAC__stream_encoder_delete(enc);
      return take();
    },
    finalHeader() {
      // "fLaC", then STREAMINFO's 4-byte block header, then its 34 bytes.
      return info ? { offset: 8, bytes: streamInfoBytes(info) } : undefined;
    },
  };
}
