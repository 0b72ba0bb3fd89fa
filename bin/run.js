#!/usr/bin/env node
// The `tts` command. Commands are listed explicitly (dist/src/commands.js) and import the engine
// only when they run, so `tts --help` loads neither onnxruntime nor the phonemizer.
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
