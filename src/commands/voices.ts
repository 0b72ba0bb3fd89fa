import { Flags } from '@oclif/core';
import { TtsCommand } from '../cli/base.js';
import { cacheDirFlag } from '../cli/flags.js';
import { formatTable } from '../cli/table.js';

export default class Voices extends TtsCommand {
  static override summary = 'List voices: language, quality, size, installed or not.';
  static override description = `Piper's full voice list is downloaded into the cache folder on first use (pinned in models/catalog.json); offline, the catalog's Piper voices are listed.
A voice that is not installed is fetched by \`tts warm --model <model> [--voice <voice>]\`, or by the first \`tts say --voice <voice>\`.`;
  static override examples = ['<%= config.bin %> voices', '<%= config.bin %> voices --lang en', '<%= config.bin %> voices --lang en-gb --json', '<%= config.bin %> voices --installed'];
  static override flags = {
    lang: Flags.string({ char: 'l', description: 'Only voices of this language: en (any English), en-gb, de, …', helpValue: 'LANG' }),
    installed: Flags.boolean({ description: 'Only voices that are ready to speak (installed or built in).' }),
    json: Flags.boolean({ description: 'Print JSON instead of a table.' }),
    available: Flags.boolean({ description: 'Include downloadable voices (the default; kept for old scripts).', hidden: true }),
    'cache-dir': cacheDirFlag,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Voices);
    const { listVoices } = await import('../engine/voices.js');
    const list = await listVoices({ cacheDir: flags['cache-dir'], installedOnly: flags.installed, lang: flags.lang, download: { progress: !this.quiet } });
    if (list.piperListMissing) this.notice(`tts: Piper's full voice list is not available (${list.piperListMissing.replace(/\.$/, '')}); listing the catalog's Piper voices only.`);
    if (flags.json) {
      this.log(JSON.stringify(list.rows, null, 2));
      return;
    }
    if (!list.rows.some((r) => !r.builtIn && r.installed)) this.notice('No neural voice is installed; `tts warm` downloads the default model and voice. The built-in espeak-ng voices work offline.');
    const size = (n: number | null): string => (n === null ? '' : n === 0 ? '-' : n >= 1e6 ? `${(n / 1e6).toFixed(0)} MB` : `${(n / 1e3).toFixed(0)} kB`);
    const status = (r: (typeof list.rows)[number]): string => `${r.builtIn ? 'built in' : r.installed ? 'installed' : 'download'}${r.isDefault ? ' (default)' : ''}`;
    this.log(
      formatTable(
        ['VOICE', 'LANGUAGE', 'GENDER', 'QUALITY', 'RATE', 'SIZE', 'STATUS', 'MODEL'],
        list.rows.map((r) => [r.voice, r.language || '-', r.gender || '-', r.quality || '-', `${(r.sampleRate / 1000).toFixed(r.sampleRate % 1000 ? 2 : 0)} kHz`, size(r.size), status(r), r.model]),
        { alignRight: [4, 5] },
      ),
    );
  }
}
