// Speaker sink: plays chunks as they arrive through the `speaker` module (ALSA on Linux, CoreAudio
// on macOS), waiting whenever its buffer is full. `speaker` is an optional native dependency; where
// it could not be built, a system player (aplay, paplay, afplay, ffplay) is used instead.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile, rm } from 'node:fs/promises';
import { homedir, platform, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Writable } from 'node:stream';
import { pcm16Bytes } from '../audio/pcm.js';
import { encodeWav } from '../audio/wav.js';
import type { AudioChunk } from '../engine.js';
import { TtsError } from '../errors.js';
import { collectPcm } from './collect.js';

interface SpeakerOptions {
  channels: number;
  bitDepth: number;
  sampleRate: number;
  signed?: boolean;
}
type SpeakerCtor = new (opts: SpeakerOptions) => Writable;

let speakerCtor: SpeakerCtor | null | undefined;

/**
 * Whether ALSA has a default device to open. Loading `speaker` opens the default device to probe
 * its formats, and its bundled mpg123 aborts the whole process when there is none (no sound card,
 * no ALSA configuration), so this is checked before the module is loaded.
 */
export function alsaHasDefaultDevice(): boolean {
  if (platform() !== 'linux') return true;
  if (process.env.ALSA_CONFIG_PATH) return true;
  if ([join(homedir(), '.asoundrc'), '/etc/asound.conf'].some((f) => existsSync(f))) return true;
  try {
    return !/no soundcards/i.test(readFileSync('/proc/asound/cards', 'utf8'));
  } catch {
    return false;
  }
}

/** The `speaker` class, or null when the native module is not installed, did not build, or has no device. */
export function loadSpeaker(): SpeakerCtor | null {
  if (speakerCtor === undefined) {
    if (!alsaHasDefaultDevice()) return (speakerCtor = null);
    try {
      speakerCtor = createRequire(import.meta.url)('speaker') as SpeakerCtor;
    } catch {
      speakerCtor = null;
    }
  }
  return speakerCtor;
}

export interface PlaybackEvents {
  /** Called when a chunk has been handed to the audio device. */
  onChunkQueued?: (chunk: AudioChunk) => void;
}

export async function playChunks(chunks: AsyncIterable<AudioChunk>, events: PlaybackEvents = {}): Promise<void> {
  const Speaker = process.env.TTS_PLAYER ? null : loadSpeaker();
  if (Speaker) return playWithSpeaker(Speaker, chunks, events);
  return playWithSystemPlayer(chunks);
}

async function playWithSpeaker(Speaker: SpeakerCtor, chunks: AsyncIterable<AudioChunk>, events: PlaybackEvents): Promise<void> {
  let device: Writable | undefined;
  let failed: Error | undefined;
  let closed: Promise<void> | undefined;
  try {
    for await (const chunk of chunks) {
      if (!device) {
        device = new Speaker({ channels: 1, bitDepth: 16, sampleRate: chunk.sampleRate, signed: true });
        const d = device;
        closed = new Promise<void>((res) => {
          d.once('close', () => res());
          d.once('error', (err: Error) => {
            failed = err;
            res();
          });
        });
      }
      if (failed) break;
      if (!device.write(pcm16Bytes(chunk.pcm))) await waitDrain(device, () => failed);
      events.onChunkQueued?.(chunk);
    }
  } finally {
    device?.end();
    await closed;
  }
  if (failed) throw new TtsError('NO_AUDIO_OUTPUT', `Audio playback failed: ${failed.message}.`, 'Check your sound device, or write a file with --out speech.wav.');
}

function waitDrain(device: Writable, failed: () => Error | undefined): Promise<void> {
  if (failed()) return Promise.resolve();
  return new Promise((res) => {
    const done = (): void => {
      device.off('drain', done);
      device.off('close', done);
      res();
    };
    device.once('drain', done);
    device.once('close', done);
  });
}

const PLAYERS: { cmd: string; args: (file: string) => string[] }[] = [
  { cmd: 'aplay', args: (f) => ['-q', f] },
  { cmd: 'paplay', args: (f) => [f] },
  { cmd: 'afplay', args: (f) => [f] },
  { cmd: 'ffplay', args: (f) => ['-nodisp', '-autoexit', '-loglevel', 'quiet', f] },
];

/** The player named by $TTS_PLAYER, else the first known one on PATH. */
async function findPlayer(): Promise<{ cmd: string; args: (file: string) => string[] } | undefined> {
  const forced = process.env.TTS_PLAYER;
  const candidates = forced
    ? [{ cmd: forced, args: PLAYERS.find((p) => basename(forced) === p.cmd)?.args ?? ((f: string) => [f]) }]
    : PLAYERS;
  for (const c of candidates) if (await onPath(c.cmd)) return c;
  return undefined;
}

function onPath(cmd: string): Promise<boolean> {
  return new Promise((res) => {
    const p = spawn(cmd.includes('/') ? cmd : 'sh', cmd.includes('/') ? ['--version'] : ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    p.on('error', () => res(false));
    p.on('exit', (code) => res(cmd.includes('/') ? true : code === 0));
  });
}

async function playWithSystemPlayer(chunks: AsyncIterable<AudioChunk>): Promise<void> {
  const player = await findPlayer();
  if (!player) {
    throw new TtsError('NO_AUDIO_OUTPUT', 'No way to play audio here: the `speaker` module is not built and no system player (aplay, paplay, afplay, ffplay) was found.', 'Write a file instead: tts say "…" --out speech.wav (or --out - for stdout).');
  }
  const clip = await collectPcm(chunks);
  const file = join(tmpdir(), `tts-play-${process.pid}-${Date.now()}.wav`);
  await writeFile(file, encodeWav(clip.pcm, clip.sampleRate));
  try {
    await new Promise<void>((res, rej) => {
      const p = spawn(player.cmd, player.args(file), { stdio: ['ignore', 'ignore', 'inherit'] });
      p.on('error', rej);
      p.on('exit', (code) => (code === 0 ? res() : rej(new Error(`${player.cmd} exited with code ${code}`))));
    }).catch((err: Error) => {
      throw new TtsError('NO_AUDIO_OUTPUT', `Audio playback failed: ${err.message}.`, 'Write a file instead with --out speech.wav.');
    });
  } finally {
    await rm(file, { force: true });
  }
}
