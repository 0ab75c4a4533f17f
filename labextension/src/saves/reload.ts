import { Notebook, NotebookPanel } from '@jupyterlab/notebook';

import { Cell } from '../cells/counter';

/** A place in a cell's text: line and column. */
type CursorPosition = ReturnType<
  NonNullable<Cell['editor']>['getCursorPosition']
>;

/**
 * Where a reader stands in a notebook: the active cell (by id), whether they
 * were typing in it and where, and how far the notebook is scrolled.
 */
export interface IReadingPlace {
  cellId: string | null;
  editing: boolean;
  cursor: CursorPosition | null;
  scrollTop: number;
}

/**
 * Note where the reader stands in a notebook.
 */
export function readingPlace(notebook: Notebook): IReadingPlace {
  const cell = notebook.activeCell;
  return {
    cellId: cell?.model.id ?? null,
    editing: notebook.mode === 'edit',
    cursor: cell?.editor?.getCursorPosition() ?? null,
    scrollTop: notebook.outerNode.scrollTop
  };
}

/**
 * Bring the reader back where they stood, as far as the notebook still has
 * that cell (another person may have deleted it).
 */
export function returnTo(notebook: Notebook, place: IReadingPlace): void {
  const index = notebook.widgets.findIndex(
    cell => cell.model.id === place.cellId
  );
  if (index >= 0) {
    notebook.activeCellIndex = index;
    const cell = notebook.widgets[index];
    if (place.editing) {
      if (cell.model.type === 'markdown' && 'rendered' in cell) {
        // A Markdown cell shows its text for typing only when not rendered.
        cell.rendered = false;
      }
      notebook.mode = 'edit';
      void cell.ready.then(() => {
        if (place.cursor && cell.editor && !cell.isDisposed) {
          try {
            cell.editor.setCursorPosition(place.cursor);
          } catch {
            // The text got shorter than where the cursor was: leave it where it is.
          }
        }
      });
    }
  }
  const scroll = (): void => {
    notebook.outerNode.scrollTop = place.scrollTop;
  };
  scroll();
  // Once the reloaded cells have their height.
  requestAnimationFrame(scroll);
}

/**
 * Load a journal notebook again from the journal, in place: what was typed
 * and not saved yet is saved first (a save merges, it never overwrites), and
 * the reader stays on the same cell, cursor and scroll position. A notebook
 * in a collaboration room needs none of it: the server puts the merged text
 * into the room.
 */
export async function reloadInPlace(panel: NotebookPanel): Promise<void> {
  const { context, content } = panel;
  if (context.model.collaborative || panel.isDisposed) {
    return;
  }
  if (context.model.dirty) {
    await context.save();
  }
  const place = readingPlace(content);
  await context.revert();
  if (!panel.isDisposed) {
    returnTo(content, place);
  }
}
