// Flags shared by the commands that synthesize.
import { Flags } from '@oclif/core';
import { isTtsError } from '../engine/errors.js';
import { parseProviders } from '../engine/session.js';

export const cacheDirFlag = Flags.string({
  description: 'Folder for models and the audio cache [default: $XDG_CACHE_HOME/tts or ~/.cache/tts].',
  env: 'TTS_CACHE_DIR',
  helpValue: 'DIR',
});

export const voiceFlags = {
  voice: Flags.string({
    char: 'v',
    description: 'Voice: a Kokoro voice (af_heart) or blend (af_heart:0.7,af_bella:0.3), piper:<voice>[:<speaker>], espeak:<language>. See `tts voices`.',
    env: 'TTS_VOICE',
    helpValue: 'NAME',
  }),
  model: Flags.string({
    char: 'm',
    description: 'Model id (see `tts voices`), or the path of your own Kokoro or Piper .onnx file [default: $TTS_MODEL, else kokoro-v1.0 if installed, else any installed model].',
    helpValue: 'ID',
  }),
  dtype: Flags.string({
    description: 'Model variant: q8, fp32, or fp16 on a GPU [default: the installed one].',
    env: 'TTS_DTYPE',
    helpValue: 'DTYPE',
  }),
  speed: Flags.string({
    char: 's',
    description: 'Speaking rate from 0.5 to 2.0.',
    default: '1',
    env: 'TTS_SPEED',
    helpValue: 'RATE',
  }),
};

export const cacheFlag = Flags.boolean({
  description: 'Use the audio and phoneme caches; --no-cache neither reads nor writes them.',
  default: true,
  allowNo: true,
});

export const lexiconFlag = Flags.string({
  description: 'Pronunciation lexicon: one "WORD /phonemes/" or "WORD respelling" per line [default: ~/.config/tts/lexicon.txt if present].',
  env: 'TTS_LEXICON',
  helpValue: 'FILE',
});

/** `--provider LIST` checked while flags are parsed, so a bad name is a usage error (exit 2). */
export function parseProvidersFlag(text: string): string[] {
  try {
    return parseProviders(text);
  } catch (err) {
    throw new Error(isTtsError(err) && err.hint ? `${err.message} ${err.hint}` : (err as Error).message);
  }
}

export const offlineFlag = Flags.boolean({
  description: 'Make no network access: use what is installed, else the built-in voice [also TTS_OFFLINE=1].',
});

export const deviceFlag = Flags.string({
  description: 'Play on this device instead of the default: an ALSA name for speaker/aplay (e.g. plughw:1, see `aplay -L`), a sink for paplay.',
  env: 'TTS_DEVICE',
  helpValue: 'NAME',
});
