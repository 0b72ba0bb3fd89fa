import { test } from 'uvu';
import * as assert from 'uvu/assert';
import WavDecoder from 'wav-decoder';
import { bytesToPcm16, floatToPcm16, pcm16ToFloat } from '../src/engine/audio/pcm.js';
import { encodeWav, readWavInfo, WAV_HEADER_BYTES } from '../src/engine/audio/wav.js';

test('a WAV file has a 44-byte PCM16 mono header and the right duration', async () => {
  const pcm = new Int16Array(24000 * 1.5);
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(Math.sin(i / 7) * 12000);
  const wav = encodeWav(pcm, 24000);
  assert.is(wav.byteLength, WAV_HEADER_BYTES + pcm.byteLength);
  assert.is(wav.toString('ascii', 0, 4), 'RIFF');
  assert.is(wav.readUInt32LE(4), wav.byteLength - 8);
  assert.is(wav.toString('ascii', 8, 16), 'WAVEfmt ');
  assert.is(wav.readUInt16LE(20), 1); // PCM
  const info = readWavInfo(wav);
  assert.equal(info, { sampleRate: 24000, channels: 1, bitsPerSample: 16, dataBytes: pcm.byteLength, dataOffset: 44, durationSeconds: 1.5 });
  // Samples are stored exactly as given.
  assert.equal(Array.from(bytesToPcm16(wav.subarray(44))), Array.from(pcm));
  // And an independent decoder agrees.
  const decoded = await WavDecoder.decode(wav);
  assert.is(decoded.sampleRate, 24000);
  assert.is(decoded.channelData.length, 1);
  assert.is(decoded.channelData[0]!.length, pcm.length);
});

test('float → PCM16 clamps and rounds; PCM16 → float → PCM16 is lossless', () => {
  assert.equal(Array.from(floatToPcm16(Float32Array.of(0, 1, -1, 2, -2, 0.5, -0.5))), [0, 32767, -32768, 32767, -32768, 16384, -16384]);
  const all = new Int16Array(65536);
  for (let i = 0; i < all.length; i++) all[i] = i - 32768;
  assert.equal(Array.from(floatToPcm16(pcm16ToFloat(all))), Array.from(all));
  // Same as Math.round(x · 32768) clamped, on halves, near-limits, infinities and NaN (→ 0).
  const odd = Float32Array.of(0.5 / 32768, -0.5 / 32768, 1.5 / 32768, -1.5 / 32768, 32766.5 / 32768, -32767.5 / 32768, -32768.5 / 32768, 1e-9, -1e-9, Infinity, -Infinity, NaN, 1e30, -1e30);
  const reference = Array.from(odd, (x) => (Number.isNaN(x) ? 0 : Math.max(-32768, Math.min(32767, Math.round(x * 32768)))) || 0);
  assert.equal(Array.from(floatToPcm16(odd)), reference);
});

test('readWavInfo rejects files that are not WAV', () => {
  assert.throws(() => readWavInfo(Buffer.from('hello world, not a wav')), /RIFF/);
});

test.run();
