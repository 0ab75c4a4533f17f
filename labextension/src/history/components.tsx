import { Time } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';
import { refreshIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { displayTitle, readerLanguageCode } from '../common/language';
import { IconButton, ReadStatus } from '../common/components';
import { IDiffCell, IRevision } from '../tokens';
import { diffLines, HistoryModel } from './model';

/**
 * What a cell's change reads as.
 */
function statusLabel(
  status: IDiffCell['status'],
  trans: TranslationBundle
): string {
  switch (status) {
    case 'added':
      return trans.__('added');
    case 'removed':
      return trans.__('removed');
    case 'changed':
      return trans.__('changed');
    case 'moved':
      return trans.__('moved');
    default:
      return trans.__('unchanged');
  }
}

/**
 * The words telling what kind of save a revision was: merged, conflict, restore.
 */
export function revisionTags(
  revision: IRevision,
  trans: TranslationBundle
): string[] {
  const tags: string[] = [];
  const summary = revision.summary ?? {};
  if (typeof summary.restored_from === 'number') {
    tags.push(trans.__('restores revision %1', summary.restored_from));
  }
  if (summary.conflicts?.length) {
    tags.push(
      trans._n(
        'conflict in %1 cell',
        'conflicts in %1 cells',
        summary.conflicts.length
      )
    );
  } else if (summary.merged?.length) {
    tags.push(
      trans._n('merged %1 cell', 'merged %1 cells', summary.merged.length)
    );
  }
  return tags;
}

/**
 * Props of the history view.
 */
interface IHistoryViewProps {
  model: HistoryModel;
  trans: TranslationBundle;
  headings: () => Map<string, string>;
  onRefresh: () => void;
  onRestore: (revision: number) => void;
  /** Show a cell in the notebook, scrolled to and marked (absent: no such button). */
  onShowCell?: (cellId: string) => void;
}

/**
 * The History panel's content: the revisions, and the selected one's changes.
 */
export function HistoryView(props: IHistoryViewProps): JSX.Element {
  const { model, trans } = props;
  const listRef = React.useRef<HTMLOListElement>(null);
  if (model.documentId === null) {
    return (
      <div className="jp-JournalHistory-content">
        <div className="jp-JournalHistory-header">
          <h2 className="jp-JournalHistory-title">{trans.__('History')}</h2>
        </div>
        <p className="jp-JournalHistory-empty">
          {trans.__(
            'Open a journal notebook to see its history: who saved what, and when. You can go back to any earlier version.'
          )}
        </p>
      </div>
    );
  }
  const latest = model.revisions[0]?.revision ?? 0;

  // Up and down arrows move between the revisions, as in a list.
  const onListKey = (event: React.KeyboardEvent): void => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') {
      return;
    }
    const buttons = Array.from(
      listRef.current?.querySelectorAll<HTMLButtonElement>(
        '.jp-JournalHistory-revision'
      ) ?? []
    );
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = at + (event.key === 'ArrowDown' ? 1 : -1);
    if (at >= 0 && next >= 0 && next < buttons.length) {
      event.preventDefault();
      buttons[next].focus();
    }
  };

  return (
    <div className="jp-JournalHistory-content">
      <div className="jp-JournalHistory-header">
        <h2 className="jp-JournalHistory-title">
          {trans.__('History')}
          {model.title ? (
            <span className="jp-JournalHistory-document">
              {displayTitle(model.title, readerLanguageCode())}
            </span>
          ) : null}
        </h2>
        <IconButton
          icon={refreshIcon}
          className="jp-JournalHistory-button"
          label={trans.__('Refresh the history')}
          onClick={props.onRefresh}
        />
      </div>
      <ReadStatus
        model={model}
        trans={trans}
        prefix="jp-JournalHistory"
        failure={reason => trans.__('The history cannot be read: %1', reason)}
      />
      {!model.loading && !model.error && model.revisions.length === 0 ? (
        <p className="jp-JournalHistory-empty">
          {trans.__('Nothing saved yet: the first save starts the history.')}
        </p>
      ) : null}
      <ol
        className="jp-JournalHistory-list"
        aria-label={trans.__('Revisions, newest first')}
        ref={listRef}
        onKeyDown={onListKey}
      >
        {model.revisions.map(revision => {
          const selected = revision.revision === model.selected;
          const tags = revisionTags(revision, trans);
          const changedCells = revision.cells.length;
          return (
            <li key={revision.revision}>
              <button
                type="button"
                className="jp-JournalHistory-revision"
                aria-pressed={selected}
                data-revision={revision.revision}
                onClick={() => void model.select(revision.revision)}
              >
                <span className="jp-JournalHistory-revisionLine">
                  <strong>
                    {revision.revision === latest
                      ? trans.__('Revision %1 (current)', revision.revision)
                      : trans.__('Revision %1', revision.revision)}
                  </strong>
                  <time
                    dateTime={revision.created_at}
                    title={Time.format(revision.created_at)}
                  >
                    {Time.formatHuman(revision.created_at)}
                  </time>
                </span>
                <span className="jp-JournalHistory-revisionLine">
                  <span>{revision.author_name || revision.author}</span>
                  <span>{trans._n('%1 cell', '%1 cells', changedCells)}</span>
                </span>
                {tags.length ? (
                  <span className="jp-JournalHistory-tags">
                    {tags.map(tag => (
                      <span key={tag} className="jp-JournalHistory-tag">
                        {tag}
                      </span>
                    ))}
                  </span>
                ) : null}
              </button>
            </li>
          );
        })}
      </ol>
      {model.selected !== null ? (
        <DiffView
          model={model}
          trans={trans}
          latest={latest}
          headings={props.headings()}
          onRestore={props.onRestore}
          onShowCell={props.onShowCell}
        />
      ) : model.revisions.length ? (
        <p className="jp-JournalHistory-hint">
          {trans.__('Choose a revision to see what it changed.')}
        </p>
      ) : null}
    </div>
  );
}

