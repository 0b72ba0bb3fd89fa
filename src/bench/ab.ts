// `tts bench --ab 'BASE' 'NEW'`: two builds (or models, or settings) measured in one session. Each
// command is a shell command that runs some tts (`node /old/bin/run.js`, `env TTS_CACHE_DIR=… tts`);
// both are started as `serve-stdin` servers, cache off, and every round sends the same text to each,
// in a random (seeded) order. Round i of base and round i of new ran side by side, under the same
// load, so comparing them pair by pair cancels most of a shared machine's drift.
import { TtsError } from '../engine/errors.js';
import { tuningEnv } from '../engine/session-tuning.js';
import { TtsClient } from '../serve/client.js';
import { newSeries, procMeter, pushSample } from './resources.js';
import { RESOURCES_OF, type BenchOptions, type ScenarioMeasurement } from './scenarios.js';
import { mulberry32 } from './stats/prng.js';

export interface AbOptions extends Pick<BenchOptions, 'texts' | 'iterations' | 'warmup' | 'voice' | 'speed' | 'model' | 'session' | 'onProgress'> {
  commands: [string, string];
  seed?: number;
}

export async function runAb(o: AbOptions): Promise<[ScenarioMeasurement, ScenarioMeasurement]> {
  const args = [...(o.model ? ['--model', o.model] : []), ...(o.voice ? ['--voice', o.voice] : []), '--no-cache'];
  const clients: TtsClient[] = [];
  try {
    // Both start at once (half the wait); allSettled so that one that did start is still closed.
    const started = await Promise.allSettled(o.commands.map((command) => TtsClient.start({ command, args, stderr: 'ignore', ...(o.session ? { env: tuningEnv(o.session) } : {}) })));
    for (const s of started) if (s.status === 'fulfilled') clients.push(s.value);
    started.forEach((s, k) => {
      if (s.status === 'rejected') failed(o.commands[k]!, s.reason as Error);
    });
    const sides = clients.map((c) => ({ client: c, meter: procMeter(c.pid), m: { samples: [], resources: newSeries(RESOURCES_OF.ab) } as ScenarioMeasurement }));
    const random = mulberry32(o.seed ?? 1);
    const total = o.warmup + o.iterations;
    for (let i = 0; i < total; i++) {
      const order = random() < 0.5 ? [0, 1] : [1, 0];
      for (const k of order) {
        const side = sides[k]!;
        side.meter?.start();
        const t0 = performance.now();
        const speech = side.client.speak(o.texts[i % o.texts.length]!, { ...(o.speed ? { speed: o.speed } : {}) });
        for await (const _ of speech) void _;
        await speech.done;
        const ms = performance.now() - t0;
        const used = side.meter?.stop();
        if (i < o.warmup) continue;
        side.m.samples.push(ms);
        if (used) pushSample(side.m.resources!, used);
      }
      o.onProgress?.(i + 1, total);
    }
    for (const s of sides) if (s.m.resources!.userMs.length !== s.m.samples.length) delete s.m.resources;
    return [sides[0]!.m, sides[1]!.m];
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}

function failed(command: string, err: Error): never {
  throw new TtsError('BAD_INPUT', `\`${command} serve-stdin\` did not start: ${err.message}.`, `Give --ab a simple command that runs tts, e.g. 'node /path/to/old/bin/run.js'; check it with \`${command} --version\`.`);
}
