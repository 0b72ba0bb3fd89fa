// Flags shared by the commands that synthesize.
import { Flags } from '@oclif/core';

export const cacheDirFlag = Flags.string({
  description: 'Folder for models and the audio cache [default: $XDG_CACHE_HOME/tts or ~/.cache/tts].',
  env: 'TTS_CACHE_DIR',
  helpValue: 'DIR',
});

export const voiceFlags = {
  voice: Flags.string({
    char: 'v',
    description: 'Voice: a Kokoro voice (af_heart), piper:<voice>[:<speaker>]. See `tts voices`.',
    helpValue: 'NAME',
  }),
  model: Flags.string({
    char: 'm',
    description: 'Model id (see `tts voices`) [default: $TTS_MODEL, else kokoro-v1.0 if installed, else any installed model].',
    helpValue: 'ID',
  }),
  dtype: Flags.string({
    description: 'Model variant: q8, fp32, or fp16 on a GPU [default: the installed one].',
    helpValue: 'DTYPE',
  }),
  speed: Flags.string({
    char: 's',
    description: 'Speaking rate from 0.5 to 2.0.',
    default: '1',
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

export const offlineFlag = Flags.boolean({
  description: 'Make no network access: use what is installed, else the built-in voice [also TTS_OFFLINE=1].',
});
