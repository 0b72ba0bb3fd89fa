import { Args, Flags } from '@oclif/core';
import { TtsCommand } from '../cli/base.js';
import { cacheDirFlag, cacheFlag, deviceFlag, lexiconFlag, offlineFlag, voiceFlags } from '../cli/flags.js';
import { loadLexiconFor } from '../cli/lexicon.js';
import { sayAudioOptions, type SayAudioOptions } from '../cli/say-options.js';
import { sessionFlags, sessionOptions } from '../cli/session-flags.js';
import { readStdin, stdinEndsWithin, stdinPieces } from '../cli/stdin.js';
import { isTtsError, TtsError } from '../engine/errors.js';

/** How long stdin may take to end before it is read as a live stream, sentence by sentence. */
export const STDIN_WHOLE_MS = 300;

export default class Say extends TtsCommand {
  static override summary = 'Speak text through the speakers, or write it to an audio file.';
  static override description = `Text comes from the argument, or from stdin when it is piped. Without --out the audio plays as it is synthesized: the first sentence plays while the rest is made.
Numbers, dates, money, units and abbreviations are read out in words. Correct a word inline with [word](/phonemes/), e.g. [Kokoro](/kˈOkəɹO/), or in a lexicon (--lexicon).
With no voice model installed, say downloads the default one; offline, it speaks with the built-in espeak-ng voice (--voice espeak:en-us) and says so. A voice you name (--voice, $TTS_VOICE, the config file) is downloaded or the command fails: it is never replaced by another.
Output is normalized to -16 LUFS with true peaks under -1 dBTP (--loudness, --no-normalize). --out writes WAV, raw PCM (s16le), MP3, Opus or FLAC, from the file's extension or --format; --out - streams to stdout as the audio is made.
Text piped from a program that keeps writing (llm … | tts say) is spoken sentence by sentence as it arrives.`;
  static override examples = [
    '<%= config.bin %> say "Hello world."',
    'echo "Hello world." | <%= config.bin %> say --voice af_heart --speed 1.2',
    '<%= config.bin %> say "Hello world." --out hello.wav',
    '<%= config.bin %> say "Hello world." --out - > hello.wav',
    '<%= config.bin %> say --file book.txt --out book.mp3 --pause 400',
    '<%= config.bin %> say "Hello world." --out - --format pcm --sample-rate 48000 | aplay -f S16_LE -r 48000',
    '<%= config.bin %> say "Meet [Kokoro](/kˈOkəɹO/)." --phonemes',
    '<%= config.bin %> say "Works offline." --voice espeak:en-gb',
  ];
  static override args = {
    // ignoreStdin: stdin is read here (whole, or sentence by sentence while it stays open), not by oclif.
    text: Args.string({ description: 'Text to speak; several words need no quotes (read from stdin when omitted).', multiple: true, ignoreStdin: true }),
  };
  static override flags = {
    ...voiceFlags,
    out: Flags.string({ char: 'o', description: 'Write an audio file instead of playing; "-" streams it to stdout.', helpValue: 'FILE' }),
    format: Flags.string({ description: 'Audio format of --out [default: from the extension, else wav].', options: ['wav', 'pcm', 'mp3', 'opus', 'flac'] }),
    'sample-rate': Flags.string({ description: 'Output sample rate in Hz [default: the model\'s].', helpValue: 'HZ' }),
    loudness: Flags.string({ description: 'Target loudness in LUFS [default: -16].', helpValue: 'LUFS' }),
    normalize: Flags.boolean({ description: 'Normalize loudness; --no-normalize keeps the model\'s level.', default: true, allowNo: true }),
    pause: Flags.string({ description: 'Pause after each sentence in ms [default: 200].', helpValue: 'MS' }),
    device: deviceFlag,
    file: Flags.string({ char: 'f', description: 'Read the text from FILE ("-" for stdin).', helpValue: 'FILE' }),
    phonemes: Flags.boolean({ description: 'Print each chunk\'s text, phonemes and model ids instead of speaking.', exclusive: ['out'] }),
    lexicon: lexiconFlag,
    cache: cacheFlag,
    'cache-dir': cacheDirFlag,
    offline: offlineFlag,
    ...sessionFlags,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Say);
    if (flags.offline) process.env.TTS_OFFLINE = '1';
    let audio: SayAudioOptions;
    let session: ReturnType<typeof sessionOptions>;
    try {
      audio = sayAudioOptions(flags);
      session = sessionOptions(flags);
      if (flags.file !== undefined && args.text?.length) throw new TtsError('BAD_INPUT', 'Both a text and --file were given.', 'Pass the text or --file FILE, not both.');
    } catch (err) {
      if (!isTtsError(err)) throw err;
      process.stderr.write(`tts: ${err.message}\n${err.hint ? `     ${err.hint}\n` : ''}`);
      return this.exit(2);
    }
    // The text: the argument, --file, or stdin — whole if it ends soon, else sentence by sentence.
    const fromStdin = flags.file === '-' || (flags.file === undefined && !args.text?.length && !process.stdin.isTTY);
    const live = fromStdin && !flags.phonemes && !(await stdinEndsWithin(STDIN_WHOLE_MS));
    const text = args.text?.length ? args.text.join(' ') : (flags.file && flags.file !== '-' ? await (await import('../cli/text-file.js')).readTextFile(flags.file) : fromStdin && !live ? await readStdin() : '');
    const { Engine } = await import('../engine/engine.js');
    const lexicon = await loadLexiconFor(flags.lexicon);
    const engine = new Engine({ cacheDir: flags['cache-dir'], cache: flags.cache, wholeRequests: true, session, ...(lexicon ? { lexicon } : {}) });
    let request = { text, voice: flags.voice, model: flags.model, dtype: flags.dtype, speed: flags.speed, loudness: audio.loudness, sampleRate: audio.sampleRate, pauseMs: audio.pauseMs };
    try {
      if (flags.phonemes) {
        for (const c of await engine.inspect(request)) {
          this.log(`text:     ${c.text}\nphonemes: ${c.phonemes}`);
          for (const ids of c.ids) this.log(`ids:      ${ids.join(' ')}`);
        }
        return;
      }
      if (!live) engine.check(request); // usage errors before any download
      if (flags.out && flags.out !== '-') await (await import('../engine/sinks/audio-file.js')).checkWritable(flags.out); // before any download
      const { prepareVoice } = await import('../engine/first-run.js');
      request = await prepareVoice(engine, request, { download: { progress: !this.quiet }, notice: (line) => this.notice(line) });
      this.detail(`voice ${engine.resolve(request).voiceId} (model ${engine.resolve(request).model.manifest.id})`);
      const { withProgress } = await import('../cli/say-progress.js');
      const chunks = withProgress(live ? engine.synthesizeStream((await import('../engine/text/sentence-stream.js')).completeSentences(stdinPieces()), request) : engine.synthesize(request));
      if (flags.out) {
        const { writeAudio } = await import('../engine/sinks/audio-out.js');
        await writeAudio(flags.out, chunks, { format: audio.format });
      } else {
        const { playChunks } = await import('../engine/sinks/speaker.js');
        await playChunks(chunks, flags.device ? { device: flags.device } : {});
      }
    } finally {
      await engine.close();
    }
  }
}
