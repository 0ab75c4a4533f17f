// Positions: the server counts Unicode code points, a JavaScript string UTF-16 units.

/**
 * The code-point offset of a UTF-16 index of `text` ("🌱" is one code point, two units).
 */
export function codePointOffset(text: string, index: number): number {
  return Array.from(text.slice(0, index)).length;
}

/**
 * The UTF-16 index of a code-point offset of `text` (the text's length past its end).
 */
export function utf16Offset(text: string, codePoints: number): number {
  let index = 0;
  let count = 0;
  for (const character of text) {
    if (count >= codePoints) {
      break;
    }
    index += character.length;
    count++;
  }
  return index;
}

/**
 * A passage of a cell's text as the API wants it: code points and the exact text.
 */
export interface IPassage {
  start: number;
  end: number;
  exact: string;
}

/**
 * The passage between two UTF-16 indices of `source`, without the white space
 * around it, in code points; null when nothing but white space is selected.
 */
export function passageAt(
  source: string,
  from: number,
  to: number
): IPassage | null {
  let start = Math.max(0, Math.min(from, to));
  let end = Math.min(source.length, Math.max(from, to));
  while (start < end && /\s/.test(source.charAt(start))) {
    start++;
  }
  while (end > start && /\s/.test(source.charAt(end - 1))) {
    end--;
  }
  if (start >= end) {
    return null;
  }
  return {
    start: codePointOffset(source, start),
    end: codePointOffset(source, end),
    exact: source.slice(start, end)
  };
}

/**
 * Where text selected in a cell's rendered Markdown is in its source: the
 * occurrence of the selected words nearest to where the selection sits
 * (`relative`: 0 at the top of the rendered cell, 1 at its end). Between
 * words, any white space and emphasis marks (`*`, `_`, `~`, backquotes) match,
 * since rendering folds lines and drops the marks. Null when the words are
 * not in the source (across a link, say).
 */
export function findSelectedPassage(
  source: string,
  selected: string,
  relative: number
): IPassage | null {
  const words = selected.trim().split(/\s+/).filter(Boolean);
  if (!words.length) {
    return null;
  }
  const pattern = new RegExp(
    words
      .map(word => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[\\s*_~`]+'),
    'g'
  );
  const wanted = Math.max(0, Math.min(1, relative)) * source.length;
  let best: RegExpExecArray | null = null;
  for (let match = pattern.exec(source); match; match = pattern.exec(source)) {
    const distance = Math.abs(match.index - wanted);
    if (!best || distance < Math.abs(best.index - wanted)) {
      best = match;
    }
    pattern.lastIndex = match.index + 1;
  }
  return best
    ? passageAt(source, best.index, best.index + best[0].length)
    : null;
}
