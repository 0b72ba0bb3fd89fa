// The scheduler under every server (serve-stdin and HTTP); it knows nothing of transports.
//
//   submit ─ prepare (check, split) ─ every chunk cached? ─yes→ streamed at once, no queue, no model
//                                                        └no─→ admitted if the queue has room, else QueueFullError
//
// A request is produced chunk by chunk. Cached chunks are looked up as soon as the consumer wants
// them, never by a worker, so a hit never waits behind synthesis. Chunks that need the model wait
// for one of `workers` synthesis slots, given out round-robin: first across clients (a connection,
// a client id), then across that client's requests, one chunk at a time — so a short text is not
// starved by long ones. Each request runs at most `lookahead` chunks ahead of its consumer (the
// consumer's pace is the backpressure). A request whose signal aborts, or whose consumer stops
// iterating, leaves the queue at once; the one chunk already on a worker finishes and is cached.
import type { AudioChunk, Engine, PreparedSpeech, SynthesisRequest } from '../engine/engine.js';
import { TtsError } from '../engine/errors.js';

export interface SchedulerOptions {
  engine: Engine;
  /** Requests that need synthesis admitted at once; more are refused with QueueFullError. */
  maxQueue: number;
  /** Chunks synthesized at the same time (1 suits a CPU whose cores one inference already uses). */
  workers?: number;
  /** Chunks produced ahead of what the consumer has taken (default 1). */
  lookahead?: number;
}

/** The queue is full: the request was refused before any work was done. */
export class QueueFullError extends Error {
  readonly code = 'QUEUE_FULL';
  constructor(
    readonly limit: number,
    /** A fair estimate of when there will be room, in whole seconds (≥ 1). */
    readonly retryAfterSeconds: number,
  ) {
    super(`The synthesis queue is full (${limit} requests waiting); try again in about ${retryAfterSeconds} s.`);
    this.name = 'QueueFullError';
  }
}

/** One admitted request: iterate it (once) for its chunks, in order. */
export interface Ticket extends AsyncIterable<AudioChunk> {
  /** 'hit' when every chunk was in the cache at admission, else 'miss'. */
  readonly scenario: 'hit' | 'miss';
  readonly chunks: number;
  readonly voice: string;
  readonly model: string;
  /** Requests needing synthesis ahead of this one at admission (0 for hits). */
  readonly position: number;
  /** Gives the request up without iterating it (iterating to the end, or stopping, releases it too). */
  release(): void;
}

export interface SchedulerStats {
  /** Admitted requests that still need synthesis. */
  pendingRequests: number;
  /** Chunks waiting for a synthesis slot. */
  readyChunks: number;
  /** Synthesis slots in use. */
  busyWorkers: number;
  workers: number;
  maxQueue: number;
  synthesizedChunks: number;
  /** Mean synthesis time of a chunk (moving average), ms. */
  chunkMs: number | null;
}

interface Job {
  client: string;
  speech: PreparedSpeech;
  miss: boolean;
  next: number;
  buffered: AudioChunk[];
  /** A chunk of this job is being looked up or synthesized. */
  busy: boolean;
  error: unknown;
  finished: boolean;
  wake: (() => void) | undefined;
}

const cancelled = (): TtsError => new TtsError('CANCELLED', 'Synthesis was cancelled.');

export class Scheduler {
  private readonly workers: number;
  private readonly lookahead: number;
  /** Jobs waiting for a synthesis slot, per client; the map's order is the round-robin ring. */
  private readonly ready = new Map<string, Job[]>();
  private busyWorkers = 0;
  private pending = 0;
  private synthesized = 0;
  private chunkMs: number | null = null;

  constructor(private readonly o: SchedulerOptions) {
    this.workers = Math.max(1, o.workers ?? 1);
    this.lookahead = Math.max(1, o.lookahead ?? 1);
  }

