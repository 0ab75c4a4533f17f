import { Time } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';
import { refreshIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IconButton, ReadStatus, useServerAction } from '../common/components';
import { IAnnotation } from '../tokens';
import { AnnotationsModel } from './model';
import { audienceLabel, motivationLabel, statusLabel } from './words';

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
        <IconButton
          icon={refreshIcon}
          className="jp-JournalAnnotations-button jp-JournalAnnotations-refresh"
          label={trans.__('Refresh the comments')}
          onClick={props.onRefresh}
        />
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
      <ReadStatus
        model={model}
        trans={trans}
        prefix="jp-JournalAnnotations"
        failure={reason => trans.__('The comments cannot be read: %1', reason)}
      />
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
  const { busy, problem, attempt } = useServerAction(trans);
  const titleId = `jp-JournalAnnotations-thread-${annotation.id}`;
  const replyId = `jp-JournalAnnotations-reply-${annotation.id}`;
  const author = annotation.author_name || annotation.author;

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
