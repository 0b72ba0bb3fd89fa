// Reads the text of `tts say --file FILE`, with a clear error when it cannot.
import { readFile } from 'node:fs/promises';
import { TtsError } from '../engine/errors.js';

export async function readTextFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'it does not exist' : e.code === 'EISDIR' ? 'it is a folder' : e.message;
    throw new TtsError('BAD_INPUT', `Cannot read ${path}: ${why}.`, 'Pass a text file, or - to read stdin.');
  }
}
