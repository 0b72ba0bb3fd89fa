#!/usr/bin/env node
// The `tts` command. CommonJS on purpose: a one-shot `tts say` whose request is in the cache is
// served by a small fast path (dist/fast-say.cjs, CommonJS too) that never starts Node's ES module
// loader nor the CLI framework — the whole run stays close to Node's own start-up. Everything else
// goes to oclif over the bundled CLI (dist/tts.mjs). Both are built by `npm run build`; commands
// load the engine only when they run, so `tts --help` loads neither onnxruntime nor the phonemizer.
'use strict';
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

async function main() {
  const argv = process.argv.slice(2);
  if (argv[0] === 'say') {
    const { sayFromCache } = require('../dist/fast-say.cjs');
    if (await sayFromCache(argv.slice(1))) process.exit(0);
  }
  const { execute } = await import('../dist/tts.mjs');
  await execute({ dir: pathToFileURL(join(__dirname, 'run.cjs')).href });
}

main();
