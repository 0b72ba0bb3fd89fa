// The onnxruntime session flags of every command that runs a model (say, serve-stdin, serve,
// bench, warm), defined once, and their values as the engine's session settings.
import { Flags } from '@oclif/core';
import { machineThreads } from '../engine/session.js';
import { EXECUTION_MODES, type SessionTuning } from '../engine/session-tuning.js';
import { sessionOptionsFrom, type SessionFlagValues } from './session-options.js';

const helpGroup = 'SESSION';

export const sessionFlags = {
  threads: Flags.string({
    description: 'onnxruntime intra-op threads [default: $TTS_THREADS, else the physical cores that the CPU affinity and cgroup quota allow].',
    helpValue: 'N',
    helpGroup,
  }),
  spinning: Flags.boolean({
    description: 'Idle onnxruntime threads spin-wait for work [default: off, $TTS_SPINNING=1 turns it on]. Off because measured (`tts bench --ab`, README "Speed"): spinning cost 71 % more CPU per request, and was slower on a busy machine.',
    allowNo: true,
    helpGroup,
  }),
  'execution-mode': Flags.string({
    description: 'Run independent graph nodes one after another or in parallel [default: $TTS_EXECUTION_MODE, else sequential].',
    options: [...EXECUTION_MODES],
    helpGroup,
  }),
  'mem-arena': Flags.boolean({
    description: "onnxruntime's CPU memory arena [default: on, $TTS_MEM_ARENA=0 turns it off].",
    allowNo: true,
    helpGroup,
  }),
};

/** The settings the flags, variables and config file give (a bad value: a BAD_INPUT TtsError). */
export function sessionOptions(flags: SessionFlagValues): SessionTuning {
  return sessionOptionsFrom(flags, machineThreads);
}
