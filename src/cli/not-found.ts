// oclif's command_not_found hook: `tts sya hi` → one line naming the closest command, exit 2.
import type { Hook } from '@oclif/core';
import { closest } from './suggest.js';

export const NOT_FOUND: Hook<'command_not_found'> = async function (opts) {
  const typed = opts.id.split(':')[0] ?? opts.id;
  const commands = opts.config.commands.filter((c) => !c.hidden).map((c) => c.id);
  const guess = closest(typed, commands);
  process.stderr.write(`tts: unknown command "${typed}".${guess ? ` Did you mean "${guess}"?` : ''}\n`);
  process.stderr.write(`     \`tts help\` lists the commands: ${commands.join(', ')}.\n`);
  process.exitCode = 2;
  return undefined;
};
