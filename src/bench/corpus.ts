// The texts `tts bench` speaks: a built-in corpus in three sizes, or the user's own file.
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
  long: [
    'Text to speech turns written words into sound. First the text is cleaned up and split into sentences. ' +
      'Then each sentence becomes a string of phonemes, the sounds of the language. ' +
      'A neural network reads those phonemes and predicts a waveform, one small frame at a time. ' +
      'Finally the audio is played, or written to a file, while the next sentence is already being prepared.',
    'The lighthouse keeper climbed the stairs every evening at dusk. He trimmed the wick, polished the lens, and lit the lamp. ' +
      'Ships far out at sea would see the beam sweep across the water. ' +
      'On stormy nights he stayed awake until morning, listening to the wind and watching for lights on the horizon.',
  ],
};

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
