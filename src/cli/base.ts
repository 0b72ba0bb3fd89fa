// The base of every tts command: turns engine errors into a clear message (what happened, then how
// to fix it) on stderr and exit code 1. Usage errors exit with 2 (package.json: oclif.exitCodes).
import { Command } from '@oclif/core';
import { isTtsError } from '../engine/errors.js';

export abstract class TtsCommand extends Command {
  protected override async catch(err: Error & { exitCode?: number }): Promise<unknown> {
    if (isTtsError(err)) {
      process.stderr.write(`tts: ${err.message}\n`);
      if (err.hint) process.stderr.write(`     ${err.hint}\n`);
      this.exit(err.code === 'BAD_VOICE' ? 2 : 1); // a malformed --voice is a usage error
    }
    return super.catch(err);
  }
}
