// A typed client for `tts serve-stdin`: spawns the server and speaks the protocol, so a program
// can write `for await (const chunk of client.speak('Hello.')) play(chunk.pcm)`.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { bytesToPcm16 } from '../engine/audio/pcm.js';
import { packageRoot } from '../engine/package-root.js';
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
  push(e: ServerEvent): void;
}

export class TtsClient {
  private readonly pending = new Map<string, Pending>();
  private counter = 0;
  private readonly exited: Promise<number>;
  readonly ready: Promise<Extract<ServerEvent, { event: 'ready' }>>;

  private constructor(private readonly child: ChildProcess) {
    let onReady!: (e: Extract<ServerEvent, { event: 'ready' }>) => void;
    let onFail!: (err: Error) => void;
    this.ready = new Promise((res, rej) => {
      onReady = res;
      onFail = rej;
    });
    this.exited = new Promise((res) => child.on('exit', (code) => res(code ?? 1)));
    void this.exited.then((code) => onFail(new Error(`serve-stdin exited with code ${code} before it was ready`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const e = JSON.parse(line) as ServerEvent;
      if (e.event === 'ready') onReady(e);
      else if ('id' in e && typeof e.id === 'string') this.pending.get(e.id)?.push(e);
    });
  }

  /** Starts `tts serve-stdin --output stream` and waits until its model is loaded. */
  static async start(opts: ClientOptions = {}): Promise<TtsClient> {
    const argv = ['serve-stdin', '--output', 'stream', ...(opts.args ?? [])];
    // `exec` keeps the server's pid that of the shell, so callers can read its CPU time.
    const [file, args] = opts.command ? ['/bin/sh', ['-c', `exec ${opts.command} "$@"`, 'tts', ...argv]] : [process.execPath, [join(packageRoot(), 'bin', 'run.js'), ...argv]];
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
    this.pending.set(id, {
      push: (e) => {
        if (e.event === 'audio') queue.push({ seq: e.seq, sampleRate: e.sampleRate, pcm: bytesToPcm16(Buffer.from(e.pcm, 'base64')), text: e.text });
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
    this.send({ id, text, output: 'stream', ...(opts.voice ? { voice: opts.voice } : {}), ...(opts.speed ? { speed: opts.speed } : {}) });
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
    this.send({ type: 'cancel', id });
  }

  /** The server's stats (rolling latency, cache, request counts). */
  stats(): Promise<Record<string, unknown>> {
    const id = `stats-${++this.counter}`;
    return new Promise((res) => {
      this.pending.set(id, { push: (e) => (this.pending.delete(id), res(e as Record<string, unknown>)) });
      this.send({ type: 'stats', id });
    });
  }

  /** Ends stdin (the server finishes queued work) and resolves with its exit code. */
  async close(): Promise<number> {
    this.child.stdin!.end();
    return this.exited;
  }
}
