// Playback, for real: ALSA is pointed (through a private ~/.asoundrc) at its `file` plugin, so what
// `tts say` plays through `speaker` (or a system player) is captured to a file and compared with
// the PCM that `tts say --out` writes for the same text.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readWavInfo } from '../src/engine/audio/wav.js';
import { cacheWithModels, REPO, runCli, tempDir } from './helpers.js';

const TEXT = 'Hello world. This is the second sentence, with a clause.';

function alsaHome(): { home: string; capture: string } {
  const home = tempDir('tts-alsa-');
  const capture = join(home, 'capture.raw');
  writeFileSync(join(home, '.asoundrc'), `pcm.!default {\n  type file\n  slave.pcm "null"\n  file "${capture}"\n  format "raw"\n}\n`);
  return { home, capture };
}

async function expectedPcm(cache: string, extra: string[] = []): Promise<Buffer> {
  const out = join(tempDir(), 'ref.wav');
  const r = await runCli(['say', TEXT, '--out', out, '--no-cache', ...extra], { env: { TTS_CACHE_DIR: cache } });
  assert.is(r.code, 0, r.stderr);
  const wav = readFileSync(out);
  const info = readWavInfo(wav);
  return wav.subarray(info.dataOffset, info.dataOffset + info.dataBytes);
}

const speakerBuilt = existsSync(join(REPO, 'node_modules', 'speaker', 'build', 'Release', 'binding.node'));

test('tts say plays through speaker into ALSA: the captured PCM is the synthesized PCM, in order', async () => {
  if (!speakerBuilt) {
    assert.not.ok(process.env.TTS_REQUIRE_SPEAKER, 'speaker did not build; install libasound2-dev and run npm ci');
    process.stdout.write('\n  skipped: the speaker module is not built here (needs libasound2-dev at install)\n');
    return;
  }
  const cache = cacheWithModels();
  const { home, capture } = alsaHome();
  const r = await runCli(['say', TEXT], { env: { TTS_CACHE_DIR: cache, HOME: home } });
  assert.is(r.code, 0, r.stderr);
  const captured = readFileSync(capture);
  const expected = await expectedPcm(cache);
  assert.ok(expected.length > 48000, 'a few seconds of audio');
  assert.is(captured.length, expected.length);
  assert.ok(captured.equals(expected), 'captured PCM differs from the synthesized PCM');
});

test('a Piper voice plays at its own sample rate (16 kHz) through speaker into ALSA', async () => {
  if (!speakerBuilt) {
    assert.not.ok(process.env.TTS_REQUIRE_SPEAKER, 'speaker did not build; install libasound2-dev and run npm ci');
    return;
  }
  const cache = cacheWithModels({ piper: true });
  const { home, capture } = alsaHome();
  // The file plugin can record the stream's format in a WAV header: it must say 16 kHz.
  writeFileSync(join(home, '.asoundrc'), `pcm.!default {\n  type file\n  slave.pcm "null"\n  file "${capture}"\n  format "wav"\n}\n`);
  const r = await runCli(['say', TEXT, '--voice', 'piper:piper-gen'], { env: { TTS_CACHE_DIR: cache, HOME: home } });
  assert.is(r.code, 0, r.stderr);
  const captured = readFileSync(capture);
  assert.is(captured.readUInt32LE(24), 16000, 'ALSA was opened at the voice\'s rate');
  const expected = await expectedPcm(cache, ['--voice', 'piper:piper-gen']);
  assert.ok(captured.subarray(44).equals(expected), 'captured PCM differs');
});

test('without speaker, a system player (aplay) plays the same PCM', async () => {
  const aplay = ['/usr/bin/aplay', '/bin/aplay'].find((p) => existsSync(p));
  if (!aplay) {
    process.stdout.write('\n  skipped: aplay is not installed (Debian: alsa-utils)\n');
    return;
  }
  const cache = cacheWithModels();
  const { home, capture } = alsaHome();
  const r = await runCli(['say', TEXT], { env: { TTS_CACHE_DIR: cache, HOME: home, TTS_PLAYER: aplay } });
  assert.is(r.code, 0, r.stderr);
  const captured = readFileSync(capture);
  const expected = await expectedPcm(cache);
  // aplay fills its last period with silence: the PCM, then at most 0.1 s of zeros.
  assert.ok(captured.subarray(0, expected.length).equals(expected), 'aplay played different PCM');
  const tail = captured.subarray(expected.length);
  assert.ok(tail.length < 4800 && tail.every((b) => b === 0), `tail of ${tail.length} bytes`);
});

/** A private ALSA setup with the default PCM and a second one, "second", each captured to its own file. */
function alsaHomeWithSecond(): { home: string; capture: string; second: string } {
  const { home, capture } = alsaHome();
  const second = join(home, 'second.raw');
  writeFileSync(join(home, '.asoundrc'), `pcm.!default {\n  type file\n  slave.pcm "null"\n  file "${capture}"\n  format "raw"\n}\npcm.second {\n  type file\n  slave.pcm "null"\n  file "${second}"\n  format "raw"\n}\n`);
  return { home, capture, second };
}

test('--device NAME plays on that ALSA device (speaker, then aplay); an unknown device is a one-line error', async () => {
  const aplay = ['/usr/bin/aplay', '/bin/aplay'].find((p) => existsSync(p));
  const ways: [string, Record<string, string>][] = [];
  if (speakerBuilt) ways.push(['speaker', {}]);
  else assert.not.ok(process.env.TTS_REQUIRE_SPEAKER, 'speaker did not build; install libasound2-dev and run npm ci');
  if (aplay) ways.push(['aplay', { TTS_PLAYER: aplay }]);
  if (!ways.length) {
    process.stdout.write('\n  skipped: neither speaker nor aplay is available here\n');
    return;
  }
  const cache = cacheWithModels();
  const expected = await expectedPcm(cache);
  for (const [way, env] of ways) {
    const { home, capture, second } = alsaHomeWithSecond();
    const r = await runCli(['say', TEXT, '--no-cache', '--device', 'second'], { env: { TTS_CACHE_DIR: cache, HOME: home, ...env } });
    assert.is(r.code, 0, `${way}: ${r.stderr}`);
    assert.ok(readFileSync(second).subarray(0, expected.length).equals(expected), `${way}: the named device got the speech`);
    assert.ok(!existsSync(capture) || readFileSync(capture).length === 0, `${way}: the default device got nothing`);
    const bad = await runCli(['say', TEXT, '--no-cache', '--device', 'nosuchdevice'], { env: { TTS_CACHE_DIR: cache, HOME: home, ...env } });
    assert.is(bad.code, 1, `${way}: ${bad.stderr}`);
    assert.match(bad.stderr, /tts: Audio playback failed: .*nosuchdevice/, way);
    assert.match(bad.stderr, /--out speech\.wav/, way);
    assert.not.match(bad.stderr, /^\s+at /m, `${way}: stack trace`);
  }
});

test('with no way to play audio, say fails and points to --out', async () => {
  const cache = cacheWithModels();
  const r = await runCli(['say', 'Hello.'], { env: { TTS_CACHE_DIR: cache, TTS_PLAYER: '/nonexistent/player' } });
  assert.is(r.code, 1);
  assert.match(r.stderr, /No way to play audio/);
  assert.match(r.stderr, /--out/);
});

test.run();
