import { Dialog, showDialog, showErrorMessage } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { TranslationBundle } from '@jupyterlab/translation';
import { IDisposable } from '@lumino/disposable';

import { journalDocumentId } from '../common/metadata';
import { findSelectedPassage, IPassage, passageAt } from './passages';

/**
 * A cell of a notebook, as the notebook widget holds it.
 */
type Cell = NotebookPanel['content']['widgets'][number];

/**
 * A passage selected in a cell, not yet located in its saved source.
 */
export type ISelectedText =
  | { cell: Cell; kind: 'editor'; from: number; to: number }
  | { cell: Cell; kind: 'rendered'; text: string; relative: number };

/**
 * What the user selected in the notebook: in a rendered Markdown cell (the
 * page's selection), else in the active cell's editor; null when nothing is.
 */
export function selectedText(panel: NotebookPanel): ISelectedText | null {
  const selection = window.getSelection();
  if (selection && !selection.isCollapsed && selection.rangeCount > 0) {
    const range = selection.getRangeAt(0);
    const element =
      range.startContainer instanceof Element
        ? range.startContainer
        : range.startContainer.parentElement;
    const cellNode = element?.closest('.jp-Cell');
    const cell = panel.content.widgets.find(c => c.node === cellNode);
    const rendered = element?.closest('.jp-MarkdownOutput');
    if (cell && rendered && selection.toString().trim()) {
      const before = document.createRange();
      before.selectNodeContents(rendered);
      before.setEnd(range.startContainer, range.startOffset);
      const total = (rendered.textContent ?? '').length || 1;
      return {
        cell,
        kind: 'rendered',
        text: selection.toString(),
        relative: before.toString().length / total
      };
    }
  }
  const cell = panel.content.activeCell;
  const editor = cell?.editor;
  const rendered =
    cell?.model.type === 'markdown' &&
    (cell as unknown as { rendered: boolean }).rendered;
  if (cell && editor && !rendered) {
    const range = editor.getSelection();
    const from = editor.getOffsetAt(range.start);
    const to = editor.getOffsetAt(range.end);
    if (from !== to) {
      return { cell, kind: 'editor', from, to };
    }
  }
  return null;
}

/**
 * The passage of a selection in its cell's current source, in code points.
 */
export function locateSelection(
  selected: ISelectedText,
  source: string
): IPassage | null {
  return selected.kind === 'editor'
    ? passageAt(source, selected.from, selected.to)
    : findSelectedPassage(source, selected.text, selected.relative);
}

/**
 * Keeps the last passage selected in each journal notebook's rendered text,
 * for when a click elsewhere (the context menu) has collapsed the page's
 * selection. One per notebook tracker, shared by the commands acting on a
 * selection (see `selectionKeeper`).
 */
export class SelectionKeeper implements IDisposable {
  constructor(tracker: INotebookTracker) {
    this._tracker = tracker;
    document.addEventListener('selectionchange', this._onChange);
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /**
   * What is selected in the notebook now, else what was last selected in its rendered text.
   */
  selectionIn(notebook: NotebookPanel): ISelectedText | null {
    const selected = selectedText(notebook);
    if (selected) {
      return selected;
    }
    const kept = this._kept;
    return kept?.panel === notebook && !kept.selected.cell.isDisposed
      ? kept.selected
      : null;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    document.removeEventListener('selectionchange', this._onChange);
    this._kept = null;
  }

  private _onChange = (): void => {
    const notebook = this._tracker.currentWidget;
    if (!notebook || journalDocumentId(notebook) === null) {
      return;
    }
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed) {
      // A click elsewhere in the notebook drops the kept selection.
      if (notebook.content.node.contains(selection?.anchorNode ?? null)) {
        this._kept = null;
      }
      return;
    }
    const selected = selectedText(notebook);
    if (selected?.kind === 'rendered') {
      this._kept = { panel: notebook, selected };
    }
  };

  private _tracker: INotebookTracker;
  private _kept: { panel: NotebookPanel; selected: ISelectedText } | null =
    null;
  private _isDisposed = false;
}

const keepers = new WeakMap<INotebookTracker, SelectionKeeper>();

/**
 * The selection keeper of a notebook tracker, made on first use.
 */
export function selectionKeeper(tracker: INotebookTracker): SelectionKeeper {
  let keeper = keepers.get(tracker);
  if (!keeper || keeper.isDisposed) {
    keeper = new SelectionKeeper(tracker);
    keepers.set(tracker, keeper);
  }
  return keeper;
}

/**
 * A passage selected in a cell, located in the cell's saved text.
 */
export interface ISavedPassage {
  /** The journal document the notebook shows. */
  documentId: number;
  cell: ISelectedText['cell'];
  passage: IPassage;
}

/**
 * What acting on a selected passage (commenting it, claiming it) needs.
 */
export interface ISelectionAction {
  keeper: SelectionKeeper;
  trans: TranslationBundle;
  /** What to tell the user when nothing is selected. */
  nothingSelected: string;
}

/**
 * The passage selected in a journal notebook, located in its cell's saved
 * text: the notebook is saved first, since passages anchor to the saved text.
 * Null when the notebook is not a journal notebook, or, once the user has
 * been told why, when nothing usable is selected. Rejects when the notebook
 * cannot be saved.
 */
export async function savedSelection(
  notebook: NotebookPanel,
  action: ISelectionAction
): Promise<ISavedPassage | null> {
  const { trans } = action;
  const documentId = journalDocumentId(notebook);
  if (documentId === null) {
    return null;
  }
  const selected = action.keeper.selectionIn(notebook);
  if (!selected) {
    void showErrorMessage(trans.__('Nothing Selected'), action.nothingSelected);
    return null;
  }
  const cell = selected.cell;
  if (notebook.context.model.dirty) {
    await notebook.context.save();
  }
  const passage = locateSelection(selected, cell.model.sharedModel.getSource());
  if (!passage) {
    void showErrorMessage(
      trans.__('Cannot Find the Passage'),
      trans.__(
        'The selected words could not be found in the cell’s text, perhaps because they cross some formatting. Select fewer words, or select them in the cell’s editor.'
      )
    );
    return null;
  }
  return { documentId, cell, passage };
}

/**
 * Show a dialog about a passage of a notebook without losing the reader's
 * place: closing a dialog gives the focus back to the notebook's active
 * cell, and the browser scrolls to it, back to the top when the reader had
 * scrolled down to the passage. The passage's cell becomes the active one,
 * and the notebook stays scrolled where it was.
 */
export async function showDialogInPlace<T>(
  notebook: NotebookPanel,
  cell: Cell,
  options: Partial<Dialog.IOptions<T>>
): Promise<Dialog.IResult<T>> {
  const content = notebook.content;
  const top = content.outerNode.scrollTop;
  const index = content.widgets.indexOf(cell);
  const commandMode = content.mode === 'command';
  try {
    return await showDialog<T>(options);
  } finally {
    if (!notebook.isDisposed) {
      if (commandMode && index >= 0 && !cell.isDisposed) {
        content.activeCellIndex = index;
        cell.node.focus({ preventScroll: true });
      }
      content.outerNode.scrollTop = top;
    }
  }
}
