// serve-stdin: one warm engine behind the JSON-lines protocol (protocol.ts, docs/serve-stdin.md).
// Requests go to the shared scheduler (scheduler.ts) as soon as they arrive: cache hits are
// answered at once, misses share the synthesis slots fairly, one chunk at a time, and a full queue
// refuses with QUEUE_FULL. Requests that play on the speakers take turns (there is one speaker).
// Every request id gets exactly one terminal event: done, error or cancelled, and nothing after it
// (an id names one request for the life of the server). Output waits for the reader: an audio
// event is written only when stdout has room, the scheduler runs one chunk ahead of it, and stdin
// is not read while stdout is backed up, so a slow reader cannot make memory grow.
import type { Writable } from 'node:stream';
import type { AudioChunk, Engine } from '../engine/engine.js';
import { isTtsError, TtsError } from '../engine/errors.js';
import { describeSystemError } from '../engine/system-error.js';
import { pcm16Bytes } from '../engine/audio/pcm.js';
import { LineReader } from './line-reader.js';
import { LatencyMonitor } from './monitor.js';
import { parseLine, PROTOCOL_VERSION, ProtocolError, type Output, type ServerEvent, type SpeakRequest } from './protocol.js';
import { QueueFullError, type Scheduler, type Ticket } from './scheduler.js';

export interface ServerOptions {
  engine: Engine;
  scheduler: Scheduler;
  out: Writable;
  log: (line: string) => void;
  output: Output;
  /** How audio events carry PCM: base64 inside the JSON (default), or raw bytes after the line. */
  audioEncoding?: 'base64' | 'binary';
  voice?: string;
  speed?: number;
  model?: string;
  maxLineBytes: number;
  monitorWindow: number;
  warnP95Ms?: number;
  /** Output device for "play" requests (see PlaybackOptions.device). */
  device?: string;
}

interface Job {
  req: SpeakRequest;
  receivedAt: number;
  abort: AbortController;
  cancelled: boolean;
  /** Admitted by the scheduler (an `accepted` event was sent). */
  admitted: boolean;
  /** Its first audio chunk exists. */
  started: boolean;
}

