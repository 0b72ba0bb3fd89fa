import { Args, Flags } from '@oclif/core';
import { TtsCommand } from '../cli/base.js';
import { cacheDirFlag, cacheFlag, lexiconFlag, voiceFlags } from '../cli/flags.js';
import { loadLexiconFor } from '../cli/lexicon.js';
import { readStdin } from '../cli/stdin.js';

export default class Say extends TtsCommand {
  static override summary = 'Speak text through the speakers, or write it to a WAV file.';
  static override description = `Text comes from the argument, or from stdin when it is piped. Without --out the audio plays as it is synthesized: the first sentence plays while the rest is made.
Numbers, dates, money, units and abbreviations are read out in words. Correct a word inline with [word](/phonemes/), e.g. [Kokoro](/kˈOkəɹO/), or in a lexicon (--lexicon).
With no voice model installed, say downloads the default one; offline, it speaks with the built-in espeak-ng voice (--voice espeak:en-us) and says so. A voice you name (--voice, $TTS_VOICE, the config file) is downloaded or the command fails: it is never replaced by another.`;
  static override examples = [
    '<%= config.bin %> say "Hello world."',
    'echo "Hello world." | <%= config.bin %> say --voice af_heart --speed 1.2',
    '<%= config.bin %> say "Hello world." --out hello.wav',
    '<%= config.bin %> say "Hello world." --out - > hello.wav',
    '<%= config.bin %> say "Meet [Kokoro](/kˈOkəɹO/)." --phonemes',
    '<%= config.bin %> say "Works offline." --voice espeak:en-gb',
  ];
  static override args = {
    text: Args.string({ description: 'Text to speak; several words need no quotes (read from stdin when omitted).', multiple: true, ignoreStdin: true }), // stdin is read by readStdin
  };
  static override flags = {
    ...voiceFlags,
    out: Flags.string({ char: 'o', description: 'Write a WAV file instead of playing; "-" writes it to stdout.', helpValue: 'FILE' }),
    phonemes: Flags.boolean({ description: 'Print each chunk\'s text, phonemes and model ids instead of speaking.', exclusive: ['out'] }),
    lexicon: lexiconFlag,
    cache: cacheFlag,
    'cache-dir': cacheDirFlag,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Say);
    const text = args.text?.join(' ') ?? (process.stdin.isTTY ? '' : await readStdin());
    const { Engine } = await import('../engine/engine.js');
    const lexicon = await loadLexiconFor(flags.lexicon);
    const engine = new Engine({ cacheDir: flags['cache-dir'], cache: flags.cache, ...(lexicon ? { lexicon } : {}) });
    let request = { text, voice: flags.voice, model: flags.model, dtype: flags.dtype, speed: flags.speed };
    try {
      if (flags.phonemes) {
        for (const c of await engine.inspect(request)) {
          this.log(`text:     ${c.text}\nphonemes: ${c.phonemes}`);
          for (const ids of c.ids) this.log(`ids:      ${ids.join(' ')}`);
        }
        return;
      }
      engine.check(request); // usage errors before any download
      if (flags.out && flags.out !== '-') await (await import('../engine/sinks/wav-file.js')).checkWritable(flags.out); // before any download
      const { prepareVoice } = await import('../engine/first-run.js');
      request = await prepareVoice(engine, request, { download: { progress: !this.quiet }, notice: (line) => this.notice(line) });
      this.detail(`voice ${engine.resolve(request).voiceId} (model ${engine.resolve(request).model.manifest.id})`);
      if (flags.out === '-') {
        const { writeWavStdout } = await import('../engine/sinks/wav-file.js');
        await writeWavStdout(engine.synthesize(request));
      } else if (flags.out) {
        const { writeWavFile } = await import('../engine/sinks/wav-file.js');
        await writeWavFile(flags.out, engine.synthesize(request));
      } else {
        const { playChunks } = await import('../engine/sinks/speaker.js');
        await playChunks(engine.synthesize(request));
      }
    } finally {
      await engine.close();
    }
  }
}
