// The CLI's entry module, bundled into dist/tts.mjs (scripts/bundle.ts): oclif's `execute` and the
// explicit command map oclif loads (no directory scan, and one file to read at start-up).
// Commands import the engine only when they run; onnxruntime, the phonemizer and speaker stay
// outside the bundle and load on first use.
import Bench from '../commands/bench.js';
import Completion from '../commands/completion.js';
import Config from '../commands/config.js';
import Help from '../commands/help.js';
import Say from '../commands/say.js';
import Serve from '../commands/serve.js';
import ServeStdin from '../commands/serve-stdin.js';
import ValidateTargets from '../commands/validate-targets.js';
import Voices from '../commands/voices.js';
import Warm from '../commands/warm.js';

export { execute } from '@oclif/core';
export { NOT_FOUND } from './not-found.js';

export const COMMANDS = {
  bench: Bench,
  completion: Completion,
  config: Config,
  help: Help,
  say: Say,
  serve: Serve,
  'serve-stdin': ServeStdin,
  'validate-targets': ValidateTargets,
  voices: Voices,
  warm: Warm,
};
