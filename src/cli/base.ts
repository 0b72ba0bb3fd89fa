// The base of every tts command: turns engine errors into a clear message (what happened, then how
// to fix it) on stderr and exit code 1. Usage errors exit with 2 (package.json: oclif.exitCodes).
import { Command } from '@oclif/core';
import { explain, guardStdout, printError } from './report.js';

export abstract class TtsCommand extends Command {
  protected override async init(): Promise<void> {
    guardStdout();
    await super.init();
  }

  protected override async catch(err: Error & { exitCode?: number }): Promise<unknown> {
    const known = explain(err);
    if (known) {
      printError(known);
      this.exit(known.code === 'BAD_VOICE' ? 2 : 1); // a malformed --voice is a usage error
    }
    return super.catch(err);
  }
}
