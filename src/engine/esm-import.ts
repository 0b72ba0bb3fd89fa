// import() for code that may run from V8's code cache: Node 20 gives a script compiled from cached
// data no import() (it fails with ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), so bin/load-bundle.cjs,
// which loads the CommonJS bundles that way, lends its own as globalThis[Symbol.for('tts.import')].
// Everywhere else this is a plain import(). Specifiers are package names or absolute URLs.
const LENT = Symbol.for('tts.import');

export function importEsm<T>(specifier: string): Promise<T> {
  const lent = (globalThis as { [LENT]?: (specifier: string) => Promise<unknown> })[LENT];
  return (lent ? lent(specifier) : import(specifier)) as Promise<T>;
}
