// The `http` bench scenario: load on a running `tts serve` (or a load balancer in front of several),
// through POST /v1/audio/speech, as real clients would send it.
//
//   open loop     requests arrive at --rate per second (Poisson arrivals), whatever the server's pace
//   closed loop   --users users, each sending a request, reading the whole answer, then thinking
//                 --think ms (uniformly 0.5–1.5×) before the next
//   background    --background-misses requests that always miss, kept in flight during the run
//                 (to see what cache hits cost while the model is saturated)
//
// A request repeats a phrase from a small warmed pool with probability --repeat, else speaks a
// phrase never sent before. Reported: latency and time to first audio (first body byte), by
// scenario (the server's X-Cache: hit or miss), throughput, errors by code, and the server's
// CPU seconds per request (from its /metrics, when it is a single server).
import { Agent, request } from 'node:http';
import { TtsError } from '../engine/errors.js';
import { mulberry32 } from './stats/prng.js';
import { quantileSorted, sortedCopy } from './stats/quantile.js';

export interface HttpLoadOptions {
  /** Base URL of the server, e.g. http://127.0.0.1:8880. */
  url: string;
  /** Open loop: arrivals per second. */
  rate?: number;
  /** Closed loop: number of users. */
  users?: number;
  /** Closed loop: mean think time between a user's requests (ms). */
  thinkMs?: number;
  durationMs: number;
  /** Share of requests (0–1) that repeat a phrase of the warmed pool. */
  repeat: number;
  /** Requests that always miss, kept in flight during the run (not counted in the results). */
  backgroundMisses?: number;
  /** Phrases of the repeated pool (warmed before the run). */
  pool: string[];
  voice?: string;
  speed?: number;
  seed?: number;
  onProgress?: (doneMs: number, totalMs: number) => void;
}

export interface Sample {
  scenario: 'hit' | 'miss' | 'error';
  latencyMs: number;
  ttfaMs: number | null;
  code?: string;
}

export interface Summary {
  n: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  mean: number | null;
}

export interface HttpLoadReport {
  requests: number;
  ok: number;
  errors: number;
  errorsByCode: Record<string, number>;
  /** Completed requests per second of the run. */
  throughput: number;
  /** Share of successful requests the server answered as full cache hits. */
  hitRate: number;
  latency: Record<'all' | 'hit' | 'miss', Summary>;
  ttfa: Record<'all' | 'hit' | 'miss', Summary>;
  /** Server CPU seconds per request (process_cpu_seconds_total delta / requests), when readable. */
  cpuSecondsPerRequest: number | null;
  backgroundCompleted: number;
  samples: Sample[];
}

const WORDS = ['amber', 'basil', 'cobalt', 'delta', 'ember', 'fjord', 'garnet', 'harbor', 'indigo', 'juniper', 'kestrel', 'lagoon', 'meadow', 'nectar', 'orchid', 'pebble', 'quartz', 'raven', 'saffron', 'timber', 'umber', 'violet', 'willow', 'yarrow', 'zephyr'];

function summarizeMs(values: number[]): Summary {
  if (!values.length) return { n: 0, p50: null, p95: null, p99: null, mean: null };
  const s = sortedCopy(values);
  return { n: s.length, p50: quantileSorted(s, 0.5), p95: quantileSorted(s, 0.95), p99: quantileSorted(s, 0.99), mean: values.reduce((a, b) => a + b, 0) / s.length };
}

