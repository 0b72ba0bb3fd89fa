// The command map oclif loads (explicit strategy: no directory scan at start-up).
import Say from './commands/say.js';
import Voices from './commands/voices.js';
import Warm from './commands/warm.js';

export const COMMANDS = {
  say: Say,
  voices: Voices,
  warm: Warm,
};
