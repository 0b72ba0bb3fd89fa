// The base of every tts command: turns errors into a short message (what happened, then how to
// fix it) on stderr and an exit code scripts can rely on — 2 for a usage error (a bad flag or flag
// value, an unknown voice, empty text), 1 for a failure. It also holds the global --quiet and
// --verbose flags ($TTS_DEBUG=1 is --verbose).
import { Command, Flags } from '@oclif/core';
import { exitCodeFor } from '../engine/errors.js';
import { applyConfigToEnv } from '../engine/config.js';
import { closest } from './suggest.js';
import { explain, guardStdout, printError } from './report.js';

interface ParseFailure extends Error {
  parse?: unknown;
  flags?: string[];
  args?: string[];
}

export abstract class TtsCommand extends Command {
  static override baseFlags = {
    quiet: Flags.boolean({ char: 'q', description: 'Print nothing on stderr but errors (no notices, no progress).', helpGroup: 'GLOBAL' }),
    verbose: Flags.boolean({ description: 'Print details on stderr: what was chosen and why, and stack traces on failure [also: TTS_DEBUG=1].', helpGroup: 'GLOBAL' }),
  };

  /** --quiet was given. */
  protected get quiet(): boolean {
    return this.flagGiven('--quiet', '-q');
  }

  /** --verbose was given, or $TTS_DEBUG is set. */
  protected get verbose(): boolean {
    return this.flagGiven('--verbose') || Boolean(process.env.TTS_DEBUG);
  }

  /** A notice on stderr, unless --quiet. */
  protected notice(line: string): void {
    if (!this.quiet) process.stderr.write(`${line}\n`);
  }

  /** A detail on stderr, only with --verbose. */
  protected detail(line: string): void {
    if (this.verbose) process.stderr.write(`tts: ${line}\n`);
  }

  private flagGiven(...names: string[]): boolean {
    const end = this.argv.indexOf('--');
    return (end === -1 ? this.argv : this.argv.slice(0, end)).some((a) => names.includes(a));
  }

  protected override async init(): Promise<void> {
    guardStdout();
    applyConfigToEnv(); // ~/.config/tts/config.json → defaults of the TTS_* variables
    if (this.flagGiven('--verbose')) process.env.TTS_DEBUG ||= '1';
    await super.init();
  }

  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    const name = this.id ?? '';
    const known = explain(err); // TtsErrors, and OS errors (a full disk, a closed pipe) in words
    if (known) {
      printError(known);
      if (this.verbose && err.stack) process.stderr.write(`${err.stack}\n`);
      this.exit(known.code === 'BAD_VOICE' ? 2 : exitCodeFor(known.code)); // a malformed --voice is a usage error too
    }
    const parse = err as ParseFailure;
    if (parse.parse !== undefined || /^Parsing --/.test(err.message)) {
      process.stderr.write(`tts ${name}: ${this.parseMessage(parse)}\n`);
      process.stderr.write(`     See \`tts help ${name}\`.\n`);
      this.exit(2);
    }
    if (this.verbose && err.stack && !err.oclif) process.stderr.write(`${err.stack}\n`);
    return super.catch(err);
  }

  /** oclif's parse error as one line, with a did-you-mean for an unknown flag. */
  private parseMessage(err: ParseFailure): string {
    if (err.flags?.length) {
      const known = Object.entries(this.ctor.flags ?? {}).flatMap(([n, f]) => [`--${n}`, ...((f as { allowNo?: boolean }).allowNo ? [`--no-${n}`] : [])]);
      const bad = err.flags[0]!;
      const guess = bad.startsWith('--') ? closest(bad.split('=')[0]!, known) : undefined;
      return `unknown flag ${err.flags.join(', ')}.${guess ? ` Did you mean ${guess}?` : ''}`;
    }
    const text = err.message.replace(/\nSee more help with --help/, '').replace(/\s*\n\s*/g, ' ');
    return text.trim().replace(/^(\w)/, (c) => c.toLowerCase()).replace(/[^.]$/, (c) => `${c}.`);
  }
}
