// The benchmark scenarios. Each measures one thing, many times, through the same engine and CLI
// that users run:
//   cold         a fresh `tts say --out /dev/null --no-cache` process per run (start-up + load + synthesis)
//   cold-cached  a fresh `tts say --out /dev/null` process per run, the text already cached
//   warm         a preloaded engine, cache off: time to synthesize the whole text
//   cached       a preloaded engine, every chunk a memory-cache hit
//   cached-disk  a new engine per run (empty memory), every chunk a disk-cache hit
//   stream       a preloaded engine, cache off: time to the first audio chunk (and to the last)
//   serve        one request at a time through `tts serve-stdin`, cache off: request latency
//   serve-cached one request at a time through `tts serve-stdin`, text cached: request latency
//   concurrent   N clients at once against one `tts serve-stdin`: request latency
//   http         load on a running `tts serve` (open or closed loop; see http.ts)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, type SynthesisRequest } from '../engine/engine.js';
import { packageRoot } from '../engine/package-root.js';
import { tuningEnv, type SessionTuning } from '../engine/session-tuning.js';
import { newSeries, pushSample, readTimeOutput, selfMeter, timePrefix, type ResourceSeries } from './resources.js';

export const SCENARIOS = ['cold', 'cold-cached', 'warm', 'cached', 'cached-disk', 'stream', 'serve', 'serve-cached', 'concurrent', 'http'] as const;
/** `ab` is not chosen with --scenario: `tts bench --ab BASE NEW` runs it. */
export type ScenarioName = (typeof SCENARIOS)[number] | 'ab';

/** Every scenario's samples are durations in milliseconds. */
export const SCENARIO_UNIT = 'ms';

export const SCENARIO_METRIC: Record<ScenarioName, string> = {
  cold: 'wall time of one `tts say --out /dev/null --no-cache` process, from spawn to exit',
  'cold-cached': 'wall time of one `tts say --out /dev/null` process whose text is cached, from spawn to exit',
  warm: 'time to synthesize the whole text with the model loaded and the cache off',
  cached: 'time to produce the whole text from the memory cache',
  'cached-disk': 'time to produce the whole text from the disk cache (new engine, empty memory)',
  stream: 'time to first audio: from request to the first chunk, model loaded, cache off',
  serve: 'latency of one request (send → done event) through serve-stdin, cache off, one at a time',
  'serve-cached': 'latency of one request (send → done event) through serve-stdin, text cached, one at a time',
  concurrent: 'latency of one request (send → done event) with N clients at once on one serve-stdin',
  http: 'latency of one POST /v1/audio/speech (send → last byte) under load on a running tts serve',
  ab: 'latency of one request (send → done event) through `COMMAND serve-stdin`, cache off; base and new requests interleaved in random order',
};

/** Whose CPU time and peak memory the scenarios that record them measure, per sample. */
export const RESOURCES_OF = {
  cold: 'the `tts say` process (GNU time)',
  'cold-cached': 'the `tts say` process (GNU time)',
  warm: 'the bench process',
  cached: 'the bench process',
  'cached-disk': 'the bench process',
  stream: 'the bench process',
  ab: 'the serve-stdin process (/proc: CPU to the ns, user/sys split in 10 ms ticks)',
} as const;

export interface BenchOptions {
  cacheDir: string;
  model?: string;
  dtype?: string;
  voice?: string;
  speed?: number;
  texts: string[];
  iterations: number;
  warmup: number;
  /** Clients of the concurrent scenario. */
  clients?: number;
  /** onnxruntime session settings of every session the scenarios load, here or in a child tts. */
  session?: SessionTuning;
  /** The http scenario's load (see http.ts). */
  http?: Omit<import('./http.js').HttpLoadOptions, 'pool' | 'voice' | 'speed' | 'onProgress'>;
  onProgress?: (done: number, total: number) => void;
}

export interface ScenarioMeasurement {
  /** Milliseconds, one per measured run. */
  samples: number[];
  /** Seconds of audio each run produced. */
  audioSeconds?: number[];
  /** Stream: time to the last chunk, per run. */
  totalMs?: number[];
  hitRate?: number;
  errors?: number;
  /** Requests per second (concurrent) or audio seconds per wall second (others). */
  throughput?: { value: number; unit: string };
  provider?: string;
  threads?: number;
  loadMs?: number;
  /** A breakdown to print with the summary (http: by hit/miss). */
  detail?: string;
  /** CPU time and peak RSS per measured run, where the scenario can see the process doing the work. */
  resources?: ResourceSeries;
}

function request(o: BenchOptions, i: number): SynthesisRequest {
  return {
    text: o.texts[i % o.texts.length]!,
    ...(o.model ? { model: o.model } : {}),
    ...(o.dtype ? { dtype: o.dtype } : {}),
    ...(o.voice ? { voice: o.voice } : {}),
    ...(o.speed ? { speed: o.speed } : {}),
  };
}

/** Runs `body` warmup + iterations times, keeping the timings of the measured runs. */
async function repeat(o: BenchOptions, body: (i: number) => Promise<void>): Promise<void> {
  const total = o.warmup + o.iterations;
  for (let i = 0; i < total; i++) {
    await body(i);
    o.onProgress?.(i + 1, total);
  }
}

