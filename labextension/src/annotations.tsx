import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  Dialog,
  ICommandPalette,
  Notification,
  showDialog,
  showErrorMessage
} from '@jupyterlab/apputils';
import { Time } from '@jupyterlab/coreutils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import { refreshIcon, ToolbarButton } from '@jupyterlab/ui-components';
import { IDisposable } from '@lumino/disposable';
import { Message } from '@lumino/messaging';
import { ISignal, Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import * as React from 'react';

import { commentIcon } from './icons';
import {
  followCurrentNotebook,
  journalDocumentId,
  NotebookFollowingPanel
} from './panel';
import { ServerModel } from './remote';
import { errorText, reportFailure } from './failures';
import { requestAPI } from './request';
import {
  Audience,
  CommandIDs,
  IAnnotation,
  IAnnotationCreation,
  IAnnotationList,
  IAnnotationReply,
  Motivation
} from './tokens';

/**
 * The Comments panel's id: its tab, the layout restorer and tests find it by this.
 */
export const ANNOTATIONS_ID = 'journal-ext-annotations';

// -- positions: the server counts Unicode code points, a JS string UTF-16 units --

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
    words.map(word => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(
      '[\\s*_~`]+'
    ),
    'g'
  );
  const wanted = Math.max(0, Math.min(1, relative)) * source.length;
  let best: RegExpExecArray | null = null;
  for (
    let match = pattern.exec(source);
    match;
    match = pattern.exec(source)
  ) {
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

// -- the model --

/**
 * A journal document's annotations, in reading order, and what the user may add.
 *
 * Every call to the server goes through `requestAPI`.
 */
export class AnnotationsModel extends ServerModel {
  /**
   * The document shown, or null when no journal notebook is current.
   */
  get documentId(): number | null {
    return this._documentId;
  }

  /**
   * Every annotation the user may read, orphans last.
   */
  get annotations(): ReadonlyArray<IAnnotation> {
    return this._annotations;
  }

  /**
   * The annotations whose passage is found in the current text, in reading order.
   */
  get threads(): IAnnotation[] {
    return this._annotations.filter(a => !a.orphaned);
  }

  /**
   * The annotations whose passage or cell is gone.
   */
  get orphans(): IAnnotation[] {
    return this._annotations.filter(a => a.orphaned);
  }

  /**
   * The motivations and audiences the user may give a new annotation.
   */
  get mayAnnotate(): IAnnotationList['may_annotate'] {
    return this._mayAnnotate;
  }

  /**
   * Whether the annotations of the current document have been read.
   */
  get loaded(): boolean {
    return this._loaded;
  }

  /**
   * Emitted after the user wrote something (an annotation, a reply, a status, a deletion).
   */
  get written(): ISignal<this, void> {
    return this._written;
  }

  /**
   * Show a document's annotations (null: none).
   */
  async load(documentId: number | null): Promise<void> {
    if (documentId !== this._documentId) {
      this._annotations = [];
      this._mayAnnotate = { motivations: [], audiences: [] };
      this._loaded = false;
    }
    this._documentId = documentId;
    this.reset();
    if (documentId === null) {
      this.emit();
      return;
    }
    await this.request(
      () =>
        requestAPI<IAnnotationList>(`documents/${documentId}/annotations`),
      answer => {
        this._annotations = answer.annotations;
        this._mayAnnotate = answer.may_annotate;
        this._loaded = true;
      }
    );
  }

  /**
   * Annotate a passage of a cell of a document, then read the document's annotations again.
   */
  async create(
    documentId: number,
    creation: IAnnotationCreation
  ): Promise<IAnnotation> {
    const created = await requestAPI<IAnnotation>(
      `documents/${documentId}/annotations`,
      this._json('POST', creation)
    );
    await this._afterWrite(documentId);
    return created;
  }

  /**
   * Reply in a thread.
   */
  async reply(annotationId: number, body: string): Promise<IAnnotationReply> {
    const reply = await requestAPI<IAnnotationReply>(
      `annotations/${annotationId}/replies`,
      this._json('POST', { body })
    );
    await this._afterWrite(this._documentId);
    return reply;
  }

  /**
   * Resolve or reopen a thread.
   */
  async setStatus(
    annotationId: number,
    status: IAnnotation['status']
  ): Promise<void> {
    await requestAPI<IAnnotation>(
      `annotations/${annotationId}`,
      this._json('PATCH', { status })
    );
    await this._afterWrite(this._documentId);
  }

  /**
   * Withdraw one's own annotation (its thread stays while it has replies).
   */
  async remove(annotationId: number): Promise<void> {
    await requestAPI<unknown>(`annotations/${annotationId}`, {
      method: 'DELETE'
    });
    await this._afterWrite(this._documentId);
  }

  private _json(method: string, body: unknown): RequestInit {
    return {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body)
    };
  }

  private async _afterWrite(documentId: number | null): Promise<void> {
    if (!this.isDisposed) {
      this._written.emit();
    }
    if (documentId !== null && documentId === this._documentId) {
      await this.load(documentId);
    }
  }

  private _documentId: number | null = null;
  private _annotations: IAnnotation[] = [];
  private _mayAnnotate: IAnnotationList['may_annotate'] = {
    motivations: [],
    audiences: []
  };
  private _loaded = false;
  private _written = new Signal<this, void>(this);
}

// -- words --

/**
 * A motivation, in the user's language.
 */
export function motivationLabel(
  motivation: Motivation,
  trans: TranslationBundle
): string {
  switch (motivation) {
    case 'commenting':
      return trans.__('Remark');
    case 'questioning':
      return trans.__('Question');
    case 'assessing':
      return trans.__('Assessment');
    default:
      return motivation;
  }
}

/**
 * An audience, in the user's language.
 */
export function audienceLabel(
  audience: Audience,
  trans: TranslationBundle
): string {
  switch (audience) {
    case 'learner':
      return trans.__('For the learner');
    case 'group':
      return trans.__('For the group');
    case 'tutors':
      return trans.__('Tutors only');
    default:
      return audience;
  }
}

function statusLabel(
  status: IAnnotation['status'],
  trans: TranslationBundle
): string {
  return status === 'resolved' ? trans.__('Resolved') : trans.__('Open');
}

// -- the view --

/**
 * What the Comments view needs besides the model.
 */
interface IAnnotationsViewProps {
  model: AnnotationsModel;
  trans: TranslationBundle;
  onRefresh: () => void;
  /** Ask before deleting; resolves to true to go on. */
  confirmDelete: (annotation: IAnnotation) => Promise<boolean>;
  /** Show the annotated passage in the notebook (absent: no such button). */
  onReveal?: (annotation: IAnnotation) => void;
  /** The thread to put the keyboard focus on once it is shown, then forget. */
  focusId: number | null;
  onFocused: () => void;
}

/**
 * The Comments panel's content: threads in reading order, then the orphans' tray.
 */
export function AnnotationsView(props: IAnnotationsViewProps): JSX.Element {
  const { model, trans, focusId } = props;
  const rootRef = React.useRef<HTMLDivElement>(null);
  React.useEffect(() => {
    if (focusId === null) {
      return;
    }
    const thread = rootRef.current?.querySelector<HTMLElement>(
      `[data-annotation-id="${focusId}"]`
    );
    if (thread) {
      thread.focus();
      thread.scrollIntoView?.({ block: 'nearest' });
      props.onFocused();
    } else if (model.loaded && !model.loading) {
      // Not among the threads this user may read: nothing to focus.
      props.onFocused();
    }
  });
  const header = (
    <div className="jp-JournalAnnotations-header">
      <h2 className="jp-JournalAnnotations-title">{trans.__('Comments')}</h2>
      {model.documentId !== null ? (
        <button
          type="button"
          className="jp-JournalAnnotations-button jp-JournalAnnotations-refresh"
          onClick={props.onRefresh}
          aria-label={trans.__('Refresh the comments')}
          title={trans.__('Refresh the comments')}
        >
          <refreshIcon.react tag="span" elementSize="normal" />
        </button>
      ) : null}
    </div>
  );
  if (model.documentId === null) {
    return (
      <div className="jp-JournalAnnotations-content" ref={rootRef}>
        {header}
        <p className="jp-JournalAnnotations-empty">
          {trans.__(
            'Open a journal notebook to read the comments on its passages and answer them.'
          )}
        </p>
      </div>
    );
  }
  const threads = model.threads;
  const orphans = model.orphans;
  const canAnnotate = model.mayAnnotate.motivations.length > 0;
  return (
    <div className="jp-JournalAnnotations-content" ref={rootRef}>
      {header}
      <div
        role="status"
        aria-live="polite"
        className="jp-JournalAnnotations-status"
      >
        {model.loading ? trans.__('Loading…') : ''}
      </div>
      {model.error ? (
        <p className="jp-JournalAnnotations-error" role="alert">
          {trans.__('The comments cannot be read: %1', model.error)}
        </p>
      ) : null}
      {model.loaded && !model.error && model.annotations.length === 0 ? (
        <p className="jp-JournalAnnotations-empty">
          {canAnnotate
            ? trans.__(
                'No comment yet. Select a passage of a cell, then choose Comment in the toolbar.'
              )
            : trans.__('No comment yet.')}
        </p>
      ) : null}
      {threads.length ? (
        <ol
          className="jp-JournalAnnotations-list"
          aria-label={trans.__('Comments, in reading order')}
        >
          {threads.map(annotation => (
            <li key={annotation.id}>
              <Thread {...props} annotation={annotation} />
            </li>
          ))}
        </ol>
      ) : null}
      {orphans.length ? (
        <section
          className="jp-JournalAnnotations-orphans"
          aria-labelledby="jp-JournalAnnotations-orphansTitle"
        >
          <h3
            id="jp-JournalAnnotations-orphansTitle"
            className="jp-JournalAnnotations-orphansTitle"
          >
            {trans.__('Passages not found')}
          </h3>
          <p className="jp-JournalAnnotations-hint">
            {trans.__(
              'The text these comments were about has changed or was deleted. They are kept with the passage they quoted.'
            )}
          </p>
          <ol className="jp-JournalAnnotations-list">
            {orphans.map(annotation => (
              <li key={annotation.id}>
                <Thread {...props} annotation={annotation} />
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </div>
  );
}

/**
 * One thread: the passage, the annotation, its replies, and what the user may do.
 */
function Thread(
  props: IAnnotationsViewProps & { annotation: IAnnotation }
): JSX.Element {
  const { annotation, model, trans } = props;
  const [draft, setDraft] = React.useState('');
  const [busy, setBusy] = React.useState(false);
  const [problem, setProblem] = React.useState<string | null>(null);
  const titleId = `jp-JournalAnnotations-thread-${annotation.id}`;
  const replyId = `jp-JournalAnnotations-reply-${annotation.id}`;
  const author = annotation.author_name || annotation.author;

  const attempt = async (
    what: () => Promise<unknown>,
    failure: string
  ): Promise<boolean> => {
    setBusy(true);
    setProblem(null);
    try {
      await what();
      return true;
    } catch (error) {
      setProblem(trans.__('%1: %2', failure, errorText(error)));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const sendReply = async (): Promise<void> => {
    if (!draft.trim()) {
      return;
    }
    if (
      await attempt(
        () => model.reply(annotation.id, draft),
        trans.__('The reply was not sent')
      )
    ) {
      setDraft('');
    }
  };
  const remove = async (): Promise<void> => {
    if (await props.confirmDelete(annotation)) {
      await attempt(
        () => model.remove(annotation.id),
        trans.__('The comment was not deleted')
      );
    }
  };
  const resolved = annotation.status === 'resolved';

  return (
    <article
      className={`jp-JournalAnnotations-thread jp-mod-${annotation.status}`}
      aria-labelledby={titleId}
      data-annotation-id={annotation.id}
      tabIndex={-1}
    >
      <h3 id={titleId} className="jp-JournalAnnotations-threadTitle">
        <span className="jp-JournalAnnotations-motivation">
          {motivationLabel(annotation.motivation, trans)}
        </span>
        <span className="jp-JournalAnnotations-author">{author}</span>
        <span
          className={`jp-JournalAnnotations-tag jp-mod-${annotation.status}`}
        >
          {statusLabel(annotation.status, trans)}
        </span>
      </h3>
      <blockquote
        className="jp-JournalAnnotations-quote"
        aria-label={trans.__('Quoted passage')}
      >
        {annotation.quote.exact}
      </blockquote>
      <p className="jp-JournalAnnotations-meta">
        <time
          dateTime={annotation.created_at}
          title={Time.format(annotation.created_at)}
        >
          {Time.formatHuman(annotation.created_at)}
        </time>
        <span>{audienceLabel(annotation.audience, trans)}</span>
        {annotation.orphaned ? (
          <span>
            {annotation.orphan_reason === 'cell_deleted'
              ? trans.__('its cell was deleted')
              : trans.__('passage changed')}
          </span>
        ) : null}
      </p>
      <div className="jp-JournalAnnotations-body">
        {annotation.deleted
          ? trans.__('(comment deleted by its author)')
          : annotation.body}
      </div>
      {annotation.replies.length ? (
        <ol
          className="jp-JournalAnnotations-replies"
          aria-label={trans._n(
            '%1 reply',
            '%1 replies',
            annotation.replies.length
          )}
        >
          {annotation.replies.map(reply => (
            <li key={reply.id} className="jp-JournalAnnotations-reply">
              <p className="jp-JournalAnnotations-meta">
                <strong>{reply.author_name || reply.author}</strong>
                <time
                  dateTime={reply.created_at}
                  title={Time.format(reply.created_at)}
                >
                  {Time.formatHuman(reply.created_at)}
                </time>
              </p>
              <div className="jp-JournalAnnotations-body">{reply.body}</div>
            </li>
          ))}
        </ol>
      ) : null}
      {resolved && annotation.resolved_by ? (
        <p className="jp-JournalAnnotations-hint">
          {trans.__(
            'Resolved by %1',
            annotation.resolved_by_name || annotation.resolved_by
          )}
        </p>
      ) : null}
      {problem ? (
        <p className="jp-JournalAnnotations-error" role="alert">
          {problem}
        </p>
      ) : null}
      {annotation.can.reply ? (
        <form
          className="jp-JournalAnnotations-replyForm"
          onSubmit={event => {
            event.preventDefault();
            void sendReply();
          }}
        >
          <label htmlFor={replyId} className="jp-JournalAnnotations-label">
            {trans.__('Your reply')}
          </label>
          <textarea
            id={replyId}
            className="jp-JournalAnnotations-replyInput"
            rows={2}
            value={draft}
            disabled={busy}
            onChange={event => setDraft(event.currentTarget.value)}
            onKeyDown={event => {
              // Ctrl+Enter sends, as in most messaging tools.
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
                event.preventDefault();
                void sendReply();
              }
              // Keep the notebook's shortcuts out of the typing.
              event.stopPropagation();
            }}
          />
          <button
            type="submit"
            className="jp-JournalAnnotations-action jp-mod-styled jp-mod-accept"
            disabled={busy || !draft.trim()}
          >
            {trans.__('Reply')}
          </button>
        </form>
      ) : null}
      <div className="jp-JournalAnnotations-actions">
        {props.onReveal && !annotation.orphaned ? (
          <button
            type="button"
            className="jp-JournalAnnotations-action jp-JournalAnnotations-reveal"
            onClick={() => props.onReveal!(annotation)}
          >
            {trans.__('Show in the notebook')}
          </button>
        ) : null}
        {annotation.can.resolve ? (
          <button
            type="button"
            className="jp-JournalAnnotations-action jp-JournalAnnotations-resolve"
            disabled={busy}
            onClick={() =>
              void attempt(
                () =>
                  model.setStatus(
                    annotation.id,
                    resolved ? 'open' : 'resolved'
                  ),
                resolved
                  ? trans.__('The comment was not reopened')
                  : trans.__('The comment was not resolved')
              )
            }
          >
            {resolved ? trans.__('Reopen') : trans.__('Resolve')}
          </button>
        ) : null}
        {annotation.can.delete ? (
          <button
            type="button"
            className="jp-JournalAnnotations-action jp-JournalAnnotations-delete"
            disabled={busy}
            onClick={() => void remove()}
          >
            {trans.__('Delete')}
          </button>
        ) : null}
      </div>
    </article>
  );
}

/**
 * The Comments panel: a widget rendering the annotations of the current journal notebook.
 */
export class AnnotationsPanel extends NotebookFollowingPanel<AnnotationsModel> {
  constructor(options: AnnotationsPanel.IOptions) {
    super(options.model, {
      id: ANNOTATIONS_ID,
      className: 'jp-JournalAnnotations',
      icon: commentIcon,
      label: options.trans.__('Comments')
    });
    this._trans = options.trans;
    this._confirmDelete = options.confirmDelete;
    this._reveal = options.reveal;
  }

  /**
   * Put the keyboard focus on a thread once it is shown.
   */
  focusThread(annotationId: number): void {
    this._focusId = annotationId;
    this.update();
  }

  protected render(): JSX.Element {
    return (
      <AnnotationsView
        model={this.model}
        trans={this._trans}
        onRefresh={() => this.reload()}
        confirmDelete={this._confirmDelete}
        onReveal={this._reveal}
        focusId={this._focusId}
        onFocused={() => {
          this._focusId = null;
        }}
      />
    );
  }

  protected onActivateRequest(msg: Message): void {
    if (this._focusId !== null) {
      return;
    }
    this.focusFirst('.jp-JournalAnnotations-thread, .jp-JournalAnnotations-button');
  }

  private _trans: TranslationBundle;
  private _confirmDelete: (annotation: IAnnotation) => Promise<boolean>;
  private _reveal?: (annotation: IAnnotation) => void;
  private _focusId: number | null = null;
}

/**
 * The Comments panel's namespace.
 */
export namespace AnnotationsPanel {
  export interface IOptions {
    model: AnnotationsModel;
    trans: TranslationBundle;
    /** Ask before deleting an annotation; resolves to true to go on. */
    confirmDelete: (annotation: IAnnotation) => Promise<boolean>;
    /** Show an annotated passage in the notebook. */
    reveal?: (annotation: IAnnotation) => void;
  }
}

// -- highlights in rendered Markdown --

/**
 * The class of the `<mark>` wrapping a commented passage in rendered Markdown.
 */
export const HIGHLIGHT_CLASS = 'jp-JournalAnnotation-highlight';

/**
 * A commented passage to mark: its annotation and its text as it reads now.
 */
export interface IHighlight {
  annotationId: number;
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
  highlights: ReadonlyArray<IHighlight>
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
      mark.className = HIGHLIGHT_CLASS;
      mark.dataset.annotationId = String(highlight.annotationId);
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
          const atAnchor = source.slice(start, utf16Offset(source, a.anchor!.end));
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

// -- commenting a selection --

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
  cell: ISelectedText['cell'];
  passage: IPassage;
}

/**
 * The passage selected in a journal notebook, located in its cell's saved
 * text: the notebook is saved first, since passages anchor to the saved text.
 * Null, once the user has been told why, when nothing usable is selected.
 * Rejects when the notebook cannot be saved.
 *
 * @param nothingSelected what to tell the user when nothing is selected
 */
export async function savedSelection(
  notebook: NotebookPanel,
  keeper: SelectionKeeper,
  trans: TranslationBundle,
  nothingSelected: string
): Promise<ISavedPassage | null> {
  const selected = keeper.selectionIn(notebook);
  if (!selected) {
    void showErrorMessage(trans.__('Nothing Selected'), nothingSelected);
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
  return { cell, passage };
}

/**
 * The dialog's form: the comment, and for those offered a choice its motivation and audience.
 */
class CommentForm extends Widget {
  constructor(
    passage: string,
    motivations: Motivation[],
    audiences: Audience[],
    trans: TranslationBundle
  ) {
    super();
    this.addClass('jp-JournalAnnotations-form');
    const quote = document.createElement('blockquote');
    quote.className = 'jp-JournalAnnotations-quote';
    quote.textContent = passage;
    this.node.appendChild(quote);
    this._body = document.createElement('textarea');
    this._body.className = 'jp-JournalAnnotations-bodyInput';
    this._body.rows = 5;
    this.node.appendChild(this._labelled(trans.__('Your comment'), this._body));
    if (motivations.length > 1) {
      this._motivation = this._choice(
        motivations.map(m => [m, motivationLabel(m, trans)])
      );
      this.node.appendChild(this._labelled(trans.__('Kind'), this._motivation));
    }
    if (audiences.length > 1) {
      this._audience = this._choice(
        audiences.map(a => [a, audienceLabel(a, trans)])
      );
      this.node.appendChild(
        this._labelled(trans.__('Who reads it'), this._audience)
      );
    }
  }

  getValue(): {
    body: string;
    motivation?: Motivation;
    audience?: Audience;
  } {
    return {
      body: this._body.value,
      motivation: this._motivation?.value as Motivation | undefined,
      audience: this._audience?.value as Audience | undefined
    };
  }

  private _labelled(text: string, control: HTMLElement): HTMLElement {
    const label = document.createElement('label');
    label.className = 'jp-JournalAnnotations-field';
    const span = document.createElement('span');
    span.textContent = text;
    label.append(span, control);
    return label;
  }

  private _choice(options: [string, string][]): HTMLSelectElement {
    const select = document.createElement('select');
    select.className = 'jp-mod-styled';
    for (const [value, text] of options) {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = text;
      select.appendChild(option);
    }
    return select;
  }

  private _body: HTMLTextAreaElement;
  private _motivation?: HTMLSelectElement;
  private _audience?: HTMLSelectElement;
}

/**
 * The Comments panel in the right area; commenting a selected passage from
 * the toolbar, the cells' context menu and the palette.
 */
export const annotationsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'journal_ext:annotations',
  description:
    'Comments on passages of journal notebooks: a Comments panel with threads, replies and resolving, and commenting a selection.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ILayoutRestorer, ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('journal_ext');
    const model = new AnnotationsModel();
    let shown: NotebookPanel | null = null;

    const confirmDelete = async (annotation: IAnnotation): Promise<boolean> => {
      const choice = await showDialog({
        title: trans.__('Delete This Comment?'),
        body: annotation.replies.length
          ? trans.__(
              'Your text is withdrawn; the thread stays for the replies it received.'
            )
          : trans.__('The comment is withdrawn from the margin.'),
        buttons: [
          Dialog.cancelButton({ label: trans.__('Cancel') }),
          Dialog.warnButton({ label: trans.__('Delete') })
        ]
      });
      return choice.button.accept;
    };

    const reveal = (annotation: IAnnotation): void => {
      const notebook = shown;
      if (!notebook || notebook.isDisposed) {
        return;
      }
      const index = notebook.content.widgets.findIndex(
        cell => cell.model.id === annotation.cell_id
      );
      if (index < 0) {
        return;
      }
      notebook.content.activeCellIndex = index;
      void notebook.content.scrollToItem(index);
      app.shell.activateById(notebook.id);
    };

    const panel = new AnnotationsPanel({ model, trans, confirmDelete, reveal });
    // What the user wrote or resolved may leave or join the sidebar's inbox.
    model.written.connect(() => {
      if (app.commands.hasCommand(CommandIDs.refreshInbox)) {
        void app.commands.execute(CommandIDs.refreshInbox);
      }
    });
    app.shell.add(panel, 'right', { rank: 660, type: 'Journal Comments' });
    restorer?.add(panel, ANNOTATIONS_ID);

    // Each journal notebook highlights the passages of the annotations shown.
    const highlighters = new Map<NotebookPanel, Highlighter>();
    const highlight = (): void => {
      for (const [notebook, highlighter] of highlighters) {
        const mine = journalDocumentId(notebook) === model.documentId;
        highlighter.show(mine ? model.annotations : []);
      }
    };
    model.changed.connect(highlight);

    const follow = (notebook: NotebookPanel | null): void => {
      const id = journalDocumentId(notebook);
      shown = id === null ? null : notebook;
      panel.follow(id);
      // The highlights need the annotations even while the panel is closed.
      if (!panel.isVisible && id !== model.documentId) {
        void model.load(id);
      }
    };
    followCurrentNotebook(tracker, follow);

    const keeper = selectionKeeper(tracker);

    const commentSelection = async (notebook: NotebookPanel): Promise<void> => {
      const documentId = journalDocumentId(notebook);
      if (documentId === null) {
        return;
      }
      try {
        const selection = await savedSelection(
          notebook,
          keeper,
          trans,
          trans.__(
            'Select the passage to comment on in a cell (its text or its editor), then choose Comment.'
          )
        );
        if (!selection) {
          return;
        }
        const { cell, passage } = selection;
        if (model.documentId !== documentId || !model.loaded) {
          await model.load(documentId);
        }
        const allowed = model.mayAnnotate;
        if (!allowed.motivations.length) {
          void showErrorMessage(
            trans.__('Cannot Comment'),
            model.error ??
              trans.__(
                'You can read this document but not comment on it: the group’s tutors comment, and the learners who read it may ask questions.'
              )
          );
          return;
        }
        const form = new CommentForm(
          passage.exact,
          allowed.motivations,
          allowed.audiences,
          trans
        );
        const result = await showDialog({
          title: trans.__('Comment on the Passage'),
          body: form,
          focusNodeSelector: 'textarea',
          buttons: [
            Dialog.cancelButton({ label: trans.__('Cancel') }),
            Dialog.okButton({ label: trans.__('Comment') })
          ]
        });
        if (!result.button.accept || !result.value) {
          return;
        }
        const { body, motivation, audience } = result.value;
        if (!body.trim()) {
          Notification.warning(
            trans.__('The comment is empty: nothing was saved.'),
            { autoClose: 5000 }
          );
          return;
        }
        const creation: IAnnotationCreation = {
          cell_id: cell.model.id,
          ...passage,
          body,
          motivation: motivation ?? allowed.motivations[0]
        };
        if (audience) {
          creation.audience = audience;
        }
        const send = async (): Promise<void> => {
          const created = await model.create(documentId, creation);
          follow(notebook);
          app.shell.activateById(panel.id);
          panel.focusThread(created.id);
        };
        try {
          await send();
        } catch (error) {
          // Busy: the comment waits in the notice, to be sent again as typed.
          reportFailure(trans, trans.__('Cannot Save the Comment'), error, send);
        }
      } catch (error) {
        reportFailure(trans, trans.__('Cannot Save the Comment'), error);
      }
    };

    app.commands.addCommand(CommandIDs.showAnnotations, {
      label: trans.__('Comments'),
      caption: trans.__('Show the comments on the passages of this document'),
      icon: args => (args.isPalette ? undefined : commentIcon),
      execute: args => {
        const documentId = args.documentId as number | undefined;
        if (typeof documentId === 'number') {
          const current = tracker.currentWidget;
          shown = journalDocumentId(current) === documentId ? current : null;
          panel.follow(documentId);
        } else {
          follow(tracker.currentWidget);
        }
        app.shell.activateById(panel.id);
        if (typeof args.annotationId === 'number') {
          panel.focusThread(args.annotationId);
        }
      }
    });
    app.commands.addCommand(CommandIDs.commentSelection, {
      label: trans.__('Comment'),
      caption: trans.__('Comment on the passage selected in a cell'),
      icon: args => (args.isPalette ? undefined : commentIcon),
      isEnabled: () => journalDocumentId(tracker.currentWidget) !== null,
      isVisible: () => journalDocumentId(tracker.currentWidget) !== null,
      execute: () => {
        const notebook = tracker.currentWidget;
        if (notebook) {
          return commentSelection(notebook);
        }
      }
    });
    for (const command of [
      CommandIDs.showAnnotations,
      CommandIDs.commentSelection
    ]) {
      palette?.addItem({ command, category: trans.__('Journal') });
    }
    app.contextMenu.addItem({
      command: CommandIDs.commentSelection,
      selector: '.jp-Notebook .jp-Cell',
      rank: 0
    });

    tracker.widgetAdded.connect((_, notebook) => {
      // Saving moves anchors: the panel reads them again.
      notebook.context.saveState.connect((_, state) => {
        if (state === 'completed' && notebook === shown) {
          const id = journalDocumentId(notebook);
          panel.follow(id);
          if (!panel.isVisible) {
            void model.load(id);
          }
        }
      });
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
            void app.commands.execute(CommandIDs.showAnnotations, {
              annotationId: Number(mark.dataset.annotationId)
            });
          }
        });
        const button = new ToolbarButton({
          className: 'jp-JournalAnnotations-toolbarButton',
          icon: commentIcon,
          label: trans.__('Comment'),
          tooltip: trans.__('Comment on the passage selected in a cell'),
          // Keep the selection: the button does not take the focus.
          noFocusOnClick: true,
          onClick: () => void commentSelection(notebook)
        });
        const name = 'journalComment';
        if (!notebook.toolbar.insertAfter('journalHistory', name, button)) {
          notebook.toolbar.addItem(name, button);
        }
      });
    });
  }
};
