// A typed client for `tts serve-stdin`: spawns the server and speaks the protocol, so a program
// can write `for await (const chunk of client.speak('Hello.')) play(chunk.pcm)`.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { bytesToPcm16 } from '../engine/audio/pcm.js';
import { packageRoot } from '../engine/package-root.js';
import { FrameReader } from './frame-reader.js';
import type { ServerEvent } from './protocol.js';

export interface ClientOptions {
  /** Extra serve-stdin flags, e.g. ['--voice', 'af_heart']. */
  args?: string[];
  env?: NodeJS.ProcessEnv;
  cacheDir?: string;
  /** Where the server's stderr goes (default: this process's stderr). */
  stderr?: 'inherit' | 'ignore';
  /** A shell command that runs some tts, e.g. `node /old/bin/run.js` (default: this package's CLI). */
  command?: string;
}

export interface SpeakOptions {
  voice?: string;
  speed?: number;
  /** Request id (default: generated). */
  id?: string;
}

export interface StreamChunk {
  seq: number;
  sampleRate: number;
  pcm: Int16Array;
  text: string;
}

export type DoneEvent = Extract<ServerEvent, { event: 'done' }>;

export class ServerError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly id: string | null,
  ) {
    super(message);
    this.name = 'ServerError';
  }
}

/** One request's audio: iterate it for chunks; `done` settles with the server's done event (or null when cancelled). */
export interface Speech extends AsyncIterable<StreamChunk> {
  readonly id: string;
  readonly done: Promise<DoneEvent | null>;
  cancel(): void;
}

interface Pending {
  push(e: ServerEvent, payload?: Buffer): void;
  /** The server is gone: the request can never finish. */
  fail(err: ServerError): void;
}

export class TtsClient {
  private readonly pending = new Map<string, Pending>();
  private counter = 0;
  private readonly exited: Promise<number>;
  /** Set once the server has exited: every request still pending, and every later one, fails with it. */
  private gone: ServerError | undefined;
  /** Request ids used so far: the server takes each once (docs/serve-stdin.md). */
  private readonly used = new Set<string>();
  readonly ready: Promise<Extract<ServerEvent, { event: 'ready' }>>;

  private constructor(private readonly child: ChildProcess) {
    let onReady!: (e: Extract<ServerEvent, { event: 'ready' }>) => void;
    let onFail!: (err: Error) => void;
    this.ready = new Promise((res, rej) => {
      onReady = res;
      onFail = rej;
    });
    // 'close' (not 'exit'): every event the server wrote has been read by then.
    this.exited = new Promise((res) => child.on('close', (code, signal) => res(code ?? (signal ? 128 : 1))));
    child.on('error', () => undefined); // a failed spawn also closes; reported below
    child.stdin!.on('error', () => undefined); // writing to a dead server: reported below
    void this.exited.then((code) => {
      onFail(new Error(`serve-stdin exited with code ${code} before it was ready`));
      this.gone = new ServerError('SERVER_EXITED', `serve-stdin exited (code ${code}) before answering.`, null);
      for (const p of [...this.pending.values()]) p.fail(this.gone);
      this.pending.clear();
    });
    const frames = new FrameReader();
    child.stdout!.on('data', (d: Buffer) => {
      for (const { event, payload } of frames.push(d)) {
        const e = event as unknown as ServerEvent;
        if (e.event === 'ready') onReady(e);
        else if ('id' in e && typeof e.id === 'string') this.pending.get(e.id)?.push(e, payload);
      }
    });
  }

  /** Starts `tts serve-stdin --output stream --audio-encoding binary` (no base64) and waits until its model is loaded. */
  static async start(opts: ClientOptions = {}): Promise<TtsClient> {
    // Binary audio frames (no base64) from this build; another build's command (--ab) may not have them.
    const argv = ['serve-stdin', '--output', 'stream', ...(opts.command ? [] : ['--audio-encoding', 'binary']), ...(opts.args ?? [])];
    // `exec` keeps the server's pid that of the shell, so callers can read its CPU time.
    const [file, args] = opts.command ? ['/bin/sh', ['-c', `exec ${opts.command} "$@"`, 'tts', ...argv]] : [process.execPath, [join(packageRoot(), 'bin', 'run.cjs'), ...argv]];
    const child = spawn(file, args, {
      env: { ...process.env, ...opts.env, ...(opts.cacheDir ? { TTS_CACHE_DIR: opts.cacheDir } : {}) },
      stdio: ['pipe', 'pipe', opts.stderr ?? 'inherit'],
    });
    const client = new TtsClient(child);
    await client.ready;
    return client;
  }

  /** The server's process id. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  private send(msg: object): void {
    this.child.stdin!.write(JSON.stringify(msg) + '\n');
  }

  speak(text: string, opts: SpeakOptions = {}): Speech {
    const id = opts.id ?? `c${++this.counter}`;
    const queue: StreamChunk[] = [];
    let wake: (() => void) | undefined;
    let finished = false;
    let failure: ServerError | undefined;
    let settle!: (d: DoneEvent | null) => void;
    let reject!: (e: Error) => void;
    const done = new Promise<DoneEvent | null>((res, rej) => {
      settle = res;
      reject = rej;
    });
    done.catch(() => undefined); // the iterator reports it too
    const fail = (err: ServerError): void => {
      finished = true;
      reject((failure = new ServerError(err.code, err.message, id)));
      wake?.();
    };
    const refused = this.gone ?? (this.used.has(id) ? new ServerError('DUPLICATE_ID', `Request id "${id}" was already used; each request needs an id of its own.`, id) : undefined);
    this.used.add(id);
    if (refused) fail(refused);
    else this.pending.set(id, {
      fail,
      push: (e, payload) => {
        if (e.event === 'audio') queue.push({ seq: e.seq, sampleRate: e.sampleRate, pcm: bytesToPcm16(payload ?? Buffer.from(e.pcm ?? '', 'base64')), text: e.text });
        else if (e.event === 'done' || e.event === 'cancelled' || e.event === 'error') {
          finished = true;
          this.pending.delete(id);
          if (e.event === 'done') settle(e);
          else if (e.event === 'cancelled') settle(null);
          else reject((failure = new ServerError(e.code, e.message, e.id)));
        }
        wake?.();
      },
    });
    if (!refused) this.send({ id, text, output: 'stream', ...(opts.voice ? { voice: opts.voice } : {}), ...(opts.speed ? { speed: opts.speed } : {}) });
    const iterate = async function* (): AsyncGenerator<StreamChunk> {
      for (;;) {
        while (queue.length) yield queue.shift()!;
        if (failure) throw failure;
        if (finished) return;
        await new Promise<void>((r) => (wake = r));
      }
    };
    return { id, done, cancel: () => this.cancel(id), [Symbol.asyncIterator]: iterate };
  }

  cancel(id: string): void {
    if (!this.gone) this.send({ type: 'cancel', id });
  }

  /** The server's stats (rolling latency, cache, request counts). */
  stats(): Promise<Record<string, unknown>> {
    const id = `stats-${++this.counter}`;
    return new Promise((res, rej) => {
      if (this.gone) return rej(this.gone);
      this.pending.set(id, { push: (e) => (this.pending.delete(id), res(e as Record<string, unknown>)), fail: rej });
      this.send({ type: 'stats', id });
    });
  }

  /** Ends stdin (the server finishes queued work) and resolves with its exit code. */
  async close(): Promise<number> {
    if (!this.gone) this.child.stdin!.end();
    return this.exited;
  }
}
