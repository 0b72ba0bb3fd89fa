// Loads one of the CommonJS bundles of dist/ as require() would, but through V8's code cache: the
// compiled code of an earlier run is kept beside the bundle (dist/.code-cache/), which spares
// parsing and compiling it on every start of a one-shot command. Without a usable cache — the first
// run, another Node, a read-only install — it is a plain compile, and the cache is (re)written
// when the folder allows.
//
// A cache file is named for the Node version, the architecture and the bundle's size and mtime, so
// a rebuilt bundle never meets the code of the old one (whose file is then removed); V8 itself rejects a cache made by another
// V8 or with other flags.
'use strict';
const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { basename, dirname, join } = require('node:path');
const vm = require('node:vm');

// Node 20 gives code compiled from cached data no import() of its own; the bundles import ES
// modules through src/engine/esm-import.ts, which uses this one (package names and absolute URLs).
globalThis[Symbol.for('tts.import')] = (specifier) => import(specifier);

/**
 * The bundle's exports; `fromCache`, whether its compiled code came from the cache; and `save()`,
 * which stores the compiled code for the next start when that is needed (call it once the work is
 * done: the functions compiled by then are kept too).
 */
function loadBundle(file) {
  let cacheFile;
  let cached;
  try {
    const st = statSync(file);
    cacheFile = join(dirname(file), '.code-cache', `${basename(file)}-${process.version}-${process.arch}-${st.size}-${Math.trunc(st.mtimeMs)}.bin`);
    cached = readFileSync(cacheFile);
  } catch {
    // no cache yet
  }
  const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData: cached });
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(dirname(file));
  require.cache[file] = mod; // as require() would: one instance, visible to require.cache
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, dirname(file));
  mod.loaded = true;
  return {
    exports: mod.exports,
    fromCache: cached !== undefined && !script.cachedDataRejected,
    save() {
      if (!cacheFile || (cached && !script.cachedDataRejected)) return;
      try {
        mkdirSync(dirname(cacheFile), { recursive: true });
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData(), { flag: 'wx' });
        renameSync(tmp, cacheFile);
        // The code of earlier builds (or Node versions) of this bundle is of no more use.
        const dir = dirname(cacheFile);
        for (const f of readdirSync(dir)) if (f.startsWith(`${basename(file)}-`) && f !== basename(cacheFile)) rmSync(join(dir, f), { force: true });
      } catch {
        // a read-only install: no cache, no harm
      }
    },
  };
}

module.exports = { loadBundle };
