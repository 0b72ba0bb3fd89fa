// The folder of this package (where package.json and models/ live), found by walking up from this
// module, so it works both from the compiled files in dist/src and from the bundle dist/tts.mjs.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The npm package's name (`tts` is its command, not its name: that npm name belongs to another project). */
export const PACKAGE_NAME = 'local-neural-tts';

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package folder`);
    dir = up;
  }
}