/** One speech request: latency, time to first body byte, and the server's X-Cache verdict. */
function speak(agent: Agent, url: string, body: object): Promise<Sample> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let ttfa: number | null = null;
    const fail = (code: string): void => resolve({ scenario: 'error', latencyMs: performance.now() - t0, ttfaMs: ttfa, code });
    const req = request(`${url}/v1/audio/speech`, { method: 'POST', agent, headers: { 'Content-Type': 'application/json' } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => {
        ttfa ??= performance.now() - t0;
        if (res.statusCode !== 200) parts.push(d);
      });
      res.on('aborted', () => fail('TRUNCATED'));
      res.on('error', () => fail('TRUNCATED'));
      res.on('end', () => {
        if (res.statusCode !== 200) {
          let code = `HTTP_${res.statusCode}`;
          try {
            code = (JSON.parse(Buffer.concat(parts).toString()) as { error: { code: string } }).error.code ?? code;
          } catch {
            /* not our JSON */
          }
          return fail(code);
        }
        resolve({ scenario: res.headers['x-cache'] === 'hit' ? 'hit' : 'miss', latencyMs: performance.now() - t0, ttfaMs: ttfa });
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => fail(err.code ?? 'CONNECTION'));
    req.end(JSON.stringify(body));
  });
}