export class Server {
  private readonly jobs = new Map<string, Job>();
  /** Resolves when the last request that plays on the speakers has finished. */
  private speakerTurn: Promise<void> = Promise.resolve();
  /** Every request id that has been used (accepted or refused): an id names one request, once. */
  private readonly usedIds = new Set<string>();
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
  emit(e: ServerEvent, payload?: Buffer): Promise<void> {
    const line = JSON.stringify(e) + '\n';
    const ok = this.o.out.write(payload ? Buffer.concat([Buffer.from(line), payload]) : line);
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
    await this.emit({ event: 'ready', protocol: PROTOCOL_VERSION, model, voice, provider, lazy, audio: this.o.audioEncoding ?? 'base64' });
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
      void this.emit({ event: 'error', id: null, line: r.lineNo, code: r.reason === 'too-long' ? 'LINE_TOO_LONG' : 'BAD_UTF8', message });
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
      this.refuse(err, r.lineNo);
    }
  }

  /**
   * A refused line's error event. It carries the line's id, as that request's one terminal event,
   * only when the line was a speak request with an id never used before; otherwise (a duplicate id,
   * a cancel of an unknown id, a broken line naming a running request) the id belongs to another
   * request or to none, and the event has `id: null` and the line number.
   */
  private refuse(err: ProtocolError, lineNo: number): void {
    const own = err.isRequest && err.id !== null && !this.usedIds.has(err.id);
    if (own) this.usedIds.add(err.id!);
    this.counts.errors++;
    void this.emit({ event: 'error', id: own ? err.id : null, line: lineNo, code: err.code, message: err.message });
  }

  private accept(req: SpeakRequest): void {
    if (this.usedIds.has(req.id)) {
      throw new ProtocolError('DUPLICATE_ID', `Request id "${req.id}" was already used; each request needs an id of its own for the life of the server.`, req.id, true);
    }
    if (this.stopping) throw new ProtocolError('BAD_REQUEST', 'The server is shutting down.', req.id, true);
    this.usedIds.add(req.id);
    const job: Job = { req, receivedAt: performance.now(), abort: new AbortController(), cancelled: false, admitted: false, started: false };
    this.jobs.set(req.id, job);
    void this.run(job).finally(() => {
      this.jobs.delete(req.id);
      this.checkIdle();
    });
  }

  cancel(id: string): void {
    const job = this.jobs.get(id);
    if (!job) throw new ProtocolError('UNKNOWN_ID', `No queued or running request has id "${id}".`, id);
    job.cancelled = true;
    job.abort.abort(); // the job emits `cancelled` when it has stopped
  }

  private async run(job: Job): Promise<void> {
    const { req } = job;
    let firstChunkAt: number | null = null;
    let admittedAt = job.receivedAt;
    let chunks = 0;
    let samples = 0;
    let rate = 0;
    let hits = 0;
    let misses = 0;
    let releaseSpeaker: (() => void) | undefined;
    let ticket: Ticket | undefined;
    try {
      if (req.output === 'play') {
        const turn = this.speakerTurn;
        this.speakerTurn = new Promise<void>((res) => (releaseSpeaker = res));
        await turn;
        if (job.cancelled) throw new TtsError('CANCELLED', 'cancelled');
      }
      ticket = await this.o.scheduler.submit('stdin', {
        text: req.text,
        ...this.voiceRequest(),
        ...(req.voice ? { voice: req.voice } : {}),
        speed: req.speed ?? this.o.speed ?? 1,
        signal: job.abort.signal,
      });
      job.admitted = true;
      admittedAt = performance.now();
      this.counts.accepted++;
      await this.emit({ event: 'accepted', id: req.id, position: ticket.position });
      const chunksOf = ticket;
      const counted = async function* (): AsyncGenerator<AudioChunk> {
        for await (const c of chunksOf) {
          if (job.cancelled) return;
          firstChunkAt ??= performance.now();
          job.started = true;
          chunks++;
          samples += c.pcm.length;
          rate = c.sampleRate;
          if (c.cached) hits++;
          else misses++;
          yield c;
        }
      };
      if (req.output === 'stream') {
        let seq = 0;
        for await (const c of counted()) {
          const bytes = pcm16Bytes(c.pcm);
          const head = { event: 'audio', id: req.id, seq: seq++, sampleRate: c.sampleRate, samples: c.pcm.length, text: c.text } as const;
          if (this.o.audioEncoding === 'binary') await this.emit({ ...head, bytes: bytes.length }, bytes);
          else await this.emit({ ...head, pcm: bytes.toString('base64') });
          if (job.cancelled) break;
        }
      } else if (req.output === 'file') {
        const { writeAudioFile } = await import('../engine/sinks/audio-file.js');
        await writeAudioFile(req.path!, counted(), { signal: job.abort.signal, ...(req.format ? { format: req.format } : {}) });
      } else {
        const { playChunks } = await import('../engine/sinks/speaker.js');
        await playChunks(counted(), { signal: job.abort.signal, ...(this.o.device ? { device: this.o.device } : {}) });
      }
      if (job.cancelled) throw new TtsError('CANCELLED', 'cancelled');
      const end = performance.now();
      this.counts.done++;
      const firstChunkMs = firstChunkAt === null ? null : firstChunkAt - job.receivedAt;
      if (firstChunkMs !== null) this.monitor.add(firstChunkMs);
      await this.emit({
        event: 'done',
        id: req.id,
        chunks,
        audioMs: rate ? (samples / rate) * 1000 : 0,
        timings: { queueMs: admittedAt - job.receivedAt, firstChunkMs, totalMs: end - job.receivedAt },
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
      if (err instanceof QueueFullError) {
        await this.emit({ event: 'error', id: req.id, code: err.code, message: err.message, hint: `Retry after ${err.retryAfterSeconds} s, or raise --max-queue.`, retryAfterSeconds: err.retryAfterSeconds });
        return;
      }
      const e = isTtsError(err) ? err : (describeSystemError(err) ?? new TtsError('INTERNAL', (err as Error).message ?? String(err)));
      await this.emit({ event: 'error', id: req.id, code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) });
    } finally {
      ticket?.release();
      releaseSpeaker?.();
    }
  }

  stats(): Record<string, unknown> {
    const s = this.o.engine.stats();
    return {
      protocol: PROTOCOL_VERSION,
      uptimeMs: Math.round(performance.now() - this.startedAt),
      requests: { ...this.counts, queued: [...this.jobs.values()].filter((j) => !j.started).length, running: [...this.jobs.values()].filter((j) => j.started).length },
      scheduler: this.o.scheduler.stats(),
      latency: this.monitor.snapshot(),
      cache: s.cache,
      phonemes: s.phonemes,
      loadedModels: s.loadedModels,
      memory: { rssBytes: process.memoryUsage().rss },
    };
  }

  private checkIdle(): void {
    if (this.jobs.size === 0) {
      const w = this.idleWaiters;
      this.idleWaiters = [];
      for (const f of w) f();
    }
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.jobs.size === 0) return Promise.resolve();
    return new Promise((res) => this.idleWaiters.push(res));
  }

  /** Called when a shutdown message arrives. */
  onShutdownRequest(f: () => void): void {
    this.onShutdown = f;
  }

  /** Cancels everything queued and running, and waits until each has its terminal event. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const id of [...this.jobs.keys()]) this.cancel(id);
    await this.idle();
  }
}
