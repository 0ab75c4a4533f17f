import type { Cell, MarkdownCell } from '@jupyterlab/cells';
import type { CodeMirrorEditor } from '@jupyterlab/codemirror';
import { Notebook, NotebookPanel } from '@jupyterlab/notebook';
import { IDisposable } from '@lumino/disposable';

import { HIGHLIGHT_CLASS } from '../annotations/highlights';
import { cellJournalMetadata } from '../common/metadata';
import { ITextEdit, undoubledMarker } from './markdown';

/**
 * The class of a journal notebook's panel in writing mode (toolbar and layout).
 */
export const WRITING_PANEL_CLASS = 'jp-JournalPanel-writing';

/**
 * The class of a journal notebook in writing mode (its cells, its keyboard shortcuts).
 */
export const WRITING_NOTEBOOK_CLASS = 'jp-JournalNotebook-writing';

/**
 * The class of a writing-mode panel whose document holds code or runs a kernel:
 * its kernel controls stay.
 */
export const WITH_CODE_CLASS = 'jp-JournalPanel-withCode';

/**
 * What a click on rendered text must leave alone: links, commented passages
 * (a click opens their thread), buttons and form fields.
 */
const NOT_FOR_EDITING = `a, button, input, select, textarea, summary, .${HIGHLIGHT_CLASS}, .jp-collapseHeadingButton`;

/**
 * Whether a cell is a Markdown cell (writing cells are; type-only imports keep
 * JupyterLab's own copy of @jupyterlab/cells the only one).
 */
export function isMarkdownCell(cell: Cell | null): cell is MarkdownCell {
  return cell !== null && cell.model.type === 'markdown';
}

/**
 * Whether a notebook's cells hold code (then it keeps its kernel).
 */
export function holdsCode(panel: NotebookPanel): boolean {
  const cells = panel.content.model?.cells;
  if (!cells) {
    return false;
  }
  for (let i = 0; i < cells.length; i++) {
    if (cells.get(i).type === 'code') {
      return true;
    }
  }
  return false;
}

/**
 * Writing mode on one journal notebook: its Markdown cells render as soon as
 * the writer leaves them and open for editing with one click, the consignes
 * never show an editor, list input behaves as in a word processor, new cells
 * are writing cells, and no kernel starts unless the document holds code.
 */
export class WritingMode implements IDisposable {
  constructor(panel: NotebookPanel, options: WritingMode.IOptions) {
    this._panel = panel;
    this._writable = options.writable;
    this._kernelChanged = options.kernelChanged;
    this._editorLabel = options.editorLabel;
    const notebook = panel.content;
    panel.addClass(WRITING_PANEL_CLASS);
    notebook.addClass(WRITING_NOTEBOOK_CLASS);
    // The "+" button and insertions make writing cells, not code cells.
    notebook.notebookConfig = {
      ...notebook.notebookConfig,
      defaultCell: 'markdown'
    };
    const code = holdsCode(panel);
    panel.toggleClass(WITH_CODE_CLASS, code);
    if (!code) {
      // Read before the session starts (the context asks for a kernel once it has loaded).
      panel.sessionContext.kernelPreference = {
        ...panel.sessionContext.kernelPreference,
        shouldStart: false,
        autoStartDefault: false
      };
    }
    panel.sessionContext.kernelChanged.connect(this._onKernelChanged, this);
    notebook.model?.cells.changed.connect(this._prepareCells, this);
    notebook.activeCellChanged.connect(this._onActiveCellChanged, this);
    notebook.stateChanged.connect(this._onStateChanged, this);
    notebook.node.addEventListener('click', this);
    // Capture: before CodeMirror sees the typing.
    notebook.node.addEventListener('beforeinput', this, true);
    this._previous = notebook.activeCell;
    this._prepareCells();
  }

