// What the two ONNX backends (Kokoro, Piper) share: a loaded onnxruntime session, the facts about
// it that the engine, warm and bench report, and running it — with a fall-back to CPU when another
// execution provider fails at run time (CoreML on Kokoro loads, then fails with "Unable to get
// shape for output"; failing only at load would never catch that).
import type { InferenceSession } from 'onnxruntime-node';
import { createSession, type LoadedSession, type OptLevel } from '../session.js';

/** Time spent inside session.run, so benchmarks can tell the model's cost from everything else. */
export interface RunStats {
  runs: number;
  totalMs: number;
}

export abstract class OnnxBackend {
  private fallback: Promise<void> | undefined;
  readonly runStats: RunStats = { runs: 0, totalMs: 0 };

  constructor(protected loaded: LoadedSession) {}

  /** The execution provider that really runs (cpu, cuda, coreml). */
  get provider(): string {
    return this.loaded.provider;
  }

  get loadMs(): number {
    return this.loaded.loadMs;
  }

  get threads(): number {
    return this.loaded.threads;
  }

  /** True when the session came from the cached optimized model. */
  get optimized(): boolean {
    return this.loaded.optimized;
  }

  /** The graph optimization level the session was created with. */
  get optLevel(): OptLevel {
    return this.loaded.optLevel;
  }

  /** Providers or levels that failed before this session worked. */
  get notes(): readonly string[] {
    return this.loaded.notes;
  }

  /** session.run; if a provider other than CPU fails, reload on CPU once and run again there. */
  protected async run(feeds: InferenceSession.FeedsType): Promise<InferenceSession.ReturnType> {
    const loaded = this.loaded;
    const t0 = performance.now();
    try {
      const out = await loaded.session.run(feeds);
      this.runStats.runs++;
      this.runStats.totalMs += performance.now() - t0;
      return out;
    } catch (err) {
      if (loaded.provider === 'cpu') throw err;
      this.fallback ??= this.switchToCpu(loaded, err);
      await this.fallback;
      return this.loaded.session.run(feeds);
    }
  }

  private async switchToCpu(failed: LoadedSession, err: unknown): Promise<void> {
    const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    const cpu = await createSession(failed.modelPath, { ...failed.options, providers: ['cpu'] });
    cpu.notes.unshift(...failed.notes, `${failed.provider} failed at run time: ${reason}`);
    this.loaded = cpu;
    process.stderr.write(`tts: the ${failed.provider} execution provider failed while running the model (${reason}); using cpu from now on.\n`);
    await failed.session.release().catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.loaded.session.release();
  }
}