async function inProcess(o: BenchOptions, scenario: 'warm' | 'cached' | 'cached-disk' | 'stream'): Promise<ScenarioMeasurement> {
  const cache = scenario === 'cached' || scenario === 'cached-disk';
  const session = o.session ?? {};
  let engine = new Engine({ cacheDir: o.cacheDir, cache, session });
  const m: ScenarioMeasurement = { samples: [], audioSeconds: [], ...(scenario === 'stream' ? { totalMs: [] } : {}), resources: newSeries(RESOURCES_OF[scenario]) };
  const meter = selfMeter();
  try {
    if (scenario !== 'cached-disk') {
      const backend = await engine.preload(request(o, 0));
      Object.assign(m, { provider: backend.provider, threads: backend.threads, loadMs: backend.loadMs });
    }
    if (cache) {
      // Every text once, so that each measured run is a hit.
      for (let i = 0; i < o.texts.length; i++) for await (const _ of engine.synthesize(request(o, i))) void _;
    }
    let hits = 0;
    let lookups = 0;
    await repeat(o, async (i) => {
      const measured = i >= o.warmup;
      if (scenario === 'cached-disk' && measured) {
        await engine.close();
        engine = new Engine({ cacheDir: o.cacheDir, cache, session });
      }
      const before = engine.stats().cache;
      meter.start();
      const t0 = performance.now();
      let first = -1;
      let samples = 0;
      let rate = 1;
      for await (const c of engine.synthesize(request(o, i))) {
        if (first < 0) first = performance.now() - t0;
        samples += c.pcm.length;
        rate = c.sampleRate;
      }
      const total = performance.now() - t0;
      const used = meter.stop();
      if (!measured) return;
      if (used) pushSample(m.resources!, used);
      const after = engine.stats().cache;
      hits += after.hits - before.hits;
      lookups += after.hits + after.misses - before.hits - before.misses;
      m.samples.push(scenario === 'stream' ? first : total);
      m.totalMs?.push(total);
      m.audioSeconds!.push(samples / rate);
    });
    if (cache) m.hitRate = lookups > 0 ? hits / lookups : 0;
    const wall = (m.totalMs ?? m.samples).reduce((a, b) => a + b, 0) / 1000;
    m.throughput = { value: m.audioSeconds!.reduce((a, b) => a + b, 0) / wall, unit: 'audio s per s' };
    return m;
  } finally {
    await engine.close();
  }
}

/** Runs the real CLI once and returns its wall time in ms, and its CPU and memory when GNU time is installed. */
function timeCli(args: string[], env: NodeJS.ProcessEnv, usage?: string): Promise<{ ms: number; used?: ReturnType<typeof readTimeOutput> }> {
  const cli = [process.execPath, join(packageRoot(), 'bin', 'run.cjs'), ...args];
  const argv = [...((usage && timePrefix(usage)) || []), ...cli];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('exit', (code) => {
      const ms = performance.now() - t0;
      if (code === 0) resolve({ ms, ...(usage ? { used: readTimeOutput(usage) } : {}) });
      else reject(new Error(`tts ${args[0]} exited with ${code}: ${err.trim()}`));
    });
  });
}

async function coldProcess(o: BenchOptions, cached: boolean): Promise<ScenarioMeasurement> {
  const m: ScenarioMeasurement = { samples: [], resources: newSeries(RESOURCES_OF[cached ? 'cold-cached' : 'cold']) };
  const scratch = mkdtempSync(join(tmpdir(), 'tts-bench-'));
  const usage = join(scratch, 'usage.txt');
  const env = { ...process.env, TTS_CACHE_DIR: o.cacheDir, ...(o.session ? tuningEnv(o.session) : {}) };
  const flags = [
    ...(o.model ? ['--model', o.model] : []),
    ...(o.dtype ? ['--dtype', o.dtype] : []),
    ...(o.voice ? ['--voice', o.voice] : []),
    ...(o.speed ? ['--speed', String(o.speed)] : []),
    ...(cached ? [] : ['--no-cache']),
  ];
  if (cached) for (const text of o.texts) await timeCli(['say', text, '--out', '/dev/null', ...flags], env); // fill the cache
  try {
    await repeat(o, async (i) => {
      const { ms, used } = await timeCli(['say', request(o, i).text, '--out', '/dev/null', ...flags], env, usage);
      if (i < o.warmup) return;
      m.samples.push(ms);
      if (used) pushSample(m.resources!, used);
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (m.resources!.userMs.length !== m.samples.length) delete m.resources; // GNU time is not installed
  return m;
}

export async function runScenario(name: ScenarioName, o: BenchOptions): Promise<ScenarioMeasurement> {
  switch (name) {
    case 'cold':
      return coldProcess(o, false);
    case 'cold-cached':
      return coldProcess(o, true);
    case 'serve':
    case 'serve-cached':
    case 'concurrent': {
      const { runServe } = await import('./concurrent.js');
      return runServe(o, name === 'concurrent' ? { clients: o.clients ?? 8, cache: false } : { clients: 1, cache: name === 'serve-cached' });
    }
    case 'http':
      return (await import('./http.js')).httpScenario(o);
    case 'ab':
      throw new Error('the ab scenario runs through runAb');
    default:
      return inProcess(o, name);
  }
}
