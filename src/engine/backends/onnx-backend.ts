// What the two ONNX backends (Kokoro, Piper) share: a loaded onnxruntime session and the facts
// about it that the engine, warm and bench report.
import type { LoadedSession } from '../session.js';

export abstract class OnnxBackend {
  constructor(protected readonly loaded: LoadedSession) {}

  /** The execution provider that really loaded (cpu, cuda, coreml). */
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

  async close(): Promise<void> {
    await this.loaded.session.release();
  }
}
