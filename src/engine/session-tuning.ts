// The four onnxruntime session settings that were measured rather than assumed — intra-op
// threads, spinning, execution mode, memory arena: their variables, their defaults, and reading
// them from text (a flag, a variable, the config file). Apart from session.ts so that code which
// only checks the values (the cached `say` fast path) loads nothing else.
import { TtsError } from './errors.js';

export const EXECUTION_MODES = ['sequential', 'parallel'] as const;
export type ExecutionMode = (typeof EXECUTION_MODES)[number];

/** The four settings, each decided. */
export interface SessionTuning {
  /** Intra-op threads. */
  threads: number;
  /** Idle intra-op threads spin-wait for work. */
  spinning: boolean;
  /** Independent graph nodes one after another, or in parallel. */
  executionMode: ExecutionMode;
  /** onnxruntime's CPU memory arena. */
  memArena: boolean;
}
export type TuningName = keyof SessionTuning;

/**
 * Spinning off by default: measured with `tts bench --ab` on the generated model at a real
 * model's cost, spinning threads cost 71 % more CPU per request and were slower on a busy machine
 * (the figures are in the README's speed section).
 */
export const DEFAULT_SPINNING = false;

/** The environment variable that sets each one's default. */
export const TUNING_ENV: Readonly<Record<TuningName, string>> = {
  threads: 'TTS_THREADS',
  spinning: 'TTS_SPINNING',
  executionMode: 'TTS_EXECUTION_MODE',
  memArena: 'TTS_MEM_ARENA',
};

const SWITCH: Readonly<Record<string, boolean>> = { 1: true, true: true, yes: true, on: true, 0: false, false: false, no: false, off: false };

/**
 * One setting's value from text; `where` names its source in the error. A bad value is a usage
 * error that says what would do.
 */
export function parseTuning<K extends TuningName>(name: K, text: string, where: string): SessionTuning[K] {
  const t = text.trim().toLowerCase();
  if (name === 'threads') {
    if (/^\d+$/.test(t) && Number(t) >= 1) return Number(t) as SessionTuning[K];
    throw new TtsError('BAD_INPUT', `${where} is "${text}", not a number of threads.`, 'Give a whole number from 1, e.g. 2 (`tts config` shows the default here).');
  }
  if (name === 'executionMode') {
    if ((EXECUTION_MODES as readonly string[]).includes(t)) return t as SessionTuning[K];
    throw new TtsError('BAD_INPUT', `${where} is "${text}", not an execution mode.`, `Use ${EXECUTION_MODES.join(' or ')}.`);
  }
  if (t in SWITCH) return SWITCH[t] as SessionTuning[K];
  throw new TtsError('BAD_INPUT', `${where} is "${text}", neither on nor off.`, 'Use 1 or 0 (also true/false, yes/no, on/off).');
}

/**
 * Each setting `given` names, else its variable (the config file fills these in), else the
 * default; `machine()` gives the threads when nothing else does. `where` names a variable's source
 * in an error (default: the variable).
 */
export function resolveTuning(given: Partial<SessionTuning>, machine: () => number, where: (name: TuningName) => string = (n) => `$${TUNING_ENV[n]}`): SessionTuning {
  const fromEnv = <K extends TuningName>(name: K): SessionTuning[K] | undefined => {
    const v = process.env[TUNING_ENV[name]];
    return v === undefined || v === '' ? undefined : parseTuning(name, v, where(name));
  };
  return {
    threads: given.threads ?? fromEnv('threads') ?? machine(),
    spinning: given.spinning ?? fromEnv('spinning') ?? DEFAULT_SPINNING,
    executionMode: given.executionMode ?? fromEnv('executionMode') ?? 'sequential',
    memArena: given.memArena ?? fromEnv('memArena') ?? true,
  };
}

/** The same settings as variables, for a child tts process (bench's cold and server scenarios). */
export function tuningEnv(t: SessionTuning): Record<string, string> {
  return {
    [TUNING_ENV.threads]: String(t.threads),
    [TUNING_ENV.spinning]: t.spinning ? '1' : '0',
    [TUNING_ENV.executionMode]: t.executionMode,
    [TUNING_ENV.memArena]: t.memArena ? '1' : '0',
  };
}

/** One line for reports: "2 threads, no spinning, sequential, memory arena". */
export function describeTuning(t: SessionTuning): string {
  return `${t.threads} thread${t.threads === 1 ? '' : 's'}, ${t.spinning ? 'spinning' : 'no spinning'}, ${t.executionMode}, ${t.memArena ? 'memory arena' : 'no memory arena'}`;
}
