import { Args, Flags } from '@oclif/core';
import { TtsCommand } from '../cli/base.js';
import { cacheDirFlag, cacheFlag, voiceFlags } from '../cli/flags.js';
import { readStdin } from '../cli/stdin.js';

export default class Say extends TtsCommand {
  static override summary = 'Speak text through the speakers, or write it to a WAV file.';
  static override description =
    'Text comes from the argument, or from stdin when it is piped. Without --out the audio plays as it is synthesized.';
  static override examples = [
    '<%= config.bin %> say "Hello world."',
    'echo "Hello world." | <%= config.bin %> say --voice af_heart --speed 1.2',
    '<%= config.bin %> say "Hello world." --out hello.wav',
    '<%= config.bin %> say "Hello world." --out - > hello.wav',
  ];
  static override args = {
    text: Args.string({ description: 'Text to speak (read from stdin when omitted).' }),
  };
  static override flags = {
    ...voiceFlags,
    out: Flags.string({ char: 'o', description: 'Write a WAV file instead of playing; "-" writes it to stdout.', helpValue: 'FILE' }),
    cache: cacheFlag,
    'cache-dir': cacheDirFlag,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Say);
    const text = args.text ?? (process.stdin.isTTY ? '' : await readStdin());
    const { Engine } = await import('../engine/engine.js');
    const engine = new Engine({ cacheDir: flags['cache-dir'], cache: flags.cache });
    const request = { text, voice: flags.voice, model: flags.model, dtype: flags.dtype, speed: flags.speed };
    try {
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
