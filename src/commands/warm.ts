import { Flags } from '@oclif/core';
import { TtsCommand } from '../cli/base.js';
import { cacheDirFlag } from '../cli/flags.js';

export default class Warm extends TtsCommand {
  static override summary = 'Download and verify a model and its voices, so that `tts say` is ready.';
  static override examples = [
    '<%= config.bin %> warm',
    '<%= config.bin %> warm --model kokoro-v1.0 --dtype fp32 --voice af_heart --voice bf_emma',
  ];
  static override flags = {
    model: Flags.string({ char: 'm', description: 'Catalog model id [default: the catalog default, kokoro-v1.0].', helpValue: 'ID' }),
    dtype: Flags.string({ description: 'Variant to fetch: fp32, fp16, q8, q4 [default: the model\'s default].', helpValue: 'DTYPE' }),
    voice: Flags.string({ char: 'v', description: 'Voice to fetch (repeatable) [default: the model\'s default voice].', multiple: true, helpValue: 'NAME' }),
    'cache-dir': cacheDirFlag,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Warm);
    const { resolveCacheDir } = await import('../engine/models/paths.js');
    const { loadCatalog } = await import('../engine/models/catalog.js');
    const { installModel } = await import('../engine/models/install.js');
    const cacheDir = resolveCacheDir(flags['cache-dir']);
    const report = await installModel(
      cacheDir,
      { model: flags.model ?? loadCatalog().default, ...(flags.dtype ? { dtype: flags.dtype } : {}), ...(flags.voice ? { voices: flags.voice } : {}) },
      { progress: true },
    );
    for (const f of report.downloaded) this.logToStderr(`downloaded ${f}`);
    for (const f of report.verified) this.logToStderr(`verified   ${f}`);
    this.logToStderr(`ready: ${report.model.manifest.id} in ${report.model.dir}`);
  }
}
