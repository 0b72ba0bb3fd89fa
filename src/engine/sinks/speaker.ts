// Speaker sink: plays chunks as they arrive through the `speaker` module (ALSA on Linux, CoreAudio
// on macOS), waiting whenever its buffer is full. `speaker` is an optional native dependency; where
// it could not be built, a system player (aplay, paplay, afplay, ffplay) is used instead.
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { homedir, platform, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Writable } from 'node:stream';
import { pcm16Bytes } from '../audio/pcm.js';
import { encodeWav } from '../audio/wav.js';
import type { AudioChunk } from '../engine.js';
import { TtsError } from '../errors.js';
import { collectPcm } from './collect.js';

/** node:child_process, loaded when a player is started (not for a cached `say --out`, which has no use for it). */
const spawn = (): typeof import('node:child_process').spawn => (createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process')).spawn;

interface SpeakerOptions {
  channels: number;
  bitDepth: number;
  sampleRate: number;
  signed?: boolean;
  device?: string;
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
  /**
   * Output device: an ALSA PCM name for `speaker` and aplay (`hw:1,0`, `plughw:1`, see `aplay -L`),
   * a sink name for paplay (see `pactl list short sinks`). Default: the system's default device.
   */
  device?: string;
}

const HINT = 'Check the sound device (--device NAME picks another one), or write the audio to a file instead: --out speech.wav (or --out - for stdout).';

/** Every playback failure is this one error: a clear message, the way out, never a stack trace. */
function playbackFailed(why: string): TtsError {
  return new TtsError('NO_AUDIO_OUTPUT', `Audio playback failed: ${why.replace(/\.$/, '')}.`, HINT);
}

/**
 * Plays the chunks as they arrive. Resolves when the last one has been played (or playback was
 * aborted); rejects with a NO_AUDIO_OUTPUT TtsError when the device or player fails at any point,
 * including a player that exits, even with code 0, before all the audio was given to it.
 */
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
        try {
          device = new Speaker({ channels: 1, bitDepth: 16, sampleRate: chunk.sampleRate, signed: true, ...(opts.device ? { device: opts.device } : {}) });
        } catch (err) {
          throw playbackFailed((err as Error).message);
        }
        const d = device;
        closed = new Promise<void>((res) => {
          d.once('close', () => res());
          d.on('error', (err: Error) => {
            failed ??= err;
            res();
          });
        });
      }
      if (failed || opts.signal?.aborted) break;
      if (!device.write(pcm16Bytes(chunk.pcm))) await waitDrain(device, () => failed ?? (opts.signal?.aborted ? new Error('aborted') : undefined), opts.signal);
      if (failed) break;
    }
  } finally {
    if (opts.signal?.aborted || failed) (device as unknown as { close?: (flush: boolean) => void } | undefined)?.close?.(false);
    else device?.end();
    await closed;
  }
  if (failed) throw playbackFailed(`${failed.message}${opts.device ? ` (device ${opts.device})` : ''}`);
}

function waitDrain(device: Writable, failed: () => Error | undefined, signal?: AbortSignal): Promise<void> {
  if (failed()) return Promise.resolve();
  return new Promise((res) => {
    const done = (): void => {
      device.off('drain', done);
      device.off('close', done);
      device.off('error', done);
      signal?.removeEventListener('abort', done);
      res();
    };
    device.once('drain', done);
    device.once('close', done);
    device.once('error', done);
    signal?.addEventListener('abort', done);
  });
}

interface Player {
  cmd: string;
  /** Arguments to play raw mono PCM16 at `rate` from stdin (streaming), when the player can. */
  raw?: (rate: number) => string[];
  /** Arguments to play a WAV file. */
  file: (file: string) => string[];
  /** Arguments that choose the output device, when the player can. */
  device?: (name: string) => string[];
}

