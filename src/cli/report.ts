// How the CLI reports a failure: `tts: <what happened>` and, indented below, how to fix it, on
// stderr; exit 1. TtsErrors and operating-system errors (a full disk, a closed pipe) are explained;
// anything else is a bug and keeps its stack trace.
import { isTtsError, type TtsError } from '../engine/errors.js';
import { describeSystemError } from '../engine/system-error.js';

/** The error as the user should see it, or undefined when it is unexpected (a bug). */
export function explain(err: unknown): TtsError | undefined {
  return isTtsError(err) ? err : describeSystemError(err);
}

export function printError(err: TtsError): void {
  process.stderr.write(`tts: ${err.message}\n`);
  if (err.hint) process.stderr.write(`     ${err.hint}\n`);
}

const ignore = (): void => undefined;

/**
 * A write error on stdout (EPIPE when the reader exits, ENOSPC on /dev/full) is also emitted as an
 * 'error' event, which would crash the process with a stack trace (oclif's own listener rethrows
 * all but EPIPE); the failed write reports it instead, so that listener is replaced.
 */
export function guardStdout(): void {
  if (process.stdout.listeners('error').includes(ignore)) return;
  process.stdout.removeAllListeners('error');
  process.stdout.on('error', ignore);
}
