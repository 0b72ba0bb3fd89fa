#!/usr/bin/env node
// The `tts` command. A `tts say` whose text is fully cached is served by a small fast path
// (dist/fast-say.mjs) without loading the CLI framework; everything else goes to oclif over the
// bundled CLI (dist/tts.mjs). Both are built by `npm run build`; commands load the engine only
// when they run, so `tts --help` loads neither onnxruntime nor the phonemizer.
import { createRequire } from 'node:module';

const argv = process.argv.slice(2);
if (argv[0] === 'say') {
  const { sayFromCache } = await import('../dist/fast-say.mjs');
  if (await sayFromCache(argv.slice(1))) process.exit(0);
}
// `tts`, `tts --help`, `tts -h`, `tts help`: oclif's root help, printed without oclif by
// dist/root-help.cjs when it can (TTS_NO_FAST_HELP=1 turns this off).
const rootHelp = argv.length < 2 && ['--help', '-h', 'help', undefined].includes(argv[0]) && !process.env.TTS_NO_FAST_HELP;
if (!(rootHelp && createRequire(import.meta.url)('../dist/root-help.cjs').printRootHelp(argv))) {
  const { execute } = await import('../dist/tts.mjs');
  await execute({ dir: import.meta.url });
}
