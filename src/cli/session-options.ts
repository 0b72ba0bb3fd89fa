// From the session flags (--threads, --spinning, --execution-mode, --mem-arena; see
// session-flags.ts) to the engine's session settings, each decided: a flag, else its variable or
// config-file key, else the measured default. Without oclif, so the cached `say` fast path reads
// the flags the same way. A bad value throws a BAD_INPUT TtsError (a usage error, exit 2).
import { describeSource } from '../engine/config.js';
import { parseTuning, sessionTuning, type SessionTuning } from '../engine/session.js';

export interface SessionFlagValues {
  threads?: string | undefined;
  spinning?: boolean | undefined;
  'execution-mode'?: string | undefined;
  'mem-arena'?: boolean | undefined;
}

/** `machine`: the threads when no flag or setting names them (default: the usable physical cores). */
export function sessionOptionsFrom(f: SessionFlagValues, machine?: () => number): SessionTuning {
  return sessionTuning(
    {
      ...(f.threads !== undefined ? { threads: parseTuning('threads', f.threads, '--threads') } : {}),
      ...(f.spinning !== undefined ? { spinning: f.spinning } : {}),
      ...(f['execution-mode'] !== undefined ? { executionMode: parseTuning('executionMode', f['execution-mode'], '--execution-mode') } : {}),
      ...(f['mem-arena'] !== undefined ? { memArena: f['mem-arena'] } : {}),
    },
    describeSource,
    machine,
  );
}
