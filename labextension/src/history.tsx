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
  showErrorMessage,
  ToolbarButton
} from '@jupyterlab/apputils';
import { Time } from '@jupyterlab/coreutils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import { refreshIcon } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import { historyIcon } from './icons';
import { ServerModel } from './remote';
import {
  followCurrentNotebook,
  journalDocumentId,
  NotebookFollowingPanel
} from './panel';
import { requestAPI } from './request';
import { notebookSectionCells, sectionHeadings } from './sections';
import {
  CommandIDs,
  IDiff,
  IDiffCell,
  IRestoreAnswer,
  IRevision,
  IRevisionList
} from './tokens';

/**
 * The History panel's id: its tab, the layout restorer and tests find it by this.
 */
export const HISTORY_ID = 'journal-ext-history';

/**
 * One line of a cell's diff, as the panel shows it.
 */
export interface IDiffLine {
  kind: 'added' | 'removed' | 'context' | 'gap';
  text: string;
}

/**
 * The lines of a unified diff worth showing: the file headers are dropped,
 * each hunk header becomes a gap marker.
 */
export function diffLines(lines: ReadonlyArray<string>): IDiffLine[] {
  const shown: IDiffLine[] = [];
  for (const line of lines) {
    if (line.startsWith('--- ') || line.startsWith('+++ ')) {
      continue;
    }
    if (line.startsWith('@@')) {
      if (shown.length) {
        shown.push({ kind: 'gap', text: '' });
      }
      continue;
    }
    const mark = line.charAt(0);
    const text = line.slice(1);
    shown.push({
      kind: mark === '+' ? 'added' : mark === '-' ? 'removed' : 'context',
      text
    });
  }
  return shown;
}

/**
 * A journal document's history: its revisions, the one selected, what it changed.
 *
 * Every call to the server goes through `requestAPI`.
 */
export class HistoryModel extends ServerModel {
  /**
   * The document shown, or null when no journal notebook is current.
   */
  get documentId(): number | null {
    return this._documentId;
  }

  get title(): string {
    return this._title;
  }

  /**
   * Newest first.
   */
  get revisions(): ReadonlyArray<IRevision> {
    return this._revisions;
  }

  /**
   * Whether the current user may restore a revision.
   */
  get writable(): boolean {
    return this._writable;
  }

  get selected(): number | null {
    return this._selected;
  }

  /**
   * What the selected revision changed, once loaded.
   */
  get diff(): IDiff | null {
    return this._diff;
  }

  /**
   * Show a document's history (null: none), keeping the selection if it still exists.
   */
  async load(documentId: number | null): Promise<void> {
    if (documentId !== this._documentId) {
      this._revisions = [];
      this._title = '';
      this._writable = false;
      this._selected = null;
      this._diff = null;
    }
    this._documentId = documentId;
    this.reset();
    if (documentId === null) {
      this.emit();
      return;
    }
    await this.request(
      () => requestAPI<IRevisionList>(`documents/${documentId}/revisions`),
      answer => {
        this._title = answer.title;
        this._writable = answer.writable;
        this._revisions = answer.revisions;
        const kept = this._revisions.some(r => r.revision === this._selected);
        if (!kept) {
          this._selected = null;
          this._diff = null;
        }
      }
    );
  }

  /**
   * Select a revision and fetch what it changed from the one before.
   */
  async select(revision: number): Promise<void> {
    const documentId = this._documentId;
    if (documentId === null) {
      return;
    }
    this._selected = revision;
    this._diff = null;
    this.reset();
    await this.request(
      () =>
        requestAPI<IDiff>(
          `documents/${documentId}/diff?from=${revision - 1}&to=${revision}`
        ),
      diff => {
        this._diff = diff;
      }
    );
  }

  /**
   * Restore a revision as a new one, then read the history again.
   */
  async restore(revision: number): Promise<IRestoreAnswer> {
    const documentId = this._documentId;
    if (documentId === null) {
      throw new Error('no journal document is shown');
    }
    const answer = await requestAPI<IRestoreAnswer>(
      `documents/${documentId}/revisions/${revision}/restore`,
      { method: 'POST' }
    );
    await this.load(documentId);
    return answer;
  }

  private _documentId: number | null = null;
  private _title = '';
  private _revisions: IRevision[] = [];
  private _writable = false;
  private _selected: number | null = null;
  private _diff: IDiff | null = null;
}

/**
 * What a cell's change reads as.
 */
