// serve-stdin: one warm engine behind the JSON-lines protocol (protocol.ts, docs/serve-stdin.md).
// Requests are queued and served in order of arrival (`parallel` > 1 allows that many at once).
// Every request id gets exactly one terminal event: done, error or cancelled. Output waits for
// the reader: an audio event is written only when stdout has room, the engine's look-ahead is one
// chunk, and stdin is not read while stdout is backed up, so a slow reader cannot make memory grow.
import type { Writable } from 'node:stream';
import type { AudioChunk, Engine } from '../engine/engine.js';
import { isTtsError, TtsError } from '../engine/errors.js';
import { pcm16Bytes } from '../engine/audio/pcm.js';
import { LineReader } from './line-reader.js';
import { LatencyMonitor } from './monitor.js';
import { parseLine, PROTOCOL_VERSION, ProtocolError, type Output, type ServerEvent, type SpeakRequest } from './protocol.js';

export interface ServerOptions {
  engine: Engine;
  out: Writable;
  log: (line: string) => void;
  output: Output;
  voice?: string;
  speed?: number;
  model?: string;
  parallel: number;
  maxQueue: number;
  maxLineBytes: number;
  monitorWindow: number;
  warnP95Ms?: number;
}

interface Job {
  req: SpeakRequest;
  acceptedAt: number;
  abort: AbortController;
  cancelled: boolean;
}

export class Server {
  private readonly queue: Job[] = [];
  private readonly running = new Map<string, Job>();
  private readonly reader: LineReader;
  private readonly monitor: LatencyMonitor;
  private readonly counts = { accepted: 0, done: 0, errors: 0, cancelled: 0 };
  private readonly startedAt = performance.now();
  private idleWaiters: (() => void)[] = [];
  private stopping = false;
  private onShutdown: (() => void) | undefined;

  constructor(private readonly o: ServerOptions) {
    this.reader = new LineReader(o.maxLineBytes);
    this.monitor = new LatencyMonitor(o.monitorWindow, o.warnP95Ms ?? null, (m) => o.log(`tts serve-stdin: warning: ${m}`));
  }

  /** Writes one event; resolves once stdout has room again (backpressure). */
  emit(e: ServerEvent): Promise<void> {
    const ok = this.o.out.write(JSON.stringify(e) + '\n');
    return ok ? Promise.resolve() : new Promise((res) => this.o.out.once('drain', () => res()));
  }

  /** True while stdout is backed up: the caller should stop reading stdin. */
  get congested(): boolean {
    return this.o.out.writableNeedDrain;
  }

  async announceReady(lazy: boolean): Promise<void> {
    let model: string | null = null;
    let voice: string | null = null;
    let provider: string | null = null;
    try {
      const rv = this.o.engine.resolve(this.voiceRequest());
      model = rv.model.manifest.id;
      voice = rv.voiceId;
      if (!lazy) provider = (await this.o.engine.preload(this.voiceRequest())).provider;
    } catch (err) {
      if (!isTtsError(err)) throw err;
      this.o.log(`tts serve-stdin: ${err.message}${err.hint ? ` ${err.hint}` : ''}`);
    }
    await this.emit({ event: 'ready', protocol: PROTOCOL_VERSION, model, voice, provider, lazy });
  }

  private voiceRequest(): { voice?: string; model?: string } {
    return { ...(this.o.voice ? { voice: this.o.voice } : {}), ...(this.o.model ? { model: this.o.model } : {}) };
  }

  /** Feeds bytes from stdin. */
  feed(chunk: Buffer): void {
    for (const r of this.reader.push(chunk)) this.handle(r);
  }

  /** Stdin ended: handle a last unterminated line. */
  endOfInput(): void {
    for (const r of this.reader.end()) this.handle(r);
  }

  private handle(r: ReturnType<LineReader['push']>[number]): void {
    if (!r.ok) {
      const message =
        r.reason === 'too-long'
          ? `Line ${r.lineNo} has ${r.bytes} bytes, over the ${this.o.maxLineBytes}-byte limit; it was skipped.`
          : `Line ${r.lineNo} is not valid UTF-8; it was skipped.`;
      this.counts.errors++;
      void this.emit({ event: 'error', id: null, code: r.reason === 'too-long' ? 'LINE_TOO_LONG' : 'BAD_UTF8', message });
      return;
    }
    try {
      const msg = parseLine(r.line, r.lineNo, { output: this.o.output });
      if (!msg) return;
      if (msg.type === 'speak') this.accept(msg);
      else if (msg.type === 'cancel') this.cancel(msg.id);
      else if (msg.type === 'stats') void this.emit({ event: 'stats', ...(msg.id ? { id: msg.id } : {}), ...this.stats() });
      else this.onShutdown?.();
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      this.counts.errors++;
      void this.emit({ event: 'error', id: err.id, code: err.code, message: err.message });
    }
  }