const PLAYERS: Player[] = [
  { cmd: 'aplay', raw: (r) => ['-q', '-t', 'raw', '-f', 'S16_LE', '-c', '1', '-r', String(r), '-'], file: (f) => ['-q', f], device: (d) => ['-D', d] },
  { cmd: 'paplay', raw: (r) => ['--raw', '--format=s16le', '--channels=1', `--rate=${r}`], file: (f) => [f], device: (d) => [`--device=${d}`] },
  { cmd: 'ffplay', raw: (r) => ['-nodisp', '-autoexit', '-loglevel', 'quiet', '-f', 's16le', '-ar', String(r), '-ac', '1', '-'], file: (f) => ['-nodisp', '-autoexit', '-loglevel', 'quiet', f] },
  { cmd: 'afplay', file: (f) => [f] },
];

/** The player named by $TTS_PLAYER, else the first known one on PATH (one that can pick `device`, when given). */
async function findPlayer(device: string | undefined): Promise<Player> {
  const forced = process.env.TTS_PLAYER;
  const candidates = forced ? [{ ...(PLAYERS.find((p) => basename(forced) === p.cmd) ?? { file: (f: string) => [f] }), cmd: forced }] : PLAYERS;
  const usable = device ? candidates.filter((c) => c.device) : candidates;
  for (const c of usable) if (await onPath(c.cmd)) return c;
  if (device && usable.length < candidates.length) {
    throw new TtsError(
      'NO_AUDIO_OUTPUT',
      `Cannot choose the device "${device}": the \`speaker\` module is not available and ${forced ? basename(forced) : 'no player that can choose a device (aplay, paplay)'} ${forced ? 'cannot choose one' : 'was found'}.`,
      'Leave out --device to use the default device, or write a file instead: --out speech.wav.',
    );
  }
  throw new TtsError('NO_AUDIO_OUTPUT', 'No way to play audio here: the `speaker` module is not built and no system player (aplay, paplay, ffplay, afplay) was found.', 'Write a file instead: tts say "…" --out speech.wav (or --out - for stdout).');
}

