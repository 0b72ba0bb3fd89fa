// The concurrent scenario: one `tts serve-stdin`, with `clients` requests sent at once, in waves,
// until `iterations` requests have been measured. A sample is one request's latency, from sending
// it to its done event (queue wait included: the server serves in order of arrival).
import { TtsClient } from '../serve/client.js';
import type { BenchOptions, ScenarioMeasurement } from './scenarios.js';

export async function runConcurrent(o: BenchOptions): Promise<ScenarioMeasurement> {
  const clients = o.clients ?? 8;
  const args = [...(o.model ? ['--model', o.model] : []), ...(o.voice ? ['--voice', o.voice] : []), '--no-cache'];
  const client = await TtsClient.start({ cacheDir: o.cacheDir, args, stderr: 'ignore' });
  const m: ScenarioMeasurement = { samples: [], errors: 0 };
  let wallMs = 0;
  try {
    const total = o.warmup + o.iterations;
    let started = 0;
    while (started < total) {
      const wave = Math.min(clients, total - started);
      const t0 = performance.now();
      const runs = Array.from({ length: wave }, async (_, k) => {
        const i = started + k;
        const s0 = performance.now();
        const speech = client.speak(o.texts[i % o.texts.length]!, { ...(o.speed ? { speed: o.speed } : {}) });
        try {
          for await (const _c of speech) void _c;
          await speech.done;
          if (i >= o.warmup) m.samples.push(performance.now() - s0);
        } catch {
          if (i >= o.warmup) m.errors!++;
        }
      });
      await Promise.all(runs);
      if (started + wave > o.warmup) wallMs += performance.now() - t0;
      started += wave;
      o.onProgress?.(started, total);
    }
  } finally {
    await client.close();
  }
  m.throughput = { value: (m.samples.length / wallMs) * 1000, unit: 'requests per s' };
  return m;
}