  /**
   * Whether writing mode was turned off on this notebook.
   */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /**
   * Turn writing mode off: the notebook is an ordinary one again.
   */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    const panel = this._panel;
    const notebook = panel.content;
    panel.sessionContext.kernelChanged.disconnect(this._onKernelChanged, this);
    notebook.model?.cells.changed.disconnect(this._prepareCells, this);
    notebook.activeCellChanged.disconnect(this._onActiveCellChanged, this);
    notebook.stateChanged.disconnect(this._onStateChanged, this);
    notebook.node.removeEventListener('click', this);
    notebook.node.removeEventListener('beforeinput', this, true);
    if (panel.isDisposed) {
      return;
    }
    panel.removeClass(WRITING_PANEL_CLASS);
    panel.removeClass(WITH_CODE_CLASS);
    notebook.removeClass(WRITING_NOTEBOOK_CLASS);
    notebook.notebookConfig = {
      ...notebook.notebookConfig,
      defaultCell: 'code'
    };
    panel.sessionContext.kernelPreference = {
      ...panel.sessionContext.kernelPreference,
      shouldStart: true
    };
    for (const cell of notebook.widgets) {
      if (isMarkdownCell(cell)) {
        cell.showEditorForReadOnly = true;
      }
    }
  }

  /**
   * Open a writing cell's editor, the cursor at the end of its text.
   */
  edit(cell: Cell, at: 'end' | 'keep' = 'end'): boolean {
    const notebook = this._panel.content;
    if (!isMarkdownCell(cell) || cell.readOnly || !this._writable()) {
      return false;
    }
    const index = notebook.widgets.indexOf(cell);
    if (index < 0) {
      return false;
    }
    notebook.activeCellIndex = index;
    notebook.deselectAll();
    cell.rendered = false;
    notebook.mode = 'edit';
    const editor = cell.editor;
    if (editor) {
      editor.setOption('lineWrap', true);
      // Screen readers announce which section is being written.
      (editor as CodeMirrorEditor).editor?.contentDOM.setAttribute(
        'aria-label',
        this._editorLabel(this._sectionHeading(cell))
      );
      if (at === 'end') {
        const length = cell.model.sharedModel.getSource().length;
        editor.setCursorPosition(editor.getPositionAt(length)!);
      }
      editor.focus();
    }
    return true;
  }

  /**
   * Apply a formatting edit to the active writing cell, at its selection.
   */
  format(
    change: (text: string, start: number, end: number) => ITextEdit
  ): boolean {
    const cell = this._panel.content.activeCell;
    if (!isMarkdownCell(cell) || !this.edit(cell, 'keep')) {
      return false;
    }
    const editor = cell.editor;
    if (!editor) {
      return false;
    }
    const selection = editor.getSelection();
    const start = editor.getOffsetAt(selection.start);
    const end = editor.getOffsetAt(selection.end);
    const shared = cell.model.sharedModel;
    const edit = change(
      shared.getSource(),
      Math.min(start, end),
      Math.max(start, end)
    );
    shared.updateSource(edit.from, edit.to, edit.insert);
    editor.setSelection({
      start: editor.getPositionAt(edit.selection.start)!,
      end: editor.getPositionAt(edit.selection.end)!
    });
    editor.focus();
    return true;
  }

  /**
   * Leave the active cell: render it (a writing cell) and go to the next
   * cell if there is one; never adds a cell.
   */
  leave(): void {
    const notebook = this._panel.content;
    const cell = notebook.activeCell;
    if (isMarkdownCell(cell)) {
      cell.rendered = true;
    }
    notebook.mode = 'command';
    if (notebook.activeCellIndex < notebook.widgets.length - 1) {
      notebook.activeCellIndex += 1;
    }
    notebook.activeCell?.node.focus();
  }

  handleEvent(event: Event): void {
    if (event.type === 'click') {
      this._onClick(event as MouseEvent);
    } else if (event.type === 'beforeinput') {
      this._onBeforeInput(event as InputEvent);
    }
  }

  /**
   * The heading of the section a cell is written in: its prompt's first line, without the marks.
   */
  private _sectionHeading(cell: Cell): string | null {
    const cells = this._panel.content.widgets;
    for (let i = cells.indexOf(cell); i >= 0; i--) {
      if (cellJournalMetadata(cells[i].model)?.role === 'prompt') {
        const first = cells[i].model.sharedModel.getSource().split('\n', 1)[0];
        return first.replace(/^#+\s*/, '').trim() || null;
      }
    }
    return null;
  }

  private _prepareCells(): void {
    for (const cell of this._panel.content.widgets) {
      if (!isMarkdownCell(cell) || this._prepared.has(cell)) {
        continue;
      }
      this._prepared.add(cell);
      // A consigne shows as text only: no editor, even a read-only one.
      cell.showEditorForReadOnly = false;
      if (cell.readOnly) {
        cell.rendered = true;
      }
    }
  }

  private _onActiveCellChanged(notebook: Notebook, active: Cell | null): void {
    const previous = this._previous;
    this._previous = active;
    if (
      previous &&
      previous !== active &&
      !previous.isDisposed &&
      isMarkdownCell(previous) &&
      notebook.widgets.includes(previous)
    ) {
      previous.rendered = true;
    }
  }

  private _onStateChanged(
    notebook: Notebook,
    change: { name: string; newValue: unknown }
  ): void {
    if (change.name !== 'mode') {
      return;
    }
    const cell = notebook.activeCell;
    if (!isMarkdownCell(cell)) {
      return;
    }
    if (change.newValue === 'command') {
      // Leaving the editor (Escape, a click elsewhere) shows the text as it reads.
      cell.rendered = true;
    } else if (change.newValue === 'edit') {
      cell.editor?.setOption('lineWrap', true);
    }
  }

  private _onKernelChanged(): void {
    if (this._panel.sessionContext.session?.kernel) {
      // The writer asked for a kernel: its controls show.
      this._panel.addClass(WITH_CODE_CLASS);
      this._kernelChanged?.();
    }
  }

  private _onClick(event: MouseEvent): void {
    if (
      event.button !== 0 ||
      event.shiftKey ||
      event.ctrlKey ||
      event.metaKey
    ) {
      return;
    }
    const target = event.target as HTMLElement;
    if (target.closest(NOT_FOR_EDITING)) {
      return;
    }
    // Selecting words (to comment on them, to claim them) is not a click to edit.
    const selection = window.getSelection();
    if (selection && !selection.isCollapsed) {
      return;
    }
    const cell = this._panel.content.widgets.find(
      candidate =>
        isMarkdownCell(candidate) &&
        candidate.rendered &&
        candidate.node.contains(target)
    );
    if (cell) {
      this.edit(cell);
    }
  }

  private _onBeforeInput(event: InputEvent): void {
    if (event.inputType !== 'insertText' || event.data !== ' ') {
      return;
    }
    const cell = this._panel.content.activeCell;
    if (!isMarkdownCell(cell)) {
      return;
    }
    const view = (cell.editor as CodeMirrorEditor | null)?.editor;
    if (!view || !view.contentDOM.contains(event.target as Node)) {
      return;
    }
    const { main } = view.state.selection;
    if (!main.empty) {
      return;
    }
    const line = view.state.doc.lineAt(main.head);
    const fixed = undoubledMarker(line.text.slice(0, main.head - line.from));
    if (fixed === null) {
      return;
    }
    event.preventDefault();
    view.dispatch({
      changes: { from: line.from, to: main.head, insert: fixed },
      selection: { anchor: line.from + fixed.length },
      userEvent: 'input.type'
    });
  }

  private _panel: NotebookPanel;
  private _writable: () => boolean;
  private _kernelChanged?: () => void;
  private _editorLabel: (heading: string | null) => string;
  private _previous: Cell | null = null;
  private _prepared = new WeakSet<Cell>();
  private _isDisposed = false;
}

/**
 * A namespace for WritingMode statics.
 */
export namespace WritingMode {
  /**
   * How to set writing mode up on a notebook.
   */
  export interface IOptions {
    /** Whether the user may write in the document (a tutor reads a learner's). */
    writable: () => boolean;
    /** Called when a kernel starts on the notebook after all. */
    kernelChanged?: () => void;
    /** The accessible name of a writing cell's editor, from its section's heading. */
    editorLabel: (heading: string | null) => string;
  }
}
