import { Flags } from '@oclif/core';
import { TtsCommand } from '../cli/base.js';

export default class Config extends TtsCommand {
  static override summary = 'Show the settings in effect and where each comes from.';
  static override description = `Settings come from, in order: a command's flag, an environment variable (TTS_VOICE, TTS_SPEED, TTS_MODEL, TTS_DTYPE, TTS_CACHE_DIR, TTS_LEXICON, TTS_THREADS, TTS_SPINNING, TTS_EXECUTION_MODE, TTS_MEM_ARENA), the config file, the built-in default.
The config file is $XDG_CONFIG_HOME/tts/config.json (~/.config/tts/config.json), or the file $TTS_CONFIG names: a JSON object with any of the keys voice, speed, model, dtype, cacheDir, lexicon, threads, spinning, executionMode, memArena, e.g. {"voice": "bf_emma", "speed": 1.1, "threads": 2}.`;
  static override examples = ['<%= config.bin %> config', '<%= config.bin %> config --json'];
  static override flags = {
    json: Flags.boolean({ description: 'Print JSON instead of a table.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Config);
    const { effectiveSettings, configFile } = await import('../engine/config.js');
    const { resolveCacheDir } = await import('../engine/models/paths.js');
    const { loadCatalog } = await import('../engine/models/catalog.js');
    const { machineThreads } = await import('../engine/session.js');
    const { DEFAULT_SPINNING } = await import('../engine/session-tuning.js');
    const catalog = loadCatalog();
    const def = catalog.models.find((m) => m.id === catalog.default);
    const settings = effectiveSettings({
      voice: `${def?.defaultVoice ?? ''} (the default model's default voice)`.trim(),
      speed: '1',
      model: `${catalog.default} when installed, else an installed model`,
      dtype: 'the installed variant',
      cacheDir: resolveCacheDir(),
      lexicon: '~/.config/tts/lexicon.txt if present',
      threads: `${machineThreads()} (the physical cores within the CPU limit)`,
      spinning: DEFAULT_SPINNING ? '1 (on)' : '0 (off)',
      executionMode: 'sequential',
      memArena: '1 (on)',
    });
    if (flags.json) {
      this.log(JSON.stringify({ configFile: configFile(), settings }, null, 2));
      return;
    }
    const w = Math.max(...settings.map((s) => s.name.length));
    const v = Math.max(...settings.map((s) => (s.value ?? '').length));
    this.log(`${'SETTING'.padEnd(w)}  ${'VALUE'.padEnd(v)}  FROM`);
    for (const s of settings) this.log(`${s.name.padEnd(w)}  ${(s.value ?? '').padEnd(v)}  ${s.source}`);
    this.log(`\nconfig file: ${configFile()}`);
  }
}
