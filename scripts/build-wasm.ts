// Assembles the WebAssembly kernels (src/engine/audio/pcm-kernels.wat) into dist/pcm-kernels.wasm,
// with wabt (the WebAssembly Binary Toolkit); engine/audio/pcm-kernels.ts loads them.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import wabt from 'wabt';

const root = fileURLToPath(new URL('../..', import.meta.url));
const source = `${root}/src/engine/audio/pcm-kernels.wat`;
const w = await wabt();
const module = w.parseWat(source, readFileSync(source, 'utf8'), { simd: true, sat_float_to_int: true });
module.validate();
writeFileSync(`${root}/dist/pcm-kernels.wasm`, module.toBinary({}).buffer);
module.destroy();
