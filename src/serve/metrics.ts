// Prometheus metrics of `tts serve`, with prom-client (the maintained Node client): its own registry
// per server, so tests and several servers in one process do not collide.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Engine } from '../engine/engine.js';
import type { Scheduler } from './scheduler.js';

const SECONDS = [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30];

export type Scenario = 'hit' | 'miss';

export class ServeMetrics {
  readonly registry = new Registry();
  private readonly latency: Histogram<'scenario' | 'voice'>;
  private readonly ttfa: Histogram<'scenario' | 'voice'>;
  private readonly requests: Counter<'scenario' | 'status'>;
  private readonly errors: Counter<'code'>;
  private readonly modelLoad: Gauge<'model'>;

  constructor(engine: Engine, scheduler: Scheduler) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'tts_' });
    this.latency = new Histogram({ name: 'tts_request_duration_seconds', help: 'Time from request received to the last byte of audio written.', labelNames: ['scenario', 'voice'], buckets: SECONDS, registers });
    this.ttfa = new Histogram({ name: 'tts_time_to_first_audio_seconds', help: 'Time from request received to the first audio chunk written.', labelNames: ['scenario', 'voice'], buckets: SECONDS, registers });
    this.requests = new Counter({ name: 'tts_requests_total', help: 'Speech requests answered, by scenario (hit: every chunk cached) and outcome.', labelNames: ['scenario', 'status'], registers });
    this.errors = new Counter({ name: 'tts_errors_total', help: 'Requests that failed or were refused, by error code.', labelNames: ['code'], registers });
    this.modelLoad = new Gauge({ name: 'tts_model_load_seconds', help: 'Time the model took to load.', labelNames: ['model'], registers });
    new Gauge({ name: 'tts_queue_depth', help: 'Admitted requests still needing synthesis.', registers, collect() {
      this.set(scheduler.stats().pendingRequests);
    } });
    new Gauge({ name: 'tts_queue_ready_chunks', help: 'Chunks waiting for a synthesis slot.', registers, collect() {
      this.set(scheduler.stats().readyChunks);
    } });
    new Gauge({ name: 'tts_synthesis_busy', help: 'Synthesis slots in use.', registers, collect() {
      this.set(scheduler.stats().busyWorkers);
    } });
    new Gauge({ name: 'tts_queue_limit', help: 'Requests that may wait for synthesis before new ones get 429.', registers, collect() {
      this.set(scheduler.stats().maxQueue);
    } });
    let synthesized = 0;
    new Counter({ name: 'tts_chunks_synthesized_total', help: 'Chunks the model synthesized (cache misses that ran).', registers, collect() {
      const n = scheduler.stats().synthesizedChunks;
      this.inc(n - synthesized);
      synthesized = n;
    } });
    new Gauge({ name: 'tts_cache_hit_ratio', help: 'Audio cache hits / lookups (chunks) since start.', registers, collect() {
      this.set(engine.stats().cache.hitRate);
    } });
  }

  modelLoaded(model: string, ms: number): void {
    this.modelLoad.set({ model }, ms / 1000);
  }

  firstAudio(scenario: Scenario, voice: string, ms: number): void {
    this.ttfa.observe({ scenario, voice }, ms / 1000);
  }

  done(scenario: Scenario, voice: string, ms: number): void {
    this.latency.observe({ scenario, voice }, ms / 1000);
    this.requests.inc({ scenario, status: 'ok' });
  }

  failed(code: string, scenario?: Scenario): void {
    this.errors.inc({ code });
    if (scenario) this.requests.inc({ scenario, status: 'error' });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