  private accept(req: SpeakRequest): void {
    if (this.stopping) throw new ProtocolError('BAD_REQUEST', 'The server is shutting down.', req.id);
    if (this.running.has(req.id) || this.queue.some((j) => j.req.id === req.id)) {
      throw new ProtocolError('DUPLICATE_ID', `Request id "${req.id}" is already queued or running; ids must be unique.`, req.id);
    }
    if (this.queue.length >= this.o.maxQueue) throw new ProtocolError('QUEUE_FULL', `The queue is full (${this.o.maxQueue} requests); try again later.`, req.id);
    this.queue.push({ req, acceptedAt: performance.now(), abort: new AbortController(), cancelled: false });
    this.counts.accepted++;
    void this.emit({ event: 'accepted', id: req.id, position: this.queue.length + this.running.size - 1 });
    this.pump();
  }

  cancel(id: string): void {
    const i = this.queue.findIndex((j) => j.req.id === id);
    if (i >= 0) {
      const [job] = this.queue.splice(i, 1);
      this.counts.cancelled++;
      void this.emit({ event: 'cancelled', id: job!.req.id });
      this.checkIdle();
      return;
    }
    const job = this.running.get(id);
    if (job) {
      job.cancelled = true;
      job.abort.abort();
      return; // the running job emits `cancelled` when it has stopped
    }
    throw new ProtocolError('UNKNOWN_ID', `No queued or running request has id "${id}".`, id);
  }

  private pump(): void {
    while (this.running.size < this.o.parallel && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running.set(job.req.id, job);
      void this.run(job).finally(() => {
        this.running.delete(job.req.id);
        this.pump();
        this.checkIdle();
      });
    }
  }

  private async run(job: Job): Promise<void> {
    const { req } = job;
    const started = performance.now();
    let firstChunkAt: number | null = null;
    let chunks = 0;
    let samples = 0;
    let rate = 0;
    let hits = 0;
    let misses = 0;
    try {
      const stream = this.o.engine.synthesize({
        text: req.text,
        ...this.voiceRequest(),
        ...(req.voice ? { voice: req.voice } : {}),
        speed: req.speed ?? this.o.speed ?? 1,
        signal: job.abort.signal,
      });
      const counted = async function* (this: Server): AsyncGenerator<AudioChunk> {
        for await (const c of stream) {
          if (job.cancelled) return;
          firstChunkAt ??= performance.now();
          chunks++;
          samples += c.pcm.length;
          rate = c.sampleRate;
          if (c.cached) hits++;
          else misses++;
          yield c;
        }
      }.call(this);
      if (req.output === 'stream') {
        let seq = 0;
        for await (const c of counted) {
          await this.emit({ event: 'audio', id: req.id, seq: seq++, sampleRate: c.sampleRate, samples: c.pcm.length, pcm: pcm16Bytes(c.pcm).toString('base64'), text: c.text });
          if (job.cancelled) break;
        }
      } else if (req.output === 'file') {
        const { writeAudioFile } = await import('../engine/sinks/audio-file.js');
        await writeAudioFile(req.path!, counted, { signal: job.abort.signal });
      } else {
        const { playChunks } = await import('../engine/sinks/speaker.js');
        await playChunks(counted, { signal: job.abort.signal });
      }
      if (job.cancelled) throw new TtsError('CANCELLED', 'cancelled');
      const end = performance.now();
      this.counts.done++;
      const firstChunkMs = firstChunkAt === null ? null : firstChunkAt - job.acceptedAt;
      if (firstChunkMs !== null) this.monitor.add(firstChunkMs);
      await this.emit({
        event: 'done',
        id: req.id,
        chunks,
        audioMs: rate ? (samples / rate) * 1000 : 0,
        timings: { queueMs: started - job.acceptedAt, firstChunkMs, totalMs: end - job.acceptedAt },
        cache: { hits, misses },
        ...(req.output === 'file' ? { path: req.path! } : {}),
      });
    } catch (err) {
      if (job.cancelled || (isTtsError(err) && err.code === 'CANCELLED')) {
        this.counts.cancelled++;
        await this.emit({ event: 'cancelled', id: req.id });
        return;
      }
      this.counts.errors++;
      const e = isTtsError(err) ? err : new TtsError('INTERNAL', (err as Error).message ?? String(err));
      await this.emit({ event: 'error', id: req.id, code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) });
    }
  }

  stats(): Record<string, unknown> {
    const s = this.o.engine.stats();
    return {
      protocol: PROTOCOL_VERSION,
      uptimeMs: Math.round(performance.now() - this.startedAt),
      requests: { ...this.counts, queued: this.queue.length, running: this.running.size },
      latency: this.monitor.snapshot(),
      cache: s.cache,
      phonemes: s.phonemes,
      loadedModels: s.loadedModels,
      memory: { rssBytes: process.memoryUsage().rss },
    };
  }

  private checkIdle(): void {
    if (this.queue.length === 0 && this.running.size === 0) {
      const w = this.idleWaiters;
      this.idleWaiters = [];
      for (const f of w) f();
    }
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((res) => this.idleWaiters.push(res));
  }

  /** Called when a shutdown message arrives. */
  onShutdownRequest(f: () => void): void {
    this.onShutdown = f;
  }

  /** Cancels everything queued and running, and waits until each has its terminal event. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const job of [...this.queue]) this.cancel(job.req.id);
    for (const id of [...this.running.keys()]) this.cancel(id);
    await this.idle();
  }
}
