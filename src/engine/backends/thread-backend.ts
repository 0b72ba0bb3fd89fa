// A backend that runs in a worker thread (thread-worker.ts). onnxruntime-node's session.run blocks
// the thread that calls it, so a server that synthesizes on its main thread cannot answer anything
// else meanwhile — not even a cache hit. Servers load their models this way (EngineOptions
// .backendThread); the CLI's one-shot `say` does not need to.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { TtsError, type ErrorCode } from '../errors.js';
import { packageRoot } from '../package-root.js';
import type { Backend } from './backend.js';
import type { LoadMessage, Reply, Request } from './thread-protocol.js';

/** The worker's script: the bundled one next to the CLI bundle, else the compiled module beside this one. */
function workerScript(): URL | string {
  const bundled = join(packageRoot(), 'dist', 'thread-worker.mjs');
  const here = new URL('./thread-worker.js', import.meta.url);
  return import.meta.url.includes('/dist/src/') || !existsSync(bundled) ? here : bundled;
}

function toError(e: { name: string; message: string; code?: string; hint?: string }): Error {
  if (e.name === 'TtsError' && e.code) return new TtsError(e.code as ErrorCode, e.message, e.hint);
  return Object.assign(new Error(e.message), { name: e.name });
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export class ThreadedBackend implements Backend {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private dead: Error | undefined;

  private constructor(
    private readonly worker: Worker,
    readonly family: 'kokoro' | 'piper',
    private readonly info: Extract<Reply, { op: 'loaded' }>,
  ) {
    worker.on('message', (r: Reply) => {
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      if (r.op === 'error') p.reject(toError(r.error));
      else if (r.op === 'result') p.resolve(r.value);
    });
    const die = (err: Error): void => {
      this.dead = err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', die);
    worker.on('exit', (code) => die(new TtsError('INTERNAL', `The synthesis thread stopped (exit code ${code}).`)));
  }

  static load(m: LoadMessage): Promise<ThreadedBackend> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(workerScript(), { workerData: m });
      const onMessage = (r: Reply): void => {
        if (r.id !== 0) return;
        worker.off('message', onMessage);
        if (r.op === 'loaded') resolve(new ThreadedBackend(worker, m.family, r));
        else if (r.op === 'error') {
          reject(toError(r.error));
          void worker.terminate();
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
  }

  get sampleRate(): number {
    return this.info.sampleRate;
  }
  get provider(): string {
    return this.info.provider;
  }
  get loadMs(): number {
    return this.info.loadMs;
  }
  get threads(): number {
    return this.info.threads;
  }
  voices(): string[] {
    return this.info.voices;
  }

  private call<T>(req: WithoutId<Request>): Promise<T> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...req, id });
    });
  }

  synthesize(text: string, voice: string, speed: number): Promise<Float32Array> {
    return this.call<Float32Array>({ op: 'synthesize', text, voice, speed });
  }

  inspect(text: string, voice: string): Promise<{ phonemes: string; ids: number[][] }> {
    return this.call({ op: 'inspect', text, voice });
  }

  async close(): Promise<void> {
    await this.call({ op: 'close' }).catch(() => undefined);
    await this.worker.terminate();
  }
}
