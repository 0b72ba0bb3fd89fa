#!/usr/bin/env node
// The `tts` command. CommonJS on purpose: a one-shot `tts say` whose request is in the cache is
// served by a small fast path (dist/fast-say.cjs, CommonJS too) that never starts Node's ES module
// loader nor the CLI framework, and so is the root help (dist/root-help.cjs): both stay close to
// Node's own start-up, and bin/load-bundle.cjs keeps their compiled code from one run to the next.
// Everything else goes to oclif over the bundled CLI (dist/tts.mjs). All are built by
// `npm run build`; commands load the engine only when they run.
'use strict';
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const { loadBundle } = require('./load-bundle.cjs');

/** The root help without oclif (dist/root-help.cjs); false when oclif must print it. */
function printRootHelp(argv) {
  const help = loadBundle(join(__dirname, '..', 'dist', 'root-help.cjs'));
  const printed = help.exports.printRootHelp(argv);
  help.save();
  return printed;
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv[0] === 'say') {
    const fastSay = loadBundle(join(__dirname, '..', 'dist', 'fast-say.cjs'));
    const done = await fastSay.exports.sayFromCache(argv.slice(1), () => import('../dist/fast-say-engine.mjs'));
    fastSay.save();
    if (done) process.exit(0);
  }
  // `tts`, `tts --help`, `tts -h`, `tts help`: oclif's root help, printed without oclif by
  // dist/root-help.cjs when it can (TTS_NO_FAST_HELP=1 turns this off).
  if (argv.length < 2 && ['--help', '-h', 'help', undefined].includes(argv[0]) && !process.env.TTS_NO_FAST_HELP && printRootHelp(argv)) return;
  const { execute } = await import('../dist/tts.mjs');
  await execute({ dir: pathToFileURL(join(__dirname, 'run.cjs')).href });
}

main();