function onPath(cmd: string): Promise<boolean> {
  return new Promise((res) => {
    const p = spawn()(cmd.includes('/') ? cmd : 'sh', cmd.includes('/') ? ['--version'] : ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    p.on('error', () => res(false));
    p.on('exit', (code) => res(cmd.includes('/') ? true : code === 0));
  });
}

/** How a player process ended. */
interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

/**
 * How long a player may go without taking audio (or, once it has it all, past the audio's length)
 * before it is taken for stuck, stopped, and reported: a hung player must not hang the request.
 * $TTS_PLAYER_STALL_MS overrides it (tests).
 */
function stallMs(): number {
  const env = Number(process.env.TTS_PLAYER_STALL_MS);
  return Number.isFinite(env) && env > 0 ? env : 30_000;
}

/** A running player: its exit as a promise that never rejects, and the tail of what it said on stderr. */
class PlayerProcess {
  readonly child: ChildProcess;
  readonly ended: Promise<Ended>;
  exit: Ended | undefined;
  /** Why it was stopped as stuck, if it was. */
  private stuck: string | undefined;
  private stderrTail = '';

  constructor(
    private readonly name: string,
    cmd: string,
    args: string[],
    withStdin: boolean,
  ) {
    this.child = spawn()(cmd, args, { stdio: [withStdin ? 'pipe' : 'ignore', 'ignore', 'pipe'] });
    this.child.stdin?.on('error', () => undefined); // a player that dies is reported through `ended`
    this.child.stderr!.on('data', (d: Buffer) => (this.stderrTail = (this.stderrTail + d.toString()).slice(-2000)));
    this.ended = new Promise<Ended>((res) => {
      this.child.once('error', (error) => res((this.exit ??= { code: null, signal: null, error })));
      this.child.once('close', (code, signal) => res((this.exit ??= { code, signal })));
    });
  }

  /** Writes to the player's stdin; resolves when it wants more, or when it has ended (check `exit`). */
  async write(bytes: Buffer, signal?: AbortSignal): Promise<void> {
    const stdin = this.child.stdin!;
    if (this.exit || stdin.destroyed || stdin.write(bytes)) return;
    let cleanup = (): void => undefined;
    const drained = new Promise<void>((res) => {
      const done = (): void => res();
      stdin.once('drain', done);
      stdin.once('close', done);
      signal?.addEventListener('abort', done, { once: true });
      cleanup = () => (stdin.off('drain', done), stdin.off('close', done), signal?.removeEventListener('abort', done));
    });
    await this.within(stallMs(), `stopped taking audio for ${stallMs() / 1000} s`, drained);
    cleanup();
  }

  /** Waits for the player to finish after its input was closed; `audioMs` of audio may still be playing. */
  async finish(audioMs: number): Promise<void> {
    this.child.stdin!.end();
    await this.within(audioMs + stallMs(), 'did not finish playing', this.ended);
  }

  /** Resolves with `p`, or when the player ends; a player still there after `ms` is stopped as stuck. */
  private async within(ms: number, why: string, p: Promise<unknown>): Promise<void> {
    const timer = setTimeout(() => {
      this.stuck ??= why;
      this.child.kill('SIGKILL');
    }, ms);
    await Promise.race([p, this.ended]);
    clearTimeout(timer);
  }

  /** Stops the player and waits for it to be gone. */
  async stop(): Promise<void> {
    if (!this.exit) this.child.kill();
    await this.ended;
  }

  /** Why this player failed, given how it ended and whether it ended before it had all the audio. */
  failure(early: boolean): TtsError | undefined {
    const e = this.exit;
    if (!e) return undefined;
    const said = this.stderrTail.trim().split('\n').filter((l) => l.trim()).at(-1)?.trim();
    const because = said ? `: ${said}` : '';
    if (e.error) return playbackFailed(`could not start ${this.name} (${e.error.message})`);
    if (this.stuck) return playbackFailed(`${this.name} ${this.stuck}${because}; it was stopped`);
    if (e.signal) return playbackFailed(`${this.name} was stopped by ${e.signal}${because}`);
    if (e.code !== 0) return playbackFailed(`${this.name} exited with code ${e.code}${because}`);
    if (early) return playbackFailed(`${this.name} exited before all the audio was played${because}`);
    return undefined;
  }
}

async function playWithSystemPlayer(chunks: AsyncIterable<AudioChunk>, opts: PlaybackOptions): Promise<void> {
  const player = await findPlayer(opts.device);
  const name = `${basename(player.cmd)}${opts.device ? ` (device ${opts.device})` : ''}`;
  const deviceArgs = opts.device ? player.device!(opts.device) : [];
  if (player.raw) {
    // Stream: start the player on the first chunk's sample rate and feed it chunks as they come.
    // Leaving the loop early (abort, a failed player, a synthesis error) stops the synthesis too.
    let p: PlayerProcess | undefined;
    let audioMs = 0;
    try {
      for await (const chunk of chunks) {
        if (opts.signal?.aborted) break;
        p ??= new PlayerProcess(name, player.cmd, [...deviceArgs, ...player.raw(chunk.sampleRate)], true);
        audioMs += (chunk.pcm.length / chunk.sampleRate) * 1000;
        await p.write(pcm16Bytes(chunk.pcm), opts.signal);
        if (p.exit || opts.signal?.aborted) break;
      }
    } catch (err) {
      await p?.stop();
      throw err;
    }
    if (!p) return;
    if (opts.signal?.aborted) return p.stop();
    const early = p.exit !== undefined;
    if (!early) {
      const stop = (): void => void p!.child.kill();
      opts.signal?.addEventListener('abort', stop, { once: true });
      await p.finish(audioMs);
      opts.signal?.removeEventListener('abort', stop);
      if (opts.signal?.aborted) return;
    }
    const failure = p.failure(early);
    if (failure) throw failure;
    return;
  }
  const clip = await collectPcm(chunks);
  if (opts.signal?.aborted || clip.pcm.length === 0) return;
  const dir = await mkdtemp(join(tmpdir(), 'tts-play-')); // private folder: nothing to plant a symlink in
  const file = join(dir, 'speech.wav');
  await writeFile(file, encodeWav(clip.pcm, clip.sampleRate), { flag: 'wx' });
  try {
    const p = new PlayerProcess(name, player.cmd, [...deviceArgs, ...player.file(file)], false);
    const stop = (): void => void p.child.kill();
    opts.signal?.addEventListener('abort', stop, { once: true });
    await p.ended;
    opts.signal?.removeEventListener('abort', stop);
    if (opts.signal?.aborted) return;
    const failure = p.failure(false);
    if (failure) throw failure;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
