// Fake audio players for playback fault tests: shell scripts named `aplay` (so tts gives them
// aplay's arguments and streams raw PCM to their stdin), selected with $TTS_PLAYER. Each call,
// except the `--version` probe, appends its arguments to `calls.log` beside it.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './helpers.js';

export type PlayerKind =
  /** Fails at once, as aplay does with no sound card. */
  | 'fails'
  /** Exits 0 at once without reading its input. */
  | 'exits-early'
  /** Reads all of its input and exits 0, like a working player. */
  | 'plays'
  /** Neither reads nor exits (a player stuck on a dead device). */
  | 'hangs'
  /** Takes turns: fails, exits early, plays (a counter file keeps the turn). */
  | 'rotates';

const BODY: Record<PlayerKind, string> = {
  fails: 'echo "ALSA lib pcm.c:2666:(snd_pcm_open_noupdate) Unknown PCM default" >&2\necho "aplay: main:831: audio open error: No such file or directory" >&2\nexit 1',
  'exits-early': 'exit 0',
  plays: 'cat > /dev/null',
  hangs: 'exec sleep 600',
  rotates: [
    'n=$(cat "$DIR/turn" 2>/dev/null || echo 0); echo $((n + 1)) > "$DIR/turn"',
    'case $((n % 3)) in',
    '  0) echo "aplay: audio open error: Device or resource busy" >&2; exit 1 ;;',
    '  1) exit 0 ;;',
    '  *) cat > /dev/null ;;',
    'esac',
  ].join('\n'),
};

export interface FakePlayer {
  /** Path to give $TTS_PLAYER. */
  path: string;
  /** The argument lists it was called with, one per call. */
  calls(): string[];
}

export function fakePlayer(kind: PlayerKind): FakePlayer {
  const dir = join(tempDir('tts-player-'), kind);
  mkdirSync(dir);
  const path = join(dir, 'aplay');
  const log = join(dir, 'calls.log');
  writeFileSync(path, `#!/bin/sh\nDIR="${dir}"\n[ "$1" = "--version" ] && exit 0\necho "$*" >> "$DIR/calls.log"\n${BODY[kind]}\n`);
  chmodSync(path, 0o755);
  return { path, calls: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []) };
}

/** A text long enough that its audio overflows a pipe (64 KiB) with the first chunks. */
export const LONG_TEXT = Array.from({ length: 12 }, (_, i) => `This is sentence number ${i + 1}, and it is long enough to fill a pipe.`).join(' ');
