/**
 * Word-processor editing of a writing cell's Markdown: what the formatting
 * bar and its shortcuts do to the text, as plain functions of the text and
 * the selection (offsets in UTF-16 units, as the editor counts them).
 */

/**
 * A change to a cell's text, and the selection to leave after it.
 */
export interface ITextEdit {
  /** Start of the replaced range. */
  from: number;
  /** End of the replaced range. */
  to: number;
  /** What replaces it. */
  insert: string;
  /** The selection once the edit is made (offsets in the new text). */
  selection: { start: number; end: number };
}

/**
 * An inline style: `**` for bold, `*` for italic.
 */
export type InlineMark = '**' | '*';

/**
 * Put the selection between a style's marks, or take them away when it
 * already has them. Without a selection, the marks go around the cursor
 * so that what is typed next has the style.
 */
export function toggleInline(
  text: string,
  start: number,
  end: number,
  mark: InlineMark
): ITextEdit {
  const selected = text.slice(start, end);
  const size = mark.length;
  const before = text.slice(Math.max(0, start - size), start);
  const after = text.slice(end, end + size);
  // Bold marks (**) are not italic ones (*) seen from inside: `**x**` is not `*x*`.
  const isMark = (outside: string): boolean => mark === '**' || outside !== '*';
  if (
    before === mark &&
    after === mark &&
    isMark(text.charAt(start - size - 1)) &&
    isMark(text.charAt(end + size))
  ) {
    return {
      from: start - size,
      to: end + size,
      insert: selected,
      selection: { start: start - size, end: end - size }
    };
  }
  if (
    selected.length > 2 * size &&
    selected.startsWith(mark) &&
    selected.endsWith(mark)
  ) {
    const inner = selected.slice(size, selected.length - size);
    return {
      from: start,
      to: end,
      insert: inner,
      selection: { start, end: start + inner.length }
    };
  }
  // Spaces selected with a word stay outside the marks (`**mot** `, never `**mot **`).
  const leading = selected.length - selected.replace(/^\s+/, '').length;
  const trailing = selected.length - selected.replace(/\s+$/, '').length;
  const core = selected.trim();
  const insert =
    selected.slice(0, leading) +
    mark +
    core +
    mark +
    selected.slice(selected.length - trailing);
  const coreStart = start + leading + size;
  return {
    from: start,
    to: end,
    insert,
    selection: { start: coreStart, end: coreStart + core.length }
  };
}

/**
 * The start and end of the whole lines a selection touches.
 */
function lineRange(
  text: string,
  start: number,
  end: number
): { from: number; to: number } {
  const from = text.lastIndexOf('\n', start - 1) + 1;
  const next = text.indexOf('\n', end);
  return { from, to: next === -1 ? text.length : next };
}

/**
 * Give each line of the selection a prefix, or take it away when every
 * non-empty line already has it; `existing` matches a prefix to replace
 * (another kind of list marker, a heading's marks).
 */
function toggleLinePrefix(
  text: string,
  start: number,
  end: number,
  prefix: string,
  existing: RegExp
): ITextEdit {
  const { from, to } = lineRange(text, start, end);
  const lines = text.slice(from, to).split('\n');
  const written = lines.filter(line => line.trim() !== '');
  const remove =
    written.length > 0 && written.every(line => line.startsWith(prefix));
  const changed = lines.map(line => {
    if (remove) {
      return line.startsWith(prefix) ? line.slice(prefix.length) : line;
    }
    if (line.trim() === '' && lines.length > 1) {
      return line;
    }
    return prefix + line.replace(existing, '');
  });
  const insert = changed.join('\n');
  // A single line keeps the cursor where it was in its text; several lines end up selected.
  if (lines.length === 1) {
    const shift = insert.length - lines[0].length;
    const place = (offset: number): number =>
      Math.max(from, Math.min(from + insert.length, offset + shift));
    return {
      from,
      to,
      insert,
      selection: { start: place(start), end: place(end) }
    };
  }
  return {
    from,
    to,
    insert,
    selection: { start: from, end: from + insert.length }
  };
}

const LIST_MARKER = /^\s*(?:[-*+]|\d+[.)])\s+/;
const HEADING_MARKS = /^#{1,6}\s+/;

/**
 * Make the selected lines a bulleted list (`- `), or plain lines again.
 */
export function toggleBulletList(
  text: string,
  start: number,
  end: number
): ITextEdit {
  return toggleLinePrefix(text, start, end, '- ', LIST_MARKER);
}

/**
 * Make the current line a heading inside the section (`### `; the
 * template's section headings are `##`), or a plain line again.
 */
export function toggleHeading(
  text: string,
  start: number,
  end: number
): ITextEdit {
  return toggleLinePrefix(text, start, end, '### ', HEADING_MARKS);
}

/**
 * Make the selection a link: `[words](https://)` with the address selected,
 * ready to be typed or pasted.
 */
export function insertLink(
  text: string,
  start: number,
  end: number,
  placeholder: string
): ITextEdit {
  const words = text.slice(start, end) || placeholder;
  const address = 'https://';
  const insert = `[${words}](${address})`;
  const addressStart = start + words.length + 3;
  return {
    from: start,
    to: end,
    insert,
    selection: { start: addressStart, end: addressStart + address.length }
  };
}

const DOUBLED_MARKER = /^(\s*)([-*+]|\d+[.)]) +(?:[-*+]|\d+[.)])$/;

/**
 * What a line should read when a space is typed after a list marker typed
 * by habit on a line the editor already started as a list item (`- -`
 * becomes `- `, `2. 1.` becomes `2. `); null when nothing is doubled.
 */
export function undoubledMarker(lineBeforeCursor: string): string | null {
  const doubled = DOUBLED_MARKER.exec(lineBeforeCursor);
  return doubled ? `${doubled[1]}${doubled[2]} ` : null;
}
