// Bundles the CLI: dist/tts.mjs (dist/src/cli/entry.js and everything it imports, oclif
// included, with shared code in dist/chunk-*.mjs) and dist/fast-say.cjs (the cached `say` fast
// path, without oclif; see below). A few files instead of a few hundred cut Node's module resolution
// and loading, which dominates start-up. Native and WebAssembly packages stay external and load
// on first use. dist/thread-worker.mjs is the synthesis thread of the servers (thread-backend.ts).
import { build, type BuildOptions } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

// Chunks of earlier builds (their names carry a content hash) would pile up.
for (const f of readdirSync(`${root}/dist`)) if (/^chunk-.*\.mjs(\.map)?$/.test(f)) rmSync(`${root}/dist/${f}`);

// What every bundle shares. onnxruntime-node and speaker are native; phonemizer and espeak-ng carry
// WebAssembly images; oclif only reaches for typescript/ts-node when developing plugins in
// TypeScript. The audio encoders and the resampler (WebAssembly, or large) load only for the
// formats that use them. Bundled CommonJS code calls require(); the ES bundles get one.
const common: BuildOptions = {
  outdir: `${root}/dist`,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  external: ['onnxruntime-node', 'phonemizer', 'espeak-ng', 'speaker', 'typescript', 'ts-node', '@alexanderolsen/libsamplerate-js', '@breezystack/lamejs', 'libflacjs', 'opusscript'],
  banner: { js: "import { createRequire as __ttsCreateRequire } from 'node:module'; const require = __ttsCreateRequire(import.meta.url);" },
  logLevel: 'warning',
};
/** CommonJS output (for bin/run.cjs), with import.meta.url answered from __filename. */
const commonjs: BuildOptions = {
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  define: { 'import.meta.url': '__ttsModuleUrl' },
  banner: { js: "const __ttsModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
};

await build({
  ...common,
  entryPoints: { tts: `${root}/dist/src/cli/entry.js`, 'thread-worker': `${root}/dist/src/engine/backends/thread-worker.js` },
  chunkNames: 'chunk-[hash]',
  splitting: true,
});

// The cached `say` is one file of its own (dist/fast-say.cjs), in CommonJS like bin/run.cjs: one
// module instead of the few dozen shared chunks, and no ES module loader (whose facades over Node's
// built-in modules alone cost milliseconds). A whole request found in the cache needs nothing more;
// the engine, for a request cached chunk by chunk, is a second file (dist/fast-say-engine.mjs)
// loaded only then (bin/run.cjs hands sayFromCache its import), so neither its code nor the Node
// modules it needs load in the first case. bin/load-bundle.cjs runs both CommonJS bundles from V8's
// code cache, where Node 20 has no import(): they import ES modules through engine/esm-import.ts.
await build({
  ...common,
  ...commonjs,
  entryPoints: { 'fast-say': `${root}/dist/src/cli/fast-say.js` },
});
await build({ ...common, entryPoints: { 'fast-say-engine': `${root}/dist/src/engine/engine.js` } });

// The root help without oclif (dist/root-help.cjs, from src/cli/root-help.ts): one CommonJS file,
// so that a CommonJS bin needs no ES module loader for it. The command list is taken here from the
// command classes oclif loads; the libraries it renders with resolve from @oclif/core, so they are
// oclif's own copies.
const { COMMANDS } = await import(`${root}/dist/tts.mjs`);
const { rootCommands } = await import(`${root}/dist/src/cli/root-help.js`);
const oclifLib = dirname(createRequire(import.meta.url).resolve('@oclif/core'));
await build({
  ...common,
  ...commonjs,
  entryPoints: { 'root-help': `${root}/dist/src/cli/root-help.js` },
  external: [],
  define: { TTS_ROOT_COMMANDS: JSON.stringify(JSON.stringify(rootCommands(COMMANDS))), 'import.meta.url': '__ttsModuleUrl' },
  plugins: [
    {
      name: 'as-oclif',
      setup(b) {
        b.onResolve({ filter: /^[a-z@]/ }, (args) => (args.importer.endsWith('/cli/root-help.js') ? b.resolve(args.path, { kind: args.kind, resolveDir: oclifLib }) : undefined));
      },
    },
  ],
});
