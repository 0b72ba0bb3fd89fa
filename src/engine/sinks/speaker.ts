// Speaker sink: plays chunks as they arrive through the `speaker` module (ALSA on Linux, CoreAudio
// on macOS), waiting whenever its buffer is full. `speaker` is an optional native dependency; where
// it could not be built, a system player (aplay, paplay, afplay, ffplay) is used instead.
import { spawn, type ChildProcess } from 'node:child_process';
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

export interface PlaybackOptions {
  /** Stops playback: no further chunks are written and the device is closed without draining. */
  signal?: AbortSignal;
}

export async function playChunks(chunks: AsyncIterable<AudioChunk>, opts: PlaybackOptions = {}): Promise<void> {
  const Speaker = process.env.TTS_PLAYER ? null : loadSpeaker();
  if (Speaker) return playWithSpeaker(Speaker, chunks, opts);
  return playWithSystemPlayer(chunks, opts);
}

async function playWithSpeaker(Speaker: SpeakerCtor, chunks: AsyncIterable<AudioChunk>, opts: PlaybackOptions): Promise<void> {
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
      if (failed || opts.signal?.aborted) break;
      if (!device.write(pcm16Bytes(chunk.pcm))) await waitDrain(device, () => failed ?? (opts.signal?.aborted ? new Error('aborted') : undefined), opts.signal);
    }
  } finally {
    if (opts.signal?.aborted) (device as unknown as { close?: (flush: boolean) => void } | undefined)?.close?.(false);
    else device?.end();
    await closed;
  }
  if (failed) throw new TtsError('NO_AUDIO_OUTPUT', `Audio playback failed: ${failed.message}.`, 'Check your sound device, or write a file with --out speech.wav.');
}

function waitDrain(device: Writable, failed: () => Error | undefined, signal?: AbortSignal): Promise<void> {
  if (failed()) return Promise.resolve();
  return new Promise((res) => {
    const done = (): void => {
      device.off('drain', done);
      device.off('close', done);
      signal?.removeEventListener('abort', done);
      res();
    };
    device.once('drain', done);
    device.once('close', done);
    signal?.addEventListener('abort', done);
  });
}

interface Player {
  cmd: string;
  /** Arguments to play raw mono PCM16 at `rate` from stdin (streaming), when the player can. */
  raw?: (rate: number) => string[];
  /** Arguments to play a WAV file. */
  file: (file: string) => string[];
}

const PLAYERS: Player[] = [
  { cmd: 'aplay', raw: (r) => ['-q', '-t', 'raw', '-f', 'S16_LE', '-c', '1', '-r', String(r), '-'], file: (f) => ['-q', f] },
  { cmd: 'paplay', raw: (r) => ['--raw', '--format=s16le', '--channels=1', `--rate=${r}`], file: (f) => [f] },
  { cmd: 'ffplay', raw: (r) => ['-nodisp', '-autoexit', '-loglevel', 'quiet', '-f', 's16le', '-ar', String(r), '-ac', '1', '-'], file: (f) => ['-nodisp', '-autoexit', '-loglevel', 'quiet', f] },
  { cmd: 'afplay', file: (f) => [f] },
];

/** The player named by $TTS_PLAYER, else the first known one on PATH. */
async function findPlayer(): Promise<Player | undefined> {
  const forced = process.env.TTS_PLAYER;
  const candidates = forced ? [{ ...(PLAYERS.find((p) => basename(forced) === p.cmd) ?? { file: (f: string) => [f] }), cmd: forced }] : PLAYERS;
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

async function playWithSystemPlayer(chunks: AsyncIterable<AudioChunk>, opts: PlaybackOptions): Promise<void> {
  const player = await findPlayer();
  if (!player) {
    throw new TtsError('NO_AUDIO_OUTPUT', 'No way to play audio here: the `speaker` module is not built and no system player (aplay, paplay, ffplay, afplay) was found.', 'Write a file instead: tts say "…" --out speech.wav (or --out - for stdout).');
  }
  const failed = (err: Error): TtsError => new TtsError('NO_AUDIO_OUTPUT', `Audio playback failed: ${err.message}.`, 'Write a file instead with --out speech.wav.');
  if (player.raw) {
    // Stream: start the player on the first chunk's sample rate and feed it chunks as they come.
    let child: ChildProcess | undefined;
    let exited: Promise<void> | undefined;
    for await (const chunk of chunks) {
      if (opts.signal?.aborted) break;
      if (!child) {
        child = spawn(player.cmd, player.raw(chunk.sampleRate), { stdio: ['pipe', 'ignore', 'inherit'] });
        exited = waitExit(child, player.cmd, opts.signal);
        child.stdin!.on('error', () => undefined); // a player that dies is reported by its exit code
      }
      if (!child.stdin!.write(pcm16Bytes(chunk.pcm))) await new Promise<void>((r) => child!.stdin!.once('drain', () => r()));
    }
    if (opts.signal?.aborted) child?.kill();
    child?.stdin!.end();
    await exited?.catch((err: Error) => {
      throw failed(err);
    });
    return;
  }
  const clip = await collectPcm(chunks);
  const file = join(tmpdir(), `tts-play-${process.pid}-${Date.now()}.wav`);
  await writeFile(file, encodeWav(clip.pcm, clip.sampleRate));
  try {
    await waitExit(spawn(player.cmd, player.file(file), { stdio: ['ignore', 'ignore', 'inherit'] }), player.cmd, opts.signal).catch((err: Error) => {
      throw failed(err);
    });
  } finally {
    await rm(file, { force: true });
  }
}

function waitExit(p: ChildProcess, cmd: string, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((res, rej) => {
    const stop = (): boolean => p.kill();
    signal?.addEventListener('abort', stop);
    p.on('error', rej);
    p.on('exit', (code) => {
      signal?.removeEventListener('abort', stop);
      if (code === 0 || signal?.aborted) res();
      else rej(new Error(`${cmd} exited with code ${code}`));
    });
  });
}
