#!/usr/bin/env node
// The `tts` command: oclif over the bundled CLI (dist/tts.mjs, built by `npm run build`).
// Commands load the engine only when they run, so `tts --help` loads neither onnxruntime nor the
// phonemizer.
import { execute } from '../dist/tts.mjs';

await execute({ dir: import.meta.url });
