#!/usr/bin/env node
// The `tts` command. CommonJS on purpose: a one-shot `tts say` whose request is in the cache is
// served by a small fast path (dist/fast-say.cjs, CommonJS too) that never starts Node's ES module
// loader nor the CLI framework, and so is the root help (dist/root-help.cjs): both stay close to
// Node's own start-up. Everything else goes to oclif over the bundled CLI (dist/tts.mjs). All are
// built by `npm run build`; commands load the engine only when they run.
'use strict';
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

async function main() {
  const argv = process.argv.slice(2);
  if (argv[0] === 'say') {
    const { sayFromCache } = require('../dist/fast-say.cjs');
    if (await sayFromCache(argv.slice(1))) process.exit(0);
  }
  // `tts`, `tts --help`, `tts -h`, `tts help`: oclif's root help, printed without oclif by
  // dist/root-help.cjs when it can (TTS_NO_FAST_HELP=1 turns this off).
  if (argv.length < 2 && ['--help', '-h', 'help', undefined].includes(argv[0]) && !process.env.TTS_NO_FAST_HELP && require('../dist/root-help.cjs').printRootHelp(argv)) return;
  const { execute } = await import('../dist/tts.mjs');
  await execute({ dir: pathToFileURL(join(__dirname, 'run.cjs')).href });
}

main();
