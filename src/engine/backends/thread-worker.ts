// The worker thread of a ThreadedBackend: loads the real backend here and runs its synthesis (the
// phonemizer and onnxruntime's session.run, which blocks the thread it runs on), so the main
// thread stays free to answer cache hits and write audio while a chunk is synthesized.
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { isTtsError } from '../errors.js';
import { Phonemizer } from '../phonemize.js';
import type { Backend } from './backend.js';
import type { LoadMessage, Reply, Request } from './thread-protocol.js';

const port = parentPort!;
const send = (r: Reply, transfer: ArrayBuffer[] = []): void => port.postMessage(r, transfer);
const fail = (id: number, err: unknown): void => {
  const e = err as Error & { code?: string; hint?: string };
  send({ id, op: 'error', error: { name: isTtsError(err) ? 'TtsError' : e.name ?? 'Error', message: e.message ?? String(err), ...(isTtsError(err) ? { code: err.code, ...(err.hint ? { hint: err.hint } : {}) } : {}) } });
};

/** How much lower synthesis runs than the thread that answers requests (nice steps). */
const SYNTHESIS_NICE = 10;

/**
 * Synthesis yields the CPU to request handling: on Linux a priority belongs to a thread, so this
 * thread — and onnxruntime's pool threads, which it starts and which inherit it — runs
 * SYNTHESIS_NICE steps lower than the main thread. On a machine saturated by synthesis, a cache
 * hit, a health check or a metrics scrape then gets a core at once instead of queueing behind the
 * model; an idle machine sees no difference. (Elsewhere the call would lower the whole process.)
 */
function lowerPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(0, Math.min(19, getPriority(0) + SYNTHESIS_NICE));
  } catch {
    /* not allowed: synthesis keeps the same priority */
  }
}

async function load(m: LoadMessage): Promise<Backend> {
  lowerPriority(); // before the session exists, so its threads inherit the priority
  const ctx = { session: m.session, phonemizer: new Phonemizer(m.phonemeDir, { memory: m.phonemeMemory }) };
  if (m.family === 'kokoro') return (await import('./kokoro.js')).KokoroBackend.load(m.model, m.modelFile, ctx);
  return (await import('./piper.js')).PiperBackend.load(m.model, m.modelFile, ctx);
}

load(workerData as LoadMessage).then(
  (backend) => {
    send({ id: 0, op: 'loaded', sampleRate: backend.sampleRate, provider: backend.provider, loadMs: backend.loadMs, threads: backend.threads, voices: backend.voices() });
    // Work in progress: close waits for it, so a session is never released under a running call.
    const inflight = new Set<Promise<void>>();
    const track = (p: Promise<void>): void => {
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
    };
    port.on('message', (r: Request) => {
      if (r.op === 'synthesize') {
        track(
          backend.synthesize(r.text, r.voice, r.speed).then(
            (samples) => send({ id: r.id, op: 'result', value: samples }, [samples.buffer as ArrayBuffer]),
            (err: unknown) => fail(r.id, err),
          ),
        );
      } else if (r.op === 'inspect') {
        track(
          backend.inspect(r.text, r.voice).then(
            (value) => send({ id: r.id, op: 'result', value }),
            (err: unknown) => fail(r.id, err),
          ),
        );
      } else {
        void Promise.allSettled([...inflight])
          .then(() => backend.close())
          .finally(() => send({ id: r.id, op: 'result', value: null }));
      }
    });
  },
  (err: unknown) => fail(0, err),
);
