// Where `tts bench` writes its result files when --out-dir is not given: the user's state folder
// ($XDG_STATE_HOME/tts/bench, ~/.local/state/tts/bench), never the current directory.
import { homedir, platform } from 'node:os';
import { join } from 'node:path';

export function defaultOutDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TTS_BENCH_DIR) return env.TTS_BENCH_DIR;
  switch (platform()) {
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', 'tts', 'bench');
    case 'win32':
      return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'tts', 'bench');
    default:
      return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'tts', 'bench');
  }
}
