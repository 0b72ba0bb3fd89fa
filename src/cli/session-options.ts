// From the session flags (--threads, --spinning, --execution-mode, --mem-arena; defined in
// session-flags.ts) to the engine's session settings, each decided: a flag, else its variable or
// config-file key, else the measured default. Without oclif and without session.ts, so the cached
// `say` fast path checks the flags the same way at no cost. A bad value throws a BAD_INPUT TtsError
// (a usage error, exit 2) naming where it came from.
import { describeSource } from '../engine/config.js';
import { parseTuning, resolveTuning, type SessionTuning } from '../engine/session-tuning.js';

export interface SessionFlagValues {
  threads?: string | undefined;
  spinning?: boolean | undefined;
  'execution-mode'?: string | undefined;
  'mem-arena'?: boolean | undefined;
}

/** `machine()`: the threads when no flag or setting names them. */
export function sessionOptionsFrom(f: SessionFlagValues, machine: () => number): SessionTuning {
  return resolveTuning(
    {
      ...(f.threads !== undefined ? { threads: parseTuning('threads', f.threads, '--threads') } : {}),
      ...(f.spinning !== undefined ? { spinning: f.spinning } : {}),
      ...(f['execution-mode'] !== undefined ? { executionMode: parseTuning('executionMode', f['execution-mode'], '--execution-mode') } : {}),
      ...(f['mem-arena'] !== undefined ? { memArena: f['mem-arena'] } : {}),
    },
    machine,
    describeSource,
  );
}
