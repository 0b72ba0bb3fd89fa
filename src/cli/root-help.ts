// `tts`, `tts --help`, `tts -h` and `tts help`: the root help, printed without loading oclif (whose
// bundle is nearly all the start-up cost of `tts --help`). The text is oclif's, byte for byte: the
// command list is taken at build time from the command classes oclif reads (scripts/bundle.ts
// writes it into dist/root-help.cjs), the layout follows @oclif/core's help/root.js and
// help/formatter.js, and width, wrapping and colour come from the libraries oclif itself uses
// (bundled from its own dependencies). Whatever this does not reproduce — more arguments, a theme,
// plugins, a config file `tts help` would reject, debug output — returns false, and bin/run.js
// hands the arguments to oclif.
import { existsSync, readFileSync } from 'node:fs';
import { arch, homedir, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import ansis from 'ansis';
import indentString from 'indent-string';
import stringWidth from 'string-width';
import supportsColor from 'supports-color';
import widestLine from 'widest-line';
import wrapAnsi from 'wrap-ansi';
import { isWsl } from 'wsl-utils';
import { readConfigFile } from '../engine/config.js';
import { guardStdout } from './report.js';

/** A command as the root help lists it: its id and its one-line summary. */
export type RootRow = [id: string, summary: string];

/** Set by scripts/bundle.ts (esbuild's define) to rootCommands(COMMANDS) as JSON; absent unbundled. */
declare const TTS_ROOT_COMMANDS: string;

/** The package.json keys under "oclif" that leave the root help as rendered here. */
const PLAIN_OCLIF_KEYS = ['bin', 'dirname', 'commands', 'topicSeparator', 'additionalHelpFlags', 'hooks', 'exitCodes'];

/**
 * The rows oclif's root help shows for these command classes (sorted, hidden ones left out, the
 * summary's first line or else the description's), or null where oclif would show more than
 * this module renders: aliases, topics, `<%= %>` templates.
 */
export function rootCommands(commands: Record<string, { summary?: string; description?: string; hidden?: boolean; aliases?: string[] }>): RootRow[] | null {
  const rows: RootRow[] = [];
  for (const id of Object.keys(commands).sort()) {
    const c = commands[id]!;
    const text = c.summary || c.description || '';
    if (c.aliases?.length || /[: ]/.test(id) || text.includes('<%')) return null;
    if (!c.hidden) rows.push([id, ansis.strip(text.split('\n')[0]!)]);
  }
  return rows;
}

/** The rows built into dist/root-help.cjs (null when unbundled or when oclif must render them). */
export function builtRootCommands(): RootRow[] | null {
  return typeof TTS_ROOT_COMMANDS === 'undefined' ? null : JSON.parse(TTS_ROOT_COMMANDS);
}

/** Prints the root help as oclif would for `argv` and returns true, or returns false (oclif's turn). */
export function printRootHelp(argv: string[]): boolean {
  const rows = builtRootCommands();
  const pjson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const oclif = pjson.oclif ?? {};
  const env = process.env;
  const bin: string = oclif.bin || pjson.name;
  const scoped = (k: string): string | undefined => env[`${bin.replaceAll('@', '').replaceAll(/[/-]/g, '_')}_${k}`.toUpperCase()];
  const home = env.HOME || homedir() || tmpdir();
  const dir = (category: string, under: string): string => join(env[`XDG_${category}_HOME`] || join(home, under), oclif.dirname || pjson.name);
  const [arg, ...more] = argv;
  const description: string = pjson.description || '';
  if (!rows || more.length || (arg !== undefined && arg !== 'help' && ![...(oclif.additionalHelpFlags ?? []), '--help'].includes(arg))) return false;
  if (Object.keys(oclif).some((k) => !PLAIN_OCLIF_KEYS.includes(k)) || Object.keys(oclif.hooks ?? {}).some((h) => h !== 'command_not_found') || pjson.helpOptions) return false;
  if (platform() === 'win32' || description.includes('<%') || env.DEBUG || scoped('DEBUG') || !cwdExists()) return false;
  if (existsSync(join(scoped('CONFIG_DIR') || dir('CONFIG', '.config'), 'theme.json')) || existsSync(join(scoped('DATA_DIR') || dir('DATA', '.local/share'), 'package.json'))) return false;
  if (arg === 'help') {
    // The help command: it exists, and the config file every command reads first is valid.
    if (!rows.some(([id]) => id === 'help') || !configFileReads()) return false;
    guardStdout();
  }
  const width = Number.parseInt(env.OCLIF_COLUMNS ?? '', 10) || termWidth();
  const wrap = (text: string, spacing = 2): string => wrapAnsi(text, width - spacing, { hard: true });
  const bold = (header: string): string => (supportsColor.stdout && supportsColor.stderr ? ansis.bold(header) : header);
  const section = (header: string, body: string): string => `${bold(header)}\n${indentString(body, 2)}`;
  const userAgent = `${pjson.name}/${pjson.version || '0.0.0'} ${isWsl ? 'wsl' : platform()}-${arch() === 'ia32' ? 'x86' : arch()} node-${process.version}`;
  const [summary, ...rest] = description.split('\n');
  const details = rest.join('\n');
  const root = [summary, section('VERSION', wrap(userAgent)), section('USAGE', wrap(`$ ${bin} [COMMAND]`)), details && section('DESCRIPTION', wrap(details))];
  // One console.log, as oclif writes (and as it, ignoring a reader that has gone).
  console.log(`${root.filter(Boolean).join('\n\n')}\n${rows.length ? `\n${section('COMMANDS', renderList(rows, wrap))}\n` : ''}`);
  return true;
}

/** oclif's HelpFormatter.renderList, for a list with indentation 2 and rows one under another. */
function renderList(rows: RootRow[], wrap: (text: string, spacing: number) => string): string {
  const multiline = (): string => {
    let output = '';
    for (const [left, right] of rows) {
      if (!left && !right) continue;
      if (left) output += wrap(left.trim(), 2);
      if (right) output += `\n${indentString(wrap(right.trim(), 4), 4)}`;
      output += '\n\n';
    }
    return output.trim();
  };
  const maxLength = widestLine(rows.map((r) => r[0]).join('\n'));
  let output = '';
  let cur = '';
  for (const [left, right] of rows) {
    if (cur) output += `\n${cur}`;
    cur = left || '';
    if (!right) {
      cur = cur.trim();
      continue;
    }
    const [first, ...lines] = wrap(right.trim(), 2 + maxLength + 2)
      .split('\n')
      .map((s) => s.trim());
    cur += ' '.repeat(maxLength - stringWidth(cur) + 2) + first;
    if (lines.length === 0) continue;
    if (lines.length > 4) return multiline(); // as oclif: a description this long gets its own lines
    cur += `\n${indentString(lines.join('\n'), maxLength + 2)}`;
  }
  if (cur) output += `\n${cur}`;
  return output.trim();
}

/** oclif's terminal width: the TTY's columns (at least 40), else 80. */
function termWidth(): number {
  if (!process.stdout.isTTY) return 80;
  const columns = process.stdout.getWindowSize()[0];
  return columns < 1 ? 80 : Math.max(columns, 40);
}

/** oclif warns on stderr when the working directory is gone. */
function cwdExists(): boolean {
  try {
    process.cwd();
    return true;
  } catch {
    return false;
  }
}

function configFileReads(): boolean {
  try {
    readConfigFile();
    return true;
  } catch {
    return false;
  }
}
