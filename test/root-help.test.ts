// The root help's fast path (src/cli/root-help.ts → dist/root-help.cjs) against oclif's own help
// (TTS_NO_FAST_HELP=1): the same bytes for `tts`, `--help`, `-h`, `help`, at any width, in a pipe
// and in a real terminal with colour; the command list built in is oclif's; oclif still answers
// where the fast path would differ.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Config } from '@oclif/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { builtRootCommands, rootCommands } from '../src/cli/root-help.js';
import { COMMANDS } from '../src/cli/entry.js';
import { BIN, REPO, runCli, runCliTraced, tempDir } from './helpers.js';

const FORMS = [[], ['--help'], ['-h'], ['help']];
const OCLIF = { TTS_NO_FAST_HELP: '1' };
const loadsOclif = (modules: string[]): boolean => modules.some((m) => m.endsWith('/dist/tts.mjs'));

/** The CLI in a pseudo-terminal (util-linux's `script`) of `cols` columns; the bytes the terminal got. */
function inTerminal(args: string[], cols: number, env: Record<string, string | undefined>): string {
  const all: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', ...env };
  for (const k of ['CI', 'NO_COLOR', 'FORCE_COLOR', 'OCLIF_COLUMNS', 'COLUMNS']) if (!(k in env)) delete all[k];
  for (const [k, v] of Object.entries(all)) if (v === undefined) delete all[k];
  const r = spawnSync('script', ['-qfec', `stty cols ${cols}; exec '${process.execPath}' '${BIN}' ${args.join(' ')}`, '/dev/null'], { env: all, cwd: REPO, timeout: 30_000 });
  assert.is(r.status, 0, `script: ${r.error ?? r.stderr}`);
  return r.stdout.toString();
}

test('tts, --help, -h and help print oclif`s root help byte for byte at widths 40 to 200, without loading oclif', async () => {
  for (const args of FORMS) {
    for (const cols of ['40', '60', '80', '120', '200']) {
      const fast = await runCliTraced(args, { env: { OCLIF_COLUMNS: cols } });
      const oclif = await runCli(args, { env: { OCLIF_COLUMNS: cols, ...OCLIF } });
      const what = `tts ${args.join(' ')} at ${cols} columns`;
      assert.is(oclif.code, 0, oclif.stderr);
      assert.is(fast.code, 0, fast.stderr);
      assert.is(fast.stdout.toString(), oclif.stdout.toString(), what);
      assert.is(fast.stderr, oclif.stderr, what);
      assert.not.ok(loadsOclif(fast.modules), `${what} loaded oclif`);
    }
  }
  const narrow = await runCli(['--help'], { env: { OCLIF_COLUMNS: '40' } });
  assert.match(narrow.stdout.toString(), /\n {2}bench\n {6}Measure/, 'at 40 columns oclif lays long summaries out on lines of their own');
});

test('in a terminal, bold headers and the terminal`s width as oclif has them (and without colour where oclif has none)', () => {
  for (const args of FORMS) {
    for (const cols of [30, 50, 100]) {
      const fast = inTerminal(args, cols, {});
      assert.is(fast, inTerminal(args, cols, OCLIF), `tts ${args.join(' ')} in a terminal of ${cols} columns`);
      assert.ok(fast.includes('\x1b[1mCOMMANDS\x1b[22m'), 'colour was on');
    }
  }
  for (const env of [{ NO_COLOR: '1' }, { TERM: 'dumb' }, { FORCE_COLOR: '0' }, { CI: '1' }, { COLUMNS: '60' }]) {
    const fast = inTerminal(['--help'], 90, env);
    assert.is(fast, inTerminal(['--help'], 90, { ...env, ...OCLIF }), JSON.stringify(env));
  }
  assert.not.ok(inTerminal(['--help'], 90, { NO_COLOR: '1' }).includes('\x1b['), 'NO_COLOR: no escapes');
});

test('colour forced into a pipe: the same as oclif', async () => {
  for (const FORCE_COLOR of ['1', '3']) {
    const fast = await runCli(['--help'], { env: { FORCE_COLOR } });
    const oclif = await runCli(['--help'], { env: { FORCE_COLOR, ...OCLIF } });
    assert.is(fast.stdout.toString(), oclif.stdout.toString(), `FORCE_COLOR=${FORCE_COLOR}`);
  }
});

test('the command list built into the fast path is oclif`s, and a command added to the CLI shows up in it', async () => {
  const config = await Config.load(REPO);
  const shown = config.commands
    .filter((c) => !c.hidden)
    .map((c) => [c.id, (c.summary || c.description || '').split('\n')[0]])
    .sort(([a], [b]) => (a! < b! ? -1 : 1));
  const { builtRootCommands: built } = createRequire(import.meta.url)(join(REPO, 'dist', 'root-help.cjs')) as { builtRootCommands: typeof builtRootCommands };
  assert.equal(built(), shown);
  assert.is(builtRootCommands(), null, 'unbundled, the module has no list: oclif answers');

  const more = rootCommands({ ...COMMANDS, aaa: { summary: 'A new command.\nMore about it.' }, secret: { summary: 'Hidden.', hidden: true } })!;
  assert.equal(more[0], ['aaa', 'A new command.']);
  assert.equal(more.slice(1), shown);
  assert.is(rootCommands({ ...COMMANDS, 'voices:list': { summary: 'A topic.' } }), null, 'topics are oclif`s to show');
  assert.is(rootCommands({ ...COMMANDS, say: { summary: 'Say.', aliases: ['speak'] } }), null, 'aliases are oclif`s to show');
  assert.is(rootCommands({ ...COMMANDS, say: { summary: 'Run <%= config.bin %>.' } }), null, 'templates are oclif`s to render');
});

test('oclif answers where the fast path would differ: a theme, a plugin, a config file `tts help` rejects, more arguments', async () => {
  const themed = tempDir();
  mkdirSync(join(themed, 'tts'));
  writeFileSync(join(themed, 'tts', 'theme.json'), '{"sectionHeader": "red"}');
  const plugins = tempDir();
  mkdirSync(join(plugins, 'tts'));
  writeFileSync(join(plugins, 'tts', 'package.json'), '{}');
  for (const env of [{ XDG_CONFIG_HOME: themed }, { TTS_CONFIG_DIR: join(themed, 'tts') }, { XDG_DATA_HOME: plugins }, { TTS_DEBUG: '1' }]) {
    const r = await runCliTraced(['--help'], { env });
    assert.is(r.code, 0, r.stderr);
    assert.ok(loadsOclif(r.modules), JSON.stringify(env));
  }
  const broken = tempDir();
  mkdirSync(join(broken, 'tts'));
  writeFileSync(join(broken, 'tts', 'config.json'), '{bad');
  const help = await runCliTraced(['help'], { env: { XDG_CONFIG_HOME: broken } });
  assert.is(help.code, 2);
  assert.match(help.stderr, /config file .* is not valid JSON/);
  assert.ok(loadsOclif(help.modules));
  const flags = await runCliTraced(['--help'], { env: { XDG_CONFIG_HOME: broken } });
  assert.is(flags.code, 0, 'only the help command reads the config file');
  assert.not.ok(loadsOclif(flags.modules));
  for (const args of [['help', 'say'], ['--help', '--verbose'], ['-h', 'say']]) {
    const r = await runCliTraced(args);
    assert.is(r.code, 0, r.stderr);
    assert.ok(loadsOclif(r.modules), args.join(' '));
  }
});

test.run();