  /**
   * Checks and admits a request. Rejects with the engine's TtsError for a bad request, with
   * QueueFullError when it needs synthesis and the queue is full, and with CANCELLED when
   * `req.signal` aborts first.
   */
  async submit(client: string, req: SynthesisRequest): Promise<Ticket> {
    const speech = await this.o.engine.prepare(req);
    // The whole answer, as an earlier request left it: no chunk lookups, no output stage.
    const whole = await speech.whole();
    if (whole) {
      if (req.signal?.aborted) throw cancelled();
      return { scenario: 'hit', chunks: speech.texts.length, voice: speech.voiceId, model: speech.model, position: 0, release: () => undefined, [Symbol.asyncIterator]: async function* () { yield whole; } };
    }
    let cached = 0;
    while (cached < speech.texts.length && (await speech.isCached(cached))) cached++;
    if (req.signal?.aborted) throw cancelled();
    const miss = cached < speech.texts.length;
    const position = miss ? this.pending : 0;
    if (miss && this.pending >= this.o.maxQueue) throw new QueueFullError(this.o.maxQueue, this.retryAfter());
    const job: Job = { client, speech, miss, next: 0, buffered: [], busy: false, error: undefined, finished: false, wake: undefined };
    if (miss) this.pending++;
    const signal = req.signal;
    const onAbort = (): void => this.fail(job, cancelled());
    signal?.addEventListener('abort', onAbort, { once: true });
    const self = this;
    let iterated = false;
    const iterate = async function* (): AsyncGenerator<AudioChunk> {
      if (iterated) throw new Error('A ticket can be iterated once.');
      iterated = true;
      try {
        self.advance(job);
        for (let i = 0; i < speech.texts.length; i++) {
          while (job.buffered.length === 0) {
            if (job.error) throw job.error;
            await new Promise<void>((r) => (job.wake = r));
          }
          if (job.error) throw job.error;
          const chunk = job.buffered.shift()!;
          self.advance(job);
          yield chunk;
        }
      } finally {
        signal?.removeEventListener('abort', onAbort);
        self.finish(job);
      }
    };
    return { scenario: miss ? 'miss' : 'hit', chunks: speech.texts.length, voice: speech.voiceId, model: speech.model, position, release: () => (signal?.removeEventListener('abort', onAbort), this.finish(job)), [Symbol.asyncIterator]: () => speech.output(iterate())[Symbol.asyncIterator]() };
  }

  /** Starts the job's next chunk when it may run ahead: from the cache now, or queued for a slot. */
  private advance(job: Job): void {
    if (job.finished || job.busy || job.error || job.next >= job.speech.texts.length || job.buffered.length >= this.lookahead) return;
    job.busy = true;
    const index = job.next;
    job.speech.cached(index).then(
      (hit) => {
        if (job.finished || job.error) return;
        if (hit) return this.deliver(job, hit);
        const list = this.ready.get(job.client);
        if (list) list.push(job);
        else this.ready.set(job.client, [job]);
        this.dispatch();
      },
      (err: unknown) => this.fail(job, err),
    );
  }

  private deliver(job: Job, chunk: AudioChunk): void {
    job.busy = false;
    job.next++;
    job.buffered.push(chunk);
    this.wake(job);
    this.advance(job);
  }

  /** Hands free synthesis slots to waiting chunks, round-robin over clients, then their jobs. */
  private dispatch(): void {
    while (this.busyWorkers < this.workers) {
      const job = this.take();
      if (!job) return;
      this.busyWorkers++;
      const started = performance.now();
      job.speech.synthesize(job.next).then(
        (chunk) => {
          this.busyWorkers--;
          this.synthesized++;
          const ms = performance.now() - started;
          this.chunkMs = this.chunkMs === null ? ms : 0.9 * this.chunkMs + 0.1 * ms;
          if (!job.finished && !job.error) this.deliver(job, chunk);
          this.dispatch();
        },
        (err: unknown) => {
          this.busyWorkers--;
          this.fail(job, err);
          this.dispatch();
        },
      );
    }
  }

  /** The next job to get a slot: the first client in the ring, which then moves to its end. */
  private take(): Job | undefined {
    for (const [client, list] of this.ready) {
      this.ready.delete(client);
      const job = list.shift();
      if (list.length) this.ready.set(client, list);
      if (job) return job;
    }
    return undefined;
  }

  private unqueue(job: Job): void {
    const list = this.ready.get(job.client);
    if (!list) return;
    const i = list.indexOf(job);
    if (i >= 0) list.splice(i, 1);
    if (!list.length) this.ready.delete(job.client);
  }

  private fail(job: Job, err: unknown): void {
    if (job.finished || job.error) return;
    job.error = err;
    this.unqueue(job);
    this.wake(job);
  }

  private finish(job: Job): void {
    if (job.finished) return;
    job.finished = true;
    this.unqueue(job);
    if (job.miss) this.pending--;
  }

  private wake(job: Job): void {
    const w = job.wake;
    job.wake = undefined;
    w?.();
  }

  private retryAfter(): number {
    const per = this.chunkMs ?? 1000;
    return Math.max(1, Math.ceil((this.pending * per) / this.workers / 1000));
  }

  stats(): SchedulerStats {
    let ready = 0;
    for (const list of this.ready.values()) ready += list.length;
    return {
      pendingRequests: this.pending,
      readyChunks: ready,
      busyWorkers: this.busyWorkers,
      workers: this.workers,
      maxQueue: this.o.maxQueue,
      synthesizedChunks: this.synthesized,
      chunkMs: this.chunkMs,
    };
  }
}
