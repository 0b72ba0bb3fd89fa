// The texts `tts bench` speaks: a built-in corpus in three sizes, or the user's own file.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { TtsError } from '../engine/errors.js';

export type TextSize = 'short' | 'medium' | 'long';

export const CORPUS: Record<TextSize, string[]> = {
  short: ['Build finished.', 'Three new messages.', 'The meeting starts soon.', 'Your file is ready.'],
  medium: [
    'The quick brown fox jumps over the lazy dog while the farmer watches from the porch.',
    'Please remember to save your work before the update restarts the computer tonight.',
    'Our train was delayed by twenty minutes, so we missed the first part of the concert.',
    'She opened the window, and the smell of fresh rain filled the quiet little room.',
  ],
  // Seven or more sentences each: several chunks even when short sentences are merged into chunks
  // of 150–250 ids, so that the stream scenario's first audio comes well before the last.
  long: [
    'Text to speech turns written words into sound. First the text is cleaned up and split into sentences. ' +
      'Numbers, dates and abbreviations are spelled out the way a person would read them aloud. ' +
      'Then each sentence becomes a string of phonemes, the sounds of the language. ' +
      'A neural network reads those phonemes and predicts a waveform, one small frame at a time. ' +
      'The waveform is trimmed, faded at both ends and joined to the pause that follows it. ' +
      'Finally the audio is played, or written to a file, while the next sentence is already being prepared. ' +
      'Because of that overlap, the listener hears the first words long before the last ones are ready.',
    'The lighthouse keeper climbed the stairs every evening at dusk. He trimmed the wick, polished the lens, and lit the lamp. ' +
      'Ships far out at sea would see the beam sweep across the water. ' +
      'On stormy nights he stayed awake until morning, listening to the wind and watching for lights on the horizon. ' +
      'In the winter the supply boat came only once a month, when the sea was calm enough to land. ' +
      'He kept a careful log of every ship that passed, with the time, the weather and the direction of the wind. ' +
      'His daughter read the old logs years later and found the story of a whole coast hidden in them. ' +
      'She wrote it down as a book, and the lighthouse still stands on the cover.',
  ],
};

/** The built-in texts a scenario speaks when neither --size nor --texts is given. */
export function defaultSize(scenario: string): TextSize {
  return scenario === 'stream' ? 'long' : 'medium';
}

/** A short name for a set of texts, so two result files can be checked to have spoken the same ones. */
export function textSetId(texts: string[]): string {
  return createHash('sha256').update(JSON.stringify(texts)).digest('hex').slice(0, 16);
}

/** One text per non-empty line; lines starting with # are comments. */
export async function readTexts(file: string): Promise<string[]> {
  let body: string;
  try {
    body = await readFile(file, 'utf8');
  } catch (err) {
    throw new TtsError('BAD_INPUT', `Cannot read the text file ${file}: ${(err as Error).message}.`, 'Give a file with one text per line.');
  }
  const texts = body.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  if (texts.length === 0) throw new TtsError('BAD_INPUT', `${file} holds no text.`, 'Give a file with one text per line.');
  return texts;
}
