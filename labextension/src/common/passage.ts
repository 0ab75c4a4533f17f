import { NotebookPanel } from '@jupyterlab/notebook';
import { CommandRegistry } from '@lumino/commands';

import { highlightPassages } from '../annotations/highlights';
import { utf16Offset } from '../annotations/passages';

/**
 * The class of the `<mark>` around a passage a reader was taken to.
 */
export const PASSAGE_CLASS = 'jp-JournalPassage-found';

/**
 * The class of the cell holding that passage.
 */
export const PASSAGE_CELL_CLASS = 'jp-JournalPassage-cell';

/**
 * A passage to show: its cell and, when known, its words.
 */
export interface IPassageTarget {
  /** The nbformat id of the cell. */
  cellId: string;
  /** The passage's words, to mark in the rendered cell (absent: the whole cell). */
  text?: string;
  /** Shorter words to mark instead when `text` reads differently once rendered. */
  fallbacks?: string[];
  /** Where the passage sits in its cell, 0 (start) to 1 (end): picks among repeats. */
  relative?: number;
  /** Where the passage starts in the cell's text, in code points (gives `relative`). */
  start?: number;
}

/**
 * How long to wait for a cell scrolled to to show its rendered text, in animation frames.
 */
const RENDER_FRAMES = 120;

function nextFrame(): Promise<void> {
  return new Promise(resolve => requestAnimationFrame(() => resolve()));
}

/**
 * Where a passage sits in its cell's text, from 0 (start) to 1 (end).
 */
function whereIn(source: string, target: IPassageTarget): number {
  if (target.start !== undefined && source.length) {
    return utf16Offset(source, target.start) / source.length;
  }
  return target.relative ?? 0;
}

/**
 * Forget a passage shown before in this notebook: its marks and its cell's outline.
 */
function clearPassage(panel: NotebookPanel): void {
  const node = panel.content.node;
  for (const mark of Array.from(
    node.querySelectorAll<HTMLElement>(`mark.${PASSAGE_CLASS}`)
  )) {
    const parent = mark.parentNode;
    while (parent && mark.firstChild) {
      parent.insertBefore(mark.firstChild, mark);
    }
    mark.remove();
    parent?.normalize();
  }
  for (const cell of Array.from(
    node.querySelectorAll(`.${PASSAGE_CELL_CLASS}`)
  )) {
    cell.classList.remove(PASSAGE_CELL_CLASS);
  }
}

/**
 * Scroll a notebook so that an element of it sits in the middle of its view.
 */
function centre(panel: NotebookPanel, element: HTMLElement): void {
  const outer = panel.content.outerNode;
  const view = outer.getBoundingClientRect();
  const box = element.getBoundingClientRect();
  outer.scrollTop += box.top - view.top - (view.height - box.height) / 2;
}

/**
 * Take the reader to a passage of a journal notebook: its cell becomes the
 * active one, scrolled to the middle of the view, with the passage marked
 * (the cell outlined when its words can't be found in the rendered text)
 * until the reader clicks or types in the notebook. Resolves to whether the
 * cell is in the notebook.
 */
export async function showPassage(
  panel: NotebookPanel,
  target: IPassageTarget
): Promise<boolean> {
  const notebook = panel.content;
  const index = notebook.widgets.findIndex(
    cell => cell.model.id === target.cellId
  );
  if (index < 0) {
    return false;
  }
  clearPassage(panel);
  notebook.mode = 'command';
  notebook.deselectAll();
  notebook.activeCellIndex = index;
  await notebook.scrollToItem(index, 'center');
  const cell = notebook.widgets[index];
  if (!cell || cell.isDisposed) {
    return false;
  }
  await cell.ready;
  cell.addClass(PASSAGE_CELL_CLASS);
  let marks: HTMLElement[] = [];
  const wanted = [target.text, ...(target.fallbacks ?? [])]
    .map(text => text?.trim())
    .filter((text): text is string => Boolean(text));
  if (wanted.length) {
    const relative = whereIn(cell.model.sharedModel.getSource(), target);
    // A cell scrolled into a windowed notebook renders its Markdown a moment later.
    let output: HTMLElement | null = null;
    for (let frame = 0; frame < RENDER_FRAMES && !output; frame++) {
      output = cell.node.querySelector<HTMLElement>('.jp-MarkdownOutput');
      if (!output?.textContent) {
        output = null;
        await nextFrame();
      }
    }
    for (const text of wanted) {
      if (output && !marks.length) {
        marks = highlightPassages(output, [{ text, relative }], PASSAGE_CLASS);
      }
    }
  }

  if (!panel.isDisposed) {
    centre(panel, marks[0] ?? cell.node);
  }
  // The marks stay until the reader acts in the notebook.
  const done = (): void => {
    notebook.node.removeEventListener('pointerdown', done, true);
    notebook.node.removeEventListener('keydown', done, true);
    if (!panel.isDisposed) {
      clearPassage(panel);
    }
  };
  notebook.node.addEventListener('pointerdown', done, true);
  notebook.node.addEventListener('keydown', done, true);
  return true;
}

/**
 * Open a journal notebook at a passage (see `showPassage`); resolves to the
 * notebook, or null when the path opens something else.
 */
export async function openPassage(
  commands: CommandRegistry,
  path: string,
  target: IPassageTarget
): Promise<NotebookPanel | null> {
  const widget = await commands.execute('docmanager:open', { path });
  if (!(widget instanceof NotebookPanel)) {
    return null;
  }
  await widget.context.ready;
  await widget.revealed;
  await showPassage(widget, target);
  return widget;
}
