// Errors from the operating system (a full disk, a closed pipe, a path through a file …) as
// TtsErrors: what happened in words, the path it happened to, and what to do — never a stack trace.
import { TtsError } from './errors.js';

type SystemError = Error & { code?: string; path?: string; dest?: string; syscall?: string };

const WHERE_HINT = 'Check --out and --cache-dir (or $TTS_CACHE_DIR).';

/**
 * The TtsError that explains `err`, or undefined when it is not an operating-system error.
 * `file`: the file being written, for errors that do not name one (a write on an open stream).
 */
export function describeSystemError(err: unknown, file?: string): TtsError | undefined {
  if (!(err instanceof Error)) return undefined;
  const { code, syscall } = err as SystemError;
  const path = (err as SystemError).path ?? file;
  if (typeof code !== 'string' || !/^E[A-Z0-9]+$/.test(code) || typeof syscall !== 'string') return undefined; // Node's system errors name their call
  const at = path ? ` ${path}` : '';
  switch (code) {
    case 'EPIPE':
    case 'ECONNRESET':
      return new TtsError('IO_ERROR', `The output was closed before all of it was written (${code}): the program reading it has exited.`, 'Check the program tts writes to, or write a file instead with --out speech.wav.');
    case 'ENOSPC':
    case 'EDQUOT':
      return new TtsError('IO_ERROR', `No space left on the device${path ? ` for${at}` : ''} (${code}).`, `Free some space, or choose a folder on another disk. ${WHERE_HINT}`);
    case 'ENOTDIR':
      return new TtsError('IO_ERROR', `Cannot use${at || ' the path'}: a part of it is a file, not a folder (ENOTDIR).`, `Point the path at a folder. ${WHERE_HINT}`);
    case 'EISDIR':
      return new TtsError('IO_ERROR', `Cannot use${at || ' the path'}: it is a folder, not a file (EISDIR).`, WHERE_HINT);
    case 'EACCES':
    case 'EPERM':
      return new TtsError('IO_ERROR', `Permission denied${path ? ` for${at}` : ''} (${code}).`, `Choose a place you can write to. ${WHERE_HINT}`);
    case 'EROFS':
      return new TtsError('IO_ERROR', `${path ? `${path} is on` : 'The output is on'} a read-only file system (EROFS).`, `Choose a writable place. ${WHERE_HINT}`);
    case 'ENOENT':
      return new TtsError('IO_ERROR', `${path ? `${path} does not exist` : 'A file or folder does not exist'} (ENOENT).`, WHERE_HINT);
    case 'EMFILE':
    case 'ENFILE':
      return new TtsError('IO_ERROR', `Too many open files (${code}).`, 'Raise the limit (ulimit -n) or run fewer tts processes at once.');
    case 'EIO':
      return new TtsError('IO_ERROR', `Input/output error${path ? ` on${at}` : ''} (EIO): the device failed.`, 'Check the disk or device.');
    default:
      return new TtsError('IO_ERROR', `${syscall} failed${path ? ` for${at}` : ''} (${code}): ${err.message}.`, WHERE_HINT);
  }
}

/** Errors of the local disk (full, read-only, not permitted): retrying a download cannot help. */
export function diskError(err: unknown, file?: string): TtsError | undefined {
  const code = (err as SystemError | undefined)?.code;
  return code && ['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'ENOTDIR', 'EISDIR', 'EIO'].includes(code) ? describeSystemError(err, file) : undefined;
}
