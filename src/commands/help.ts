import { Args, loadHelpClass } from '@oclif/core';
import { TtsCommand } from '../cli/base.js';
import { closest } from '../cli/suggest.js';
import { TtsError } from '../engine/errors.js';

export default class Help extends TtsCommand {
  static override summary = 'Show help for tts or for one command.';
  static override examples = ['<%= config.bin %> help', '<%= config.bin %> help say'];
  static override args = {
    command: Args.string({ description: 'The command to explain.' }),
  };

  async run(): Promise<void> {
    const { args } = await this.parse(Help);
    const ids = this.config.commands.filter((c) => !c.hidden).map((c) => c.id);
    if (args.command && !ids.includes(args.command)) {
      const guess = closest(args.command, ids);
      throw new TtsError('BAD_INPUT', `Unknown command "${args.command}".${guess ? ` Did you mean "${guess}"?` : ''}`, `Commands: ${ids.join(', ')}.`);
    }
    const HelpClass = await loadHelpClass(this.config);
    await new HelpClass(this.config).showHelp(args.command ? [args.command] : []);
  }
}
