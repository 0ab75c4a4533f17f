import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { IDisposable } from '@lumino/disposable';

import { journalDocumentId } from '../common/metadata';
import { IAnnotation } from '../tokens';
import { AnnotationsModel } from './model';
import { findSelectedPassage, utf16Offset } from './passages';

/**
 * The class of the `<mark>` wrapping a commented passage in rendered Markdown.
 */
export const HIGHLIGHT_CLASS = 'jp-JournalAnnotation-highlight';

/**
 * A commented passage to mark: its annotation and its text as it reads now.
 */
export interface IHighlight {
  /** The annotation it belongs to (absent: a passage shown, not a comment). */
  annotationId?: number;
  text: string;
  /** Where the passage sits in its cell, from 0 (start) to 1 (end): picks among repeats. */
  relative: number;
}

/**
 * The text nodes under `root`, with where each starts in their concatenation.
 */
function textNodes(root: Node): { node: Text; start: number }[] {
  const nodes: { node: Text; start: number }[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let length = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    nodes.push({ node: node as Text, start: length });
    length += (node as Text).data.length;
  }
  return nodes;
}

/**
 * Wrap each passage found in the text under `root` in a `<mark>`, one per
 * text node it spans; a passage that reads differently once rendered (across
 * formatting) is left unmarked. Returns the marks made.
 */
export function highlightPassages(
  root: HTMLElement,
  highlights: ReadonlyArray<IHighlight>,
  className = HIGHLIGHT_CLASS
): HTMLElement[] {
  const marks: HTMLElement[] = [];
  for (const highlight of highlights) {
    const wanted = highlight.text.trim();
    if (!wanted) {
      continue;
    }
    const nodes = textNodes(root);
    const text = nodes.map(n => n.node.data).join('');
    const found = findSelectedPassage(text, wanted, highlight.relative);
    if (!found) {
      continue;
    }
    const start = utf16Offset(text, found.start);
    const end = start + found.exact.length;
    for (const { node, start: nodeStart } of nodes) {
      const nodeEnd = nodeStart + node.data.length;
      if (nodeEnd <= start || nodeStart >= end) {
        continue;
      }
      let target = node;
      const from = Math.max(start, nodeStart) - nodeStart;
      const to = Math.min(end, nodeEnd) - nodeStart;
      if (from > 0) {
        target = target.splitText(from);
      }
      if (to - from < target.data.length) {
        target.splitText(to - from);
      }
      const mark = document.createElement('mark');
      mark.className = className;
      if (highlight.annotationId !== undefined) {
        mark.dataset.annotationId = String(highlight.annotationId);
      }
      target.parentNode?.insertBefore(mark, target);
      mark.appendChild(target);
      marks.push(mark);
    }
  }
  return marks;
}

/**
 * Remove the marks under `root`, leaving their text in place.
 */
export function removeHighlights(root: HTMLElement): void {
  for (const mark of Array.from(
    root.querySelectorAll<HTMLElement>(`mark.${HIGHLIGHT_CLASS}`)
  )) {
    const parent = mark.parentNode;
    if (!parent) {
      continue;
    }
    while (mark.firstChild) {
      parent.insertBefore(mark.firstChild, mark);
    }
    parent.removeChild(mark);
    parent.normalize();
  }
}

/**
 * Keeps the commented passages of a journal notebook's rendered Markdown
 * cells highlighted, as cells render again and annotations change.
 */
class Highlighter implements IDisposable {
  constructor(panel: NotebookPanel) {
    this._panel = panel;
    this._observer = new MutationObserver(() => this._schedule());
    this._observer.observe(panel.content.node, {
      childList: true,
      subtree: true
    });
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /**
   * The annotations to show (those of other documents are ignored).
   */
  show(annotations: ReadonlyArray<IAnnotation>): void {
    this._annotations = annotations.filter(a => !a.orphaned && a.anchor);
    this._schedule();
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._observer.disconnect();
    if (this._frame !== null) {
      cancelAnimationFrame(this._frame);
    }
  }

  private _schedule(): void {
    if (this._frame === null && !this._isDisposed) {
      this._frame = requestAnimationFrame(() => {
        this._frame = null;
        this._apply();
      });
    }
  }

  private _apply(): void {
    if (this._panel.isDisposed) {
      return;
    }
    for (const cell of this._panel.content.widgets) {
      if (cell.model.type !== 'markdown') {
        continue;
      }
      const output = cell.node.querySelector<HTMLElement>('.jp-MarkdownOutput');
      if (!output) {
        continue;
      }
      const source = cell.model.sharedModel.getSource();
      const highlights = this._annotations
        .filter(a => a.cell_id === cell.model.id)
        .map(a => {
          const start = utf16Offset(source, a.anchor!.start);
          const atAnchor = source.slice(
            start,
            utf16Offset(source, a.anchor!.end)
          );
          // The anchor was computed on the saved text: while the cell holds
          // unsaved edits (or before the annotations are read again after a
          // save), the quoted words are a surer guide than the offsets.
          const passage =
            atAnchor !== a.quote.exact && source.includes(a.quote.exact)
              ? a.quote.exact
              : atAnchor;
          return {
            annotationId: a.id,
            // Rendering drops the emphasis marks the source passage may hold.
            text: passage.replace(/[*_~`]/g, ''),
            relative: source.length ? start / source.length : 0
          };
        });
      const key = JSON.stringify(highlights);
      const done = this._done.get(output);
      const intact =
        done &&
        done.key === key &&
        done.text === output.textContent &&
        done.marks.every(mark => output.contains(mark));
      if (intact) {
        continue;
      }
      // Our own changes below come back as mutations: stop listening meanwhile.
      this._observer.disconnect();
      removeHighlights(output);
      const marks = highlightPassages(output, highlights);
      this._done.set(output, { key, text: output.textContent, marks });
      this._observer.observe(this._panel.content.node, {
        childList: true,
        subtree: true
      });
    }
  }

  private _panel: NotebookPanel;
  private _observer: MutationObserver;
  private _annotations: IAnnotation[] = [];
  private _frame: number | null = null;
  private _isDisposed = false;
  private _done = new WeakMap<
    HTMLElement,
    { key: string; text: string | null; marks: HTMLElement[] }
  >();
}

/**
 * Highlight, in each journal notebook, the passages of the annotations the
 * model shows (those of its document), as they change; a click on a
 * highlighted passage calls `open` with its annotation's id.
 */
export function highlightAnnotations(
  tracker: INotebookTracker,
  model: AnnotationsModel,
  open: (annotationId: number) => void
): void {
  const highlighters = new Map<NotebookPanel, Highlighter>();
  const highlight = (): void => {
    for (const [notebook, highlighter] of highlighters) {
      const mine = journalDocumentId(notebook) === model.documentId;
      highlighter.show(mine ? model.annotations : []);
    }
  };
  model.changed.connect(highlight);
  tracker.widgetAdded.connect((_, notebook) => {
    void notebook.context.ready.then(() => {
      if (notebook.isDisposed || journalDocumentId(notebook) === null) {
        return;
      }
      const highlighter = new Highlighter(notebook);
      highlighters.set(notebook, highlighter);
      notebook.disposed.connect(() => {
        highlighter.dispose();
        highlighters.delete(notebook);
      });
      highlight();
      // A highlighted passage opens its thread in the Comments panel.
      notebook.content.node.addEventListener('click', event => {
        const mark = (event.target as Element).closest?.(
          `mark.${HIGHLIGHT_CLASS}`
        ) as HTMLElement | null;
        if (mark?.dataset.annotationId) {
          open(Number(mark.dataset.annotationId));
        }
      });
    });
  });
}
