// Ogg Opus through opusscript: libopus compiled to WebAssembly (the encoder discord.js relies on;
// no native build). Opus runs at 8, 12, 16, 24 or 48 kHz; other rates (Piper's 22 050 Hz) are
// converted to 48 kHz first. 20 ms frames, 32 kbit/s (transparent for mono speech); the Ogg
// pages are written here (ogg.ts), one page per chunk of audio so a stream can be played as it comes.
import { createRequire } from 'node:module';
import { randomInt } from 'node:crypto';
import { floatToPcm16, pcm16Bytes, pcm16ToFloat } from '../pcm.js';
import { createResampler, type Resampler } from '../resample.js';
import { BOS, EOS, lacingCount, OggWriter } from './ogg.js';
import type { StreamEncoder } from './encoder.js';

const OPUS_RATES = [8000, 12000, 16000, 24000, 48000];
const FRAME_MS = 20;
const BITRATE = 32000;
/** The decoder drops this many 48 kHz samples at the start (the encoder's look-ahead, 6.5 ms). */
const PRE_SKIP = 312;

interface OpusScriptLike {
  encode(pcm: Buffer, frameSize: number): Buffer;
  setBitrate(bps: number): void;
  delete(): void;
}
type OpusScriptCtor = (new (rate: number, channels: number, app: number) => OpusScriptLike) & { Application: { AUDIO: number } };

export async function createOpusEncoder(inputRate: number): Promise<StreamEncoder> {
  const rate = OPUS_RATES.includes(inputRate) ? inputRate : 48000;
  const resample: Resampler = await createResampler(inputRate, rate);
  const OpusScript = createRequire(import.meta.url)('opusscript') as OpusScriptCtor;
  const enc = new OpusScript(rate, 1, OpusScript.Application.AUDIO);
  enc.setBitrate(BITRATE);
  const frame = (rate * FRAME_MS) / 1000;
  const per48 = 48000 / rate;
  const ogg = new OggWriter(randomInt(0x7fffffff));
  let pending = new Int16Array(0);
  let samples = 0; // input samples at `rate`, all encoded or pending
  let frames = 0;
  let headed = false;

  const headers = (): Buffer[] => {
    const head = Buffer.alloc(19);
    head.write('OpusHead', 0, 'ascii');
    head[8] = 1; // version
    head[9] = 1; // channels
    head.writeUInt16LE(PRE_SKIP, 10);
    head.writeUInt32LE(inputRate, 12);
    head.writeInt16LE(0, 16); // output gain
    head[18] = 0; // mapping family
    const vendor = Buffer.from('tts (libopus via opusscript)');
    const tags = Buffer.alloc(8 + 4 + vendor.length + 4);
    tags.write('OpusTags', 0, 'ascii');
    tags.writeUInt32LE(vendor.length, 8);
    vendor.copy(tags, 12);
    tags.writeUInt32LE(0, 12 + vendor.length);
    return [ogg.page([head], 0n, BOS), ogg.page([tags], 0n)];
  };

  /** Pages for the packets of every whole frame in `pending` (all of it, zero-padded, when `flush`). */
  const encodeFrames = (flush: boolean, last: boolean): Buffer[] => {
    const pages: Buffer[] = [];
    let packets: Uint8Array[] = [];
    let lacing = 0;
    const granule = (): bigint => BigInt(Math.min(frames * frame * per48, PRE_SKIP + Math.round(samples * per48)));
    let at = 0;
    while (pending.length - at >= frame || (flush && at < pending.length)) {
      let f = pending.subarray(at, at + frame);
      if (f.length < frame) {
        const padded = new Int16Array(frame);
        padded.set(f);
        f = padded;
      }
      at += frame;
      const packet = Uint8Array.from(enc.encode(pcm16Bytes(f), frame));
      frames++;
      if (lacing + lacingCount(packet) > 255) {
        pages.push(ogg.page(packets, granule()));
        packets = [];
        lacing = 0;
      }
      packets.push(packet);
      lacing += lacingCount(packet);
    }
    pending = pending.slice(at);
    if (packets.length) pages.push(ogg.page(packets, granule(), last ? EOS : 0));
    else if (last) pages.push(ogg.page([], granule(), EOS));
    return pages;
  };

  return {
    write(pcm) {
      const x = rate === inputRate ? pcm : floatToPcm16(resample(pcm16ToFloat(pcm)));
      samples += x.length;
      const joined = new Int16Array(pending.length + x.length);
      joined.set(pending);
      joined.set(x, pending.length);
      pending = joined;
      const out = headed ? [] : headers();
      headed = true;
      return Buffer.concat([...out, ...encodeFrames(false, false)]);
    },
    end() {
      const out = headed ? [] : headers();
      headed = true;
      // Enough zero samples to push the encoder's look-ahead out, then the last page (EOS).
      const tail = new Int16Array(Math.ceil(PRE_SKIP / per48));
      const joined = new Int16Array(pending.length + tail.length);
      joined.set(pending);
      pending = joined;
      const pages = encodeFrames(true, true);
      enc.delete();
      return Buffer.concat([...out, ...pages]);
    },
  };
}
