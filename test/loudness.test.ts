// The loudness meter (ITU-R BS.1770-4) and the true-peak meter against signals whose readings are
// known, and the limiter and normalizer on synthetic audio.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { integratedLoudness, kWeighting, LoudnessMeter } from '../src/engine/audio/loudness-meter.js';
import { LoudnessNormalizer } from '../src/engine/audio/loudness-normalizer.js';
import { TruePeakLimiter } from '../src/engine/audio/limiter.js';
import { toDb, truePeak, truePeakEnvelope, truePeaksOver } from '../src/engine/audio/true-peak.js';
import { floatToPcm16, pcm16ToFloat } from '../src/engine/audio/pcm.js';

function sine(freq: number, amplitude: number, seconds: number, rate: number, phase = 0): Float32Array {
  const x = new Float32Array(Math.round(seconds * rate));
  for (let i = 0; i < x.length; i++) x[i] = amplitude * Math.sin((2 * Math.PI * freq * i) / rate + phase);
  return x;
}

const near = (actual: number, expected: number, tol: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual.toFixed(3)}, expected ${expected} ± ${tol}`);

test('K-weighting at 48 kHz matches the coefficients printed in BS.1770-4', () => {
  const [shelf, hp] = kWeighting(48000);
  const close = (a: number, b: number): void => near(a, b, 1e-8, 'coefficient');
  close(shelf.b0, 1.53512485958697);
  close(shelf.b1, -2.69169618940638);
  close(shelf.b2, 1.19839281085285);
  close(shelf.a1, -1.69065929318241);
  close(shelf.a2, 0.73248077421585);
  close(hp.a1, -1.99004745483398);
  close(hp.a2, 0.99007225036621);
});

test('a 1 kHz sine at -20 dBFS reads -23.0 LUFS at 48 kHz, 24 kHz and the other model rates', () => {
  for (const rate of [48000, 24000, 22050, 16000, 44100]) near(integratedLoudness(sine(1000, 0.1, 5, rate), rate), -23, 0.1, `${rate} Hz`);
  // Full scale: -3.01 LUFS (the definition's anchor).
  near(integratedLoudness(sine(1000, 1, 5, 48000), 48000), -3.01, 0.05, 'full scale');
});

test('silence and audio under the absolute gate read -Infinity; too short for a block too', () => {
  assert.is(integratedLoudness(new Float32Array(48000 * 3), 48000), -Infinity);
  assert.is(integratedLoudness(sine(1000, 10 ** (-75 / 20), 3, 48000), 48000), -Infinity); // about -78 LUFS
  assert.is(integratedLoudness(sine(1000, 0.1, 0.3, 48000), 48000), -Infinity);
  // A tone of 3 s followed by 30 s of silence: the silent blocks are gated out; the 27 blocks inside
  // the tone and the three that hold 3/4, 1/2 and 1/4 of it count: -23 + 10·log10(28.5 / 30).
  const x = new Float32Array(48000 * 33);
  x.set(sine(1000, 0.1, 3, 48000));
  near(integratedLoudness(x, 48000), -23 + 10 * Math.log10(28.5 / 30), 0.02, 'tone then silence');
});

test('the relative gate drops blocks 10 LU under the rest', () => {
  // 10 s at -23 LUFS and 10 s at -43 LUFS: the quiet part is gated, so the reading stays -23.
  const rate = 48000;
  const x = new Float32Array(rate * 20);
  x.set(sine(1000, 0.1, 10, rate));
  x.set(sine(1000, 0.01, 10, rate), rate * 10);
  near(integratedLoudness(x, rate), -23, 0.1, 'gated');
  // 10 s at -23 and 10 s at -29: both count, and the mean of their energies is about -25.2.
  x.set(sine(1000, 0.05, 10, rate), rate * 10);
  near(integratedLoudness(x, rate), 10 * Math.log10((10 ** (-2.3) + 10 ** (-2.9)) / 2), 0.1, 'both counted');
});

test('pushing in pieces reads the same as pushing at once', () => {
  const x = sine(440, 0.3, 4, 24000);
  const m = new LoudnessMeter(24000);
  for (let at = 0; at < x.length; at += 777) m.push(x.subarray(at, at + 777));
  near(m.integrated(), integratedLoudness(x, 24000), 1e-9, 'pieces');
});

test('PCM16 reads exactly as its floats; push reports the energy and sample peak of what it was given', () => {
  const pcm = floatToPcm16(bursts(3, 24000 * 3));
  const floats = pcm16ToFloat(pcm);
  const a = new LoudnessMeter(24000);
  const b = new LoudnessMeter(24000);
  const ra = a.push(pcm);
  const rb = b.push(floats);
  assert.equal(ra, rb);
  assert.is(a.integrated(), b.integrated());
  assert.is(a.ungated(), b.ungated());
  let energy = 0;
  let peak = 0;
  for (const v of floats) {
    energy += v * v;
    peak = Math.max(peak, Math.abs(v));
  }
  assert.equal(ra, { energy, peak });
  assert.equal(a.push(new Int16Array(10)), { energy: 0, peak: 0 }, 'each push reports its own samples');
});

test('long silences (filter states decaying toward subnormal numbers, which the meter zeroes) read bit for bit as the plain filter', () => {
  // The plain reference: both K-weighting stages per sample (direct form I, the meter's order of
  // operations), squares summed per 100 ms, as in BS.1770.
  const plainUngated = (x: Float32Array, rate: number): number => {
    const [f, g] = kWeighting(rate);
    const step = Math.round(rate / 10);
    let [x1, x2, u1, u2, w1, w2, quarter, total] = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const u = f.b0 * v + f.b1 * x1 + f.b2 * x2 - f.a2 * u2 - f.a1 * u1;
      const w = g.b0 * u + g.b1 * u1 + g.b2 * u2 - g.a2 * w2 - g.a1 * w1;
      [x2, x1, u2, u1, w2, w1] = [x1, v, u1, u, w1, w];
      quarter += w * w;
      if ((i + 1) % step === 0) {
        total += quarter;
        quarter = 0;
      }
    }
    return 10 * Math.log10(total / (Math.floor(x.length / step) * step)) - 0.691;
  };
  for (const rate of [16000, 22050, 24000]) {
    const speech = bursts(5, rate * 2);
    const x = new Float32Array(rate * 9);
    x.set(speech, 0);
    x.set(speech, rate * 6); // after 4 s of silence
    x.set(speech.subarray(0, rate), rate * 8);
    const m = new LoudnessMeter(rate);
    for (let at = 0; at < x.length; at += 5000) m.push(x.subarray(at, at + 5000));
    assert.is(m.ungated(), plainUngated(x, rate), `${rate} Hz`);
  }
});

test('true peak: a sine at -20 dBFS reads -20 dBTP; a quarter-rate sine sampled off its peaks reads its real peak', () => {
  near(toDb(truePeak(sine(1000, 0.1, 1, 48000))), -20, 0.05, '1 kHz');
  // fs/4 at 45°: every sample is ±0.707 of the peak, so the sample peak under-reads by 3 dB.
  const x = sine(12000, 1, 1, 48000, Math.PI / 4);
  near(toDb(Math.max(...x.subarray(1000, 2000).map(Math.abs))), -3.01, 0.01, 'sample peak');
  near(toDb(truePeak(x.subarray(1000, 40000))), 0, 0.2, 'true peak');
});

test('clipping: a square wave at full scale reads above 0 dBTP, and the limiter brings it under the ceiling', () => {
  const rate = 24000;
  const x = new Float32Array(rate);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin((2 * Math.PI * 997 * i) / rate) >= 0 ? 1 : -1;
  assert.ok(toDb(truePeak(x)) > 0.5, `square wave: ${toDb(truePeak(x))} dBTP`);
  const ceiling = 10 ** (-1.5 / 20);
  const limited = new TruePeakLimiter(rate, ceiling).process(Float32Array.from(x));
  assert.ok(truePeak(limited) <= ceiling * 1.01, `limited: ${toDb(truePeak(limited))} dBTP`);
});

/** Speech-like test audio: noise bursts of varying level, some loud enough for the limiter, some silent. */
function bursts(seed: number, n: number): Float32Array {
  let r = seed;
  const rand = (): number => ((r = (r * 1103515245 + 12345) % 2147483648) / 2147483648);
  const x = new Float32Array(n);
  let level = 0;
  let w = 0;
  for (let i = 0; i < n; i++) {
    if (i % 2400 === 0) {
      level = rand() < 0.2 ? 0 : rand() ** 2 * 1.3;
      w = rand() < 0.5 ? 0.05 + rand() * 0.3 : 2.6 + rand() * 0.5; // low, or near Nyquist (peaks between samples)
    }
    x[i] = level * Math.sin(i * w) * (0.8 + 0.2 * rand());
  }
  return x;
}

test('truePeaksOver: exactly the true-peak envelope wherever it is above the ceiling, at most the ceiling elsewhere', () => {
  const ceiling = 10 ** (-1.5 / 20);
  let loud = 0;
  for (let seed = 1; seed <= 8; seed++) {
    const x = bursts(seed, 48000);
    const exact = truePeakEnvelope(x);
    const fast = truePeaksOver(x, ceiling);
    if (!exact.some((e) => e > ceiling)) {
      assert.is(fast, undefined, `seed ${seed}: nothing over the ceiling`);
      continue;
    }
    loud++;
    assert.ok(fast, `seed ${seed}: the peaks over the ceiling are found`);
    for (let i = 0; i < x.length; i++) {
      if (exact[i]! > ceiling) assert.is(fast[i], exact[i], `seed ${seed}, sample ${i}`);
      else assert.ok(fast[i]! <= ceiling, `seed ${seed}, sample ${i}: ${fast[i]} over the ceiling where the true peak ${exact[i]} is not`);
    }
  }
  assert.ok(loud >= 4, `${loud} of 8 test signals go over the ceiling`);
  // Peaks only between the samples: a quarter-rate sine sampled at ±45°, every sample 3 dB under its peak.
  const between = new Float32Array(4800).map((_, i) => Math.sin((Math.PI / 2) * i + Math.PI / 4));
  const exact = truePeakEnvelope(between);
  const fast = truePeaksOver(between, ceiling);
  assert.ok(Math.max(...between) < ceiling && Math.max(...exact) > ceiling, 'the samples are under the ceiling, the true peak over');
  assert.ok(fast, 'peaks between the samples are found');
  for (let i = 0; i < exact.length; i++) if (exact[i]! > ceiling) assert.is(fast[i], exact[i], `sample ${i}`);
  assert.is(truePeaksOver(bursts(1, 48000).map((v) => v * 0.1), ceiling), undefined, 'quiet audio: nothing over');
});

test('the limiter gives the same samples as one that interpolates every sample (chunk after chunk, state carried)', () => {
  const ceiling = 10 ** (-1.5 / 20);
  // The reference: the same look-ahead, release and averaging over the full true-peak envelope.
  const reference = (chunks: Float32Array[]): Float32Array[] => {
    const L = Math.round(0.002 * 24000);
    const release = 1 - Math.exp(-1 / (0.08 * 24000));
    let gain = 1;
    return chunks.map((c) => {
      const x = Float32Array.from(c);
      const env = truePeakEnvelope(x);
      if (!env.some((e) => e > ceiling) && gain >= 1) return x;
      const held = new Float32Array(x.length);
      for (let i = 0; i < x.length; i++) {
        let g = 1;
        for (let k = i; k < Math.min(x.length, i + L); k++) if (env[k]! > ceiling) g = Math.min(g, ceiling / env[k]!);
        gain = Math.min(g, gain + (1 - gain) * release);
        held[i] = gain;
      }
      const hist = new Float32Array(L).fill(held[0]!);
      let sum = held[0]! * L;
      for (let i = 0; i < x.length; i++) {
        sum += held[i]! - hist[i % L]!;
        hist[i % L] = held[i]!;
        x[i]! *= sum / L;
      }
      return x;
    });
  };
  const chunks = [1, 2, 3, 4].map((seed) => bursts(seed, 30000 + seed * 777));
  chunks.splice(2, 0, bursts(9, 20000).map((v) => v * 0.05)); // a quiet chunk while the gain recovers
  const limiter = new TruePeakLimiter(24000, ceiling);
  const ours = chunks.map((c) => limiter.process(Float32Array.from(c)));
  const want = reference(chunks);
  ours.forEach((o, k) => assert.equal(Array.from(o), Array.from(want[k]!), `chunk ${k}`));
});

test('the normalizer brings quiet and loud audio to the target, chunk by chunk, under -1 dBTP', () => {
  for (const amplitude of [0.02, 0.9]) {
    const n = new LoudnessNormalizer(24000, -16);
    const parts: Float32Array[] = [];
    for (let k = 0; k < 6; k++) parts.push(n.process(sine(300 + 50 * k, amplitude, 1.5, 24000)));
    const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    near(integratedLoudness(out, 24000), -16, 1, `amplitude ${amplitude}`);
    assert.ok(toDb(truePeak(out)) <= -1, `true peak ${toDb(truePeak(out))}`);
  }
});

test.run();
