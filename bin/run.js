#!/usr/bin/env node
// The `tts` command. A `tts say` whose text is fully cached is served by a small fast path
// (dist/fast-say.mjs) without loading the CLI framework; everything else goes to oclif over the
// bundled CLI (dist/tts.mjs). Both are built by `npm run build`; commands load the engine only
// when they run, so `tts --help` loads neither onnxruntime nor the phonemizer.
const argv = process.argv.slice(2);
if (argv[0] === 'say') {
  const { sayFromCache } = await import('../dist/fast-say.mjs');
  if (await sayFromCache(argv.slice(1))) process.exit(0);
}
const { execute } = await import('../dist/tts.mjs');
await execute({ dir: import.meta.url });
