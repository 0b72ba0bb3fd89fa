// One error type for everything the user can get wrong or the machine can refuse. `code` is stable
// (serve-stdin sends it to programs), `message` says what happened, `hint` says how to fix it.

export type ErrorCode =
  | 'EMPTY_TEXT'
  | 'BAD_SPEED'
  | 'UNKNOWN_VOICE'
  | 'UNSUPPORTED_VOICE'
  | 'BAD_VOICE'
  | 'UNKNOWN_MODEL'
  | 'UNKNOWN_DTYPE'
  | 'BAD_PROVIDER'
  | 'BAD_CATALOG'
  | 'MODEL_UNSUPPORTED'
  | 'MODEL_MISSING'
  | 'MODEL_CORRUPT'
  | 'MODEL_UNSUPPORTED'
  | 'VOICE_CORRUPT'
  | 'DOWNLOAD_FAILED'
  | 'CHECKSUM_MISMATCH'
  | 'OUTPUT_UNWRITABLE'
  | 'OUTPUT_TOO_LONG'
  | 'BAD_FORMAT'
  | 'NO_AUDIO_OUTPUT'
  | 'BAD_INPUT'
  | 'BAD_LEXICON'
  | 'CANCELLED'
  | 'IO_ERROR'
  | 'INTERNAL';

/** Marks a TtsError whichever copy of this module made it (the CLI's bundles each carry one). */
const BRAND = Symbol.for('local-neural-tts.TtsError');

export class TtsError extends Error {
  readonly [BRAND] = true;

  /**
   * `instanceof TtsError` holds for a TtsError from any copy of this module: the cached-say fast path
   * (dist/fast-say.cjs) hands the full CLI (dist/tts.mjs) what it read, failures included.
   */
  static override [Symbol.hasInstance](x: unknown): boolean {
    return typeof x === 'object' && x !== null && (x as { [BRAND]?: unknown })[BRAND] === true;
  }

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'TtsError';
  }

  /** The message and, on a line of its own, the fix. */
  get fullMessage(): string {
    return this.hint ? `${this.message}\n${this.hint}` : this.message;
  }
}

export function isTtsError(err: unknown): err is TtsError {
  return err instanceof TtsError;
}

/** Codes that mean the request itself was wrong (exit 2); every other code is a failure (exit 1). */
const USAGE_CODES: ReadonlySet<ErrorCode> = new Set(['EMPTY_TEXT', 'BAD_SPEED', 'UNKNOWN_VOICE', 'UNKNOWN_MODEL', 'UNKNOWN_DTYPE', 'BAD_INPUT', 'BAD_LEXICON', 'BAD_PROVIDER', 'BAD_VOICE', 'BAD_FORMAT']);

/** The process exit code for an error: 2 for a usage error, 1 for a failure. */
export function exitCodeFor(code: ErrorCode): 1 | 2 {
  return USAGE_CODES.has(code) ? 2 : 1;
}
