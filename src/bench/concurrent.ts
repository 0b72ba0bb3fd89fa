// The scenarios run through `tts serve-stdin` and its client. A sample is one request's latency,
// from sending it to its done event (queue wait included: the server serves in order of arrival).
//   serve         one request at a time, cache off (a warm miss)
//   serve-cached  one request at a time, every text already cached (a hit)
//   concurrent    `clients` requests sent at once, in waves, cache off
import { tuningEnv } from '../engine/session-tuning.js';
import { TtsClient } from '../serve/client.js';
import type { BenchOptions, ScenarioMeasurement } from './scenarios.js';

export async function runServe(o: BenchOptions, mode: { clients: number; cache: boolean }): Promise<ScenarioMeasurement> {
  const clients = mode.clients;
  const args = [...(o.model ? ['--model', o.model] : []), ...(o.voice ? ['--voice', o.voice] : []), ...(mode.cache ? [] : ['--no-cache'])];
  const client = await TtsClient.start({ cacheDir: o.cacheDir, args, stderr: 'ignore', ...(o.session ? { env: tuningEnv(o.session) } : {}) });
  const m: ScenarioMeasurement = { samples: [], errors: 0 };
  let wallMs = 0;
  let hits = 0;
  let lookups = 0;
  try {
    if (mode.cache) {
      for (const text of o.texts) for await (const _ of client.speak(text, { ...(o.speed ? { speed: o.speed } : {}) })) void _;
    }
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
          const done = await speech.done;
          if (i >= o.warmup) {
            m.samples.push(performance.now() - s0);
            hits += done?.cache.hits ?? 0;
            lookups += (done?.cache.hits ?? 0) + (done?.cache.misses ?? 0);
          }
        } catch {
          if (i >= o.warmup) m.errors!++;
        }
      });
      await Promise.all(runs);
      if (started + wave > o.warmup) wallMs += performance.now() - t0;
      started += wave;
      o.onProgress?.(started, total);
    }
    if (mode.cache) m.hitRate = lookups ? hits / lookups : 0;
  } finally {
    await client.close();
  }
  m.throughput = { value: (m.samples.length / wallMs) * 1000, unit: 'requests per s' };
  return m;
}