/**
 * The changes of the selected revision, cell by cell, and its Restore button.
 */
function DiffView(props: {
  model: HistoryModel;
  trans: TranslationBundle;
  latest: number;
  headings: Map<string, string>;
  onRestore: (revision: number) => void;
  onShowCell?: (cellId: string) => void;
}): JSX.Element {
  const { model, trans, latest, headings } = props;
  const revision = model.selected as number;
  const diff = model.diff;
  const cellName = (cell: IDiffCell): string => {
    const heading = cell.section_key
      ? headings.get(cell.section_key)
      : undefined;
    if (heading) {
      return heading;
    }
    if (cell.section_key) {
      return cell.section_key;
    }
    return cell.cell_type === 'code'
      ? trans.__('Code cell')
      : trans.__('Text cell');
  };
  return (
    <section
      className="jp-JournalHistory-diff"
      aria-label={trans.__('Changes in revision %1', revision)}
    >
      <h3 className="jp-JournalHistory-diffTitle">
        {trans.__('Changes in revision %1', revision)}
      </h3>
      {model.writable && revision !== latest ? (
        <button
          type="button"
          className="jp-JournalHistory-restore jp-mod-styled jp-mod-accept"
          onClick={() => props.onRestore(revision)}
        >
          {trans.__('Restore This Version')}
        </button>
      ) : null}
      {!model.writable ? (
        <p className="jp-JournalHistory-hint">
          {trans.__(
            'Only the people who write this document can restore a version.'
          )}
        </p>
      ) : null}
      {diff && diff.to_revision === revision ? (
        diff.cells.length === 0 ? (
          <p className="jp-JournalHistory-empty">
            {trans.__('This save changed no text.')}
          </p>
        ) : (
          diff.cells.map(cell => (
            <div className="jp-JournalHistory-cell" key={cell.cell_id}>
              <h4 className="jp-JournalHistory-cellTitle">
                {cellName(cell)}
                <span className="jp-JournalHistory-tag">
                  {statusLabel(cell.status, trans)}
                </span>
              </h4>
              {props.onShowCell && cell.status !== 'removed' ? (
                <button
                  type="button"
                  className="jp-JournalHistory-showCell"
                  onClick={() => props.onShowCell!(cell.cell_id)}
                >
                  {trans.__('Show in the document')}
                </button>
              ) : null}
              <pre className="jp-JournalHistory-lines">
                {diffLines(cell.lines).map((line, index) => (
                  <span
                    key={index}
                    className={`jp-JournalHistory-line jp-mod-${line.kind}`}
                  >
                    {line.kind === 'gap' ? (
                      <span aria-label={trans.__('unchanged lines')}>⋯</span>
                    ) : (
                      <>
                        <span
                          className="jp-JournalHistory-mark"
                          aria-hidden="true"
                        >
                          {line.kind === 'added'
                            ? '+'
                            : line.kind === 'removed'
                              ? '−'
                              : ' '}
                        </span>
                        {line.kind === 'added' ? (
                          <ins>{line.text}</ins>
                        ) : line.kind === 'removed' ? (
                          <del>{line.text}</del>
                        ) : (
                          line.text
                        )}
                      </>
                    )}
                    {'\n'}
                  </span>
                ))}
              </pre>
            </div>
          ))
        )
      ) : null}
    </section>
  );
}