async function serverCpuSeconds(url: string): Promise<number | null> {
  try {
    const text = await (await fetch(`${url}/metrics`)).text();
    const m = /^tts_process_cpu_seconds_total (\S+)$/m.exec(text);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

export async function runHttpLoad(o: HttpLoadOptions): Promise<HttpLoadReport> {
  if (!o.rate === !o.users) throw new Error('Give either a rate (open loop) or a number of users (closed loop).');
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const rand = mulberry32(o.seed ?? 1);
  const run = `${Date.now().toString(36)}`;
  let unique = 0;
  const fresh = (): string => {
    const n = unique++;
    const w = (k: number): string => WORDS[Math.floor(rand() * WORDS.length)]! + (k === 0 ? ` ${run}` : '');
    return `Phrase ${n} ${Array.from({ length: 12 }, (_, k) => w(k)).join(' ')}.`;
  };
  const body = (input: string): object => ({ model: 'tts-1', input, response_format: 'pcm', ...(o.voice ? { voice: o.voice } : {}), ...(o.speed ? { speed: o.speed } : {}) });
  const next = (): string => (rand() < o.repeat && o.pool.length ? o.pool[Math.floor(rand() * o.pool.length)]! : fresh());

  for (const p of o.pool) {
    // Warm the pool: these are the repeats.
    const warm = await speak(agent, o.url, body(p));
    if (warm.scenario === 'error') throw new Error(`${o.url}/v1/audio/speech answered ${warm.code}`);
  }
  const samples: Sample[] = [];
  const cpu0 = await serverCpuSeconds(o.url);
  const t0 = performance.now();
  const end = t0 + o.durationMs;
  let stop = false;
  let background = 0;
  const backgroundLoops = Array.from({ length: o.backgroundMisses ?? 0 }, async () => {
    while (!stop) {
      await speak(agent, o.url, body(fresh()));
      background++;
    }
  });
  const inFlight = new Set<Promise<void>>();
  const fire = (): Promise<void> => {
    const p = speak(agent, o.url, body(next())).then((s) => void samples.push(s));
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    return p;
  };
  const progress = setInterval(() => o.onProgress?.(Math.min(performance.now() - t0, o.durationMs), o.durationMs), 250);
  try {
    if (o.rate) {
      while (performance.now() < end) {
        void fire();
        await new Promise((r) => setTimeout(r, (-Math.log(1 - rand()) / o.rate!) * 1000));
      }
    } else {
      const think = o.thinkMs ?? 0;
      await Promise.all(
        Array.from({ length: o.users! }, async () => {
          await new Promise((r) => setTimeout(r, rand() * think)); // users start spread over one think time
          while (performance.now() < end) {
            await fire();
            if (think) await new Promise((r) => setTimeout(r, think * (0.5 + rand())));
          }
        }),
      );
    }
    await Promise.all(inFlight);
  } finally {
    clearInterval(progress);
    stop = true;
  }
  const wallMs = performance.now() - t0;
  const cpu1 = await serverCpuSeconds(o.url);
  await Promise.all(backgroundLoops);
  agent.destroy();

  const ok = samples.filter((s) => s.scenario !== 'error');
  const errorsByCode: Record<string, number> = {};
  for (const s of samples) if (s.code) errorsByCode[s.code] = (errorsByCode[s.code] ?? 0) + 1;
  const by = (sc: 'hit' | 'miss' | 'all', f: (s: Sample) => number | null): Summary =>
    summarizeMs(ok.filter((s) => sc === 'all' || s.scenario === sc).map(f).filter((v): v is number => v !== null));
  return {
    requests: samples.length,
    ok: ok.length,
    errors: samples.length - ok.length,
    errorsByCode,
    throughput: (ok.length / wallMs) * 1000,
    hitRate: ok.length ? ok.filter((s) => s.scenario === 'hit').length / ok.length : 0,
    latency: { all: by('all', (s) => s.latencyMs), hit: by('hit', (s) => s.latencyMs), miss: by('miss', (s) => s.latencyMs) },
    ttfa: { all: by('all', (s) => s.ttfaMs), hit: by('hit', (s) => s.ttfaMs), miss: by('miss', (s) => s.ttfaMs) },
    cpuSecondsPerRequest: cpu0 !== null && cpu1 !== null && samples.length + background > 0 ? (cpu1 - cpu0) / (samples.length + background) : null,
    backgroundCompleted: background,
    samples,
  };
}

/** A plain-text table of a report (for the bench command and the README). */
export function formatHttpReport(r: HttpLoadReport): string {
  const ms = (v: number | null): string => (v === null ? '-' : v.toFixed(1));
  const rows = [['', 'n', 'P50 ms', 'P95 ms', 'P99 ms', 'TTFA P50', 'TTFA P95']];
  for (const k of ['all', 'hit', 'miss'] as const) rows.push([k, String(r.latency[k].n), ms(r.latency[k].p50), ms(r.latency[k].p95), ms(r.latency[k].p99), ms(r.ttfa[k].p50), ms(r.ttfa[k].p95)]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const table = rows.map((row) => row.map((c, i) => c.padStart(widths[i]!)).join('  ')).join('\n');
  const errs = Object.entries(r.errorsByCode).map(([k, v]) => `${k}: ${v}`).join(', ') || 'none';
  return `${table}\nrequests ${r.requests}, ok ${r.ok}, errors ${r.errors} (${errs}); throughput ${r.throughput.toFixed(2)} req/s; hit rate ${(r.hitRate * 100).toFixed(1)} %` +
    (r.backgroundCompleted ? `; background misses completed ${r.backgroundCompleted}` : '') +
    (r.cpuSecondsPerRequest !== null ? `; server CPU ${(r.cpuSecondsPerRequest * 1000).toFixed(1)} ms per request` : '');
}

/** The bench scenario: samples are request latencies; the breakdown goes in `detail`. */
export async function httpScenario(o: import('./scenarios.js').BenchOptions): Promise<import('./scenarios.js').ScenarioMeasurement> {
  if (!o.http || (!o.http.rate && !o.http.users)) throw new TtsError('BAD_INPUT', 'The http scenario needs a load.', 'Add --rate N (open loop) or --users N --think MS (closed loop), and --url of a running `tts serve`.');
  const r = await runHttpLoad({
    ...o.http,
    pool: o.texts.slice(0, 20),
    ...(o.voice ? { voice: o.voice } : {}),
    ...(o.speed ? { speed: o.speed } : {}),
    ...(o.onProgress ? { onProgress: (d: number, t: number) => o.onProgress!(Math.round(d / 1000), Math.round(t / 1000)) } : {}),
  }).catch((err: Error) => {
    throw new TtsError('IO_ERROR', `Load on ${o.http!.url} failed: ${err.message}`, 'Start the server first: tts serve --port 8880.');
  });
  if (r.ok < 3) throw new TtsError('BAD_INPUT', `Only ${r.ok} requests to ${o.http.url} succeeded (${JSON.stringify(r.errorsByCode)}).`, 'Is `tts serve` running there? Check with curl URL/readyz.');
  return {
    samples: r.samples.filter((s) => s.scenario !== 'error').map((s) => s.latencyMs),
    errors: r.errors,
    hitRate: r.hitRate,
    throughput: { value: r.throughput, unit: 'requests per s' },
    detail: formatHttpReport(r),
  };
}
