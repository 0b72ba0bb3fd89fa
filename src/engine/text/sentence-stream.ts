// Whole sentences from text that arrives in pieces (a pipe that stays open): each complete
// sentence — ended by . ! ? … and a space, or by a line break — is passed on as soon as it is
// complete; the rest waits for more text, or for the end.

/**
 * End (exclusive) of the last sentence boundary in `text` at or after `from`, or 0 when there is
 * none there.
 */
export function completeUpTo(text: string, from = 0): number {
  let end = 0;
  for (let i = from; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') end = i + 1;
    else if ((ch === ' ' || ch === '\t') && i > 0) {
      let j = i - 1;
      while (j >= 0 && '"\'”)]'.includes(text[j]!)) j--;
      if (j >= 0 && '.!?…'.includes(text[j]!)) end = i + 1;
    }
  }
  return end;
}

export async function* completeSentences(pieces: AsyncIterable<string>): AsyncGenerator<string> {
  let pending = '';
  for await (const piece of pieces) {
    const from = pending.length;
    pending += piece;
    // Only the new text can hold a new boundary (one may straddle the join: the boundary is the space).
    const end = completeUpTo(pending, from);
    if (end > 0) {
      const ready = pending.slice(0, end);
      pending = pending.slice(end);
      if (ready.trim()) yield ready;
    }
  }
  if (pending.trim()) yield pending;
}