function statusLabel(status: IDiffCell['status'], trans: TranslationBundle): string {
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
export function revisionTags(revision: IRevision, trans: TranslationBundle): string[] {
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
    tags.push(trans._n('merged %1 cell', 'merged %1 cells', summary.merged.length));
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
            <span className="jp-JournalHistory-document">{model.title}</span>
          ) : null}
        </h2>
        <button
          type="button"
          className="jp-JournalHistory-button"
          onClick={props.onRefresh}
          aria-label={trans.__('Refresh the history')}
          title={trans.__('Refresh the history')}
        >
          <refreshIcon.react tag="span" elementSize="normal" />
        </button>
      </div>
      <div role="status" aria-live="polite" className="jp-JournalHistory-status">
        {model.loading ? trans.__('Loading…') : ''}
      </div>
      {model.error ? (
        <p className="jp-JournalHistory-error" role="alert">
          {trans.__('The history cannot be read: %1', model.error)}
        </p>
      ) : null}
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
                  <span>
                    {trans._n('%1 cell', '%1 cells', changedCells)}
                  </span>
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
}): JSX.Element {
  const { model, trans, latest, headings } = props;
  const revision = model.selected as number;
  const diff = model.diff;
  const cellName = (cell: IDiffCell): string => {
    const heading = cell.section_key ? headings.get(cell.section_key) : undefined;
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
          {trans.__('Only the people who write this document can restore a version.')}
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
                        <span className="jp-JournalHistory-mark" aria-hidden="true">
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

/**
 * The History panel: a widget rendering the history model of the current journal notebook.
 */
export class HistoryPanel extends NotebookFollowingPanel<HistoryModel> {
  constructor(options: HistoryPanel.IOptions) {
    super(options.model, {
      id: HISTORY_ID,
      className: 'jp-JournalHistory',
      icon: historyIcon,
      label: options.trans.__('Journal History')
    });
    this._trans = options.trans;
    this._headings = options.headings;
    this._restore = options.restore;
  }

  protected render(): JSX.Element {
    return (
      <HistoryView
        model={this.model}
        trans={this._trans}
        headings={this._headings}
        onRefresh={() => this.reload()}
        onRestore={revision => void this._restore(revision)}
      />
    );
  }

  protected onActivateRequest(msg: Message): void {
    this.focusFirst(
      '.jp-JournalHistory-revision[aria-pressed="true"], .jp-JournalHistory-revision, .jp-JournalHistory-button'
    );
  }

  private _trans: TranslationBundle;
  private _headings: () => Map<string, string>;
  private _restore: (revision: number) => Promise<void>;
}

/**
 * The History panel's namespace.
 */
export namespace HistoryPanel {
  export interface IOptions {
    model: HistoryModel;
    trans: TranslationBundle;
    /** The section headings of the notebook shown. */
    headings: () => Map<string, string>;
    /** Restore a revision of the notebook shown, with the user's confirmation. */
    restore: (revision: number) => Promise<void>;
  }
}

/**
 * The History panel in the right area, its command, toolbar button and palette entry.
 */
export const historyPlugin: JupyterFrontEndPlugin<void> = {
  id: 'journal_ext:history',
  description:
    'A History panel for journal notebooks: revisions with their authors, what each changed, restoring one.',
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
    const model = new HistoryModel();
    let shown: NotebookPanel | null = null;

    const restore = async (revision: number): Promise<void> => {
      const panel = shown;
      if (!panel || panel.isDisposed) {
        return;
      }
      const choice = await showDialog({
        title: trans.__('Restore Revision %1?', revision),
        body: trans.__(
          'The document gets the text of revision %1 back, saved as a new revision. Nothing is lost: the current text stays in the history, and you can come back to it the same way.',
          revision
        ),
        buttons: [
          Dialog.cancelButton({ label: trans.__('Cancel') }),
          Dialog.okButton({ label: trans.__('Restore') })
        ]
      });
      if (!choice.button.accept) {
        return;
      }
      try {
        // Unsaved typing is saved first, so that it too stays in the history.
        if (panel.context.model.dirty) {
          await panel.context.save();
        }
        const answer = await model.restore(revision);
        await panel.context.revert();
        if (answer.restored) {
          Notification.success(
            trans.__(
              'Revision %1 restored as revision %2. Every earlier revision stays in the history.',
              revision,
              answer.revision
            ),
            { autoClose: 5000 }
          );
        } else {
          Notification.info(
            trans.__(
              'The document already holds the text of revision %1: nothing to restore.',
              revision
            ),
            { autoClose: 5000 }
          );
        }
      } catch (error) {
        void showErrorMessage(
          trans.__('Cannot Restore Revision %1', revision),
          error instanceof Error ? error.message : String(error)
        );
      }
    };

    const panel = new HistoryPanel({
      model,
      trans,
      headings: () =>
        shown && !shown.isDisposed
          ? sectionHeadings(notebookSectionCells(shown.context.model))
          : new Map(),
      restore
    });
    app.shell.add(panel, 'right', { rank: 650, type: 'Journal History' });
    restorer?.add(panel, HISTORY_ID);

    const follow = (notebook: NotebookPanel | null): void => {
      const id = journalDocumentId(notebook);
      shown = id === null ? null : notebook;
      panel.follow(id);
    };
    followCurrentNotebook(tracker, follow);
    tracker.widgetAdded.connect((_, notebook) => {
      notebook.context.saveState.connect((_, state) => {
        if (state === 'completed' && notebook === shown) {
          panel.follow(journalDocumentId(notebook));
        }
      });
    });

    app.commands.addCommand(CommandIDs.showHistory, {
      label: trans.__('History'),
      caption: trans.__(
        'Show the revisions of this journal document: who saved what, when; restore an earlier one'
      ),
      icon: args => (args.isPalette ? undefined : historyIcon),
      isEnabled: () => journalDocumentId(tracker.currentWidget) !== null,
      execute: () => {
        follow(tracker.currentWidget);
        app.shell.activateById(panel.id);
      }
    });
    palette?.addItem({
      command: CommandIDs.showHistory,
      category: trans.__('Journal')
    });

    tracker.widgetAdded.connect((_, notebook) => {
      void notebook.context.ready.then(() => {
        if (notebook.isDisposed || journalDocumentId(notebook) === null) {
          return;
        }
        const button = new ToolbarButton({
          className: 'jp-JournalHistory-toolbarButton',
          icon: historyIcon,
          label: trans.__('History'),
          tooltip: trans.__(
            'Show the revisions of this journal document: who saved what, when; restore an earlier one'
          ),
          onClick: () => {
            follow(notebook);
            app.shell.activateById(panel.id);
          }
        });
        const name = 'journalHistory';
        if (!notebook.toolbar.insertAfter('journalCompleteness', name, button)) {
          notebook.toolbar.addItem(name, button);
        }
      });
    });
  }
};
