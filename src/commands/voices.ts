import { Flags } from '@oclif/core';
import { TtsCommand } from '../cli/base.js';
import { cacheDirFlag } from '../cli/flags.js';

export default class Voices extends TtsCommand {
  static override summary = 'List the voices of the installed models.';
  static override examples = ['<%= config.bin %> voices', '<%= config.bin %> voices --json', '<%= config.bin %> voices --available'];
  static override flags = {
    json: Flags.boolean({ description: 'Print JSON instead of a table.' }),
    available: Flags.boolean({ description: 'Also list catalog voices that can be downloaded with `tts warm --voice`.' }),
    'cache-dir': cacheDirFlag,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Voices);
    const { listVoices } = await import('../engine/voices.js');
    const rows = listVoices({ cacheDir: flags['cache-dir'], available: flags.available });
    if (flags.json) {
      this.log(JSON.stringify(rows, null, 2));
      return;
    }
    if (!rows.some((r) => !r.builtIn)) this.logToStderr('No neural voice is installed; `tts warm` downloads the default model and voice. The built-in espeak-ng voices work offline.');
    const width = Math.max(5, ...rows.map((r) => r.voice.length));
    this.log(`${'VOICE'.padEnd(width)}  ${'MODEL'.padEnd(16)}  STATUS`);
    for (const r of rows) this.log(`${r.voice.padEnd(width)}  ${r.model.padEnd(16)}  ${r.builtIn ? 'built in' : r.installed ? 'installed' : 'available'}${r.isDefault ? ' (default)' : ''}`);
  }
}
