import { Args } from '@oclif/core';
import { TtsCommand } from '../cli/base.js';
import { completionScript, SHELLS, type Shell } from '../cli/completion.js';

export default class Completion extends TtsCommand {
  static override summary = 'Print a shell completion script (bash, zsh, fish).';
  static override examples = [
    'source <(<%= config.bin %> completion bash)      # in ~/.bashrc',
    'source <(<%= config.bin %> completion zsh)       # in ~/.zshrc',
    '<%= config.bin %> completion fish > ~/.config/fish/completions/tts.fish',
  ];
  static override args = {
    shell: Args.string({ description: 'bash, zsh or fish.', required: true, options: [...SHELLS] }),
  };

  async run(): Promise<void> {
    const { args } = await this.parse(Completion);
    const commands: Record<string, string[]> = {};
    for (const c of this.config.commands.filter((x) => !x.hidden)) {
      commands[c.id] = Object.entries(c.flags)
        .filter(([, f]) => !f.hidden)
        .flatMap(([name, f]) => [name, ...((f as { allowNo?: boolean }).allowNo ? [`no-${name}`] : [])])
        .concat('help');
    }
    process.stdout.write(completionScript(args.shell as Shell, { commands }));
  }
}
