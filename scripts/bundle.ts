// Bundles the CLI (dist/src/cli/entry.js and everything it imports, oclif included) into one file,
// dist/tts.mjs. One file instead of a few hundred cuts Node's module resolution and loading, which
// dominates start-up: `tts --help` and a cached `tts say` start about 60 ms sooner (see README).
// Native and WebAssembly packages stay external and are loaded on first use.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

await build({
  entryPoints: [`${root}/dist/src/cli/entry.js`],
  outfile: `${root}/dist/tts.mjs`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  // onnxruntime-node and speaker are native; phonemizer and espeak-ng carry WebAssembly images;
  // oclif only reaches for typescript/ts-node when developing plugins in TypeScript.
  external: ['onnxruntime-node', 'phonemizer', 'espeak-ng', 'speaker', 'typescript', 'ts-node'],
  // Bundled CommonJS code calls require(); give it one.
  banner: { js: "import { createRequire as __ttsCreateRequire } from 'node:module'; const require = __ttsCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
