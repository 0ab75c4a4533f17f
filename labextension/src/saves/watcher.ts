import { Notification } from '@jupyterlab/apputils';
import { DocumentRegistry } from '@jupyterlab/docregistry';
import { INotebookModel } from '@jupyterlab/notebook';
import { TranslationBundle } from '@jupyterlab/translation';

import { cellNames, notebookSectionCells } from '../cells/sections';
import { journalMetadata } from '../common/metadata';
import { requestAPI } from '../request';
import { IRevisionList } from '../tokens';

/**
 * Tells the user, after saving a journal notebook, when others' changes were
 * merged in or a passage both changed now holds both versions.
 */
export class SaveWatcher {
  constructor(trans: TranslationBundle) {
    this._trans = trans;
  }

  /**
   * Follow the saves of one notebook.
   */
  watch(context: DocumentRegistry.IContext<INotebookModel>): void {
    context.saveState.connect((_, state) => {
      if (state === 'completed') {
        this.dismissRetry(context);
        void this.check(context);
      } else if (state === 'failed') {
        this.offerRetry(context);
      }
    });
  }

  /**
   * After a journal notebook failed to save (the journal was busy, the
   * network dropped…), say that the text is still here and offer to save
   * again; the notebook stays modified until a save goes through.
   */
  offerRetry(context: DocumentRegistry.IContext<INotebookModel>): void {
    if (journalMetadata(context.model) === null) {
      return;
    }
    this.dismissRetry(context);
    const trans = this._trans;
    const name = context.localPath.split('/').pop() ?? context.localPath;
    const id = Notification.warning(
      trans.__(
        '“%1” is not saved yet. Your changes are still here, in this tab: save again in a moment.',
        name
      ),
      {
        autoClose: false,
        actions: [
          {
            label: trans.__('Save Again'),
            caption: trans.__('Send your changes to the journal again'),
            callback: () => {
              void context.save().catch(() => {
                // Failing again raises a new notice (saveState 'failed').
              });
            }
          }
        ]
      }
    );
    this._retryNotices.set(context.path, id);
  }

  /**
   * Take down the "not saved yet" notice of a notebook, if one is up.
   */
  dismissRetry(context: DocumentRegistry.IContext<INotebookModel>): void {
    const id = this._retryNotices.get(context.path);
    if (id !== undefined) {
      Notification.dismiss(id);
      this._retryNotices.delete(context.path);
    }
  }

  /**
   * Look at the newest revision of the saved document and speak up if merging did anything.
   */
  async check(
    context: DocumentRegistry.IContext<INotebookModel>
  ): Promise<void> {
    const documentId = journalMetadata(context.model)?.document_id;
    if (documentId === undefined) {
      return;
    }
    let history: IRevisionList;
    try {
      history = await requestAPI<IRevisionList>(
        `documents/${documentId}/revisions`
      );
    } catch (error) {
      console.warn('journal_ext: cannot read the document history.', error);
      return;
    }
    const latest = history.revisions[0];
    if (!latest || latest.revision <= (this._notified.get(documentId) ?? 0)) {
      return;
    }
    this._notified.set(documentId, latest.revision);
    const conflicts = latest.summary.conflicts?.length ?? 0;
    const merged = latest.summary.merged?.length ?? 0;
    if (!conflicts && !merged) {
      return;
    }
    const trans = this._trans;
    const message = conflicts
      ? trans._n(
          'Saved, with a conflict in %1 cell: someone else changed the same passage at the same time. Both versions are kept in the cell, between the conflict marks; reload to see them and keep what should stay.',
          'Saved, with conflicts in %1 cells: someone else changed the same passages at the same time. Both versions are kept in each cell, between the conflict marks; reload to see them and keep what should stay.',
          conflicts
        )
      : trans._n(
          'Saved and merged with changes made meanwhile by someone else (%1 cell). Reload to see their text.',
          'Saved and merged with changes made meanwhile by someone else (%1 cells). Reload to see their text.',
          merged
        );
    const names = cellNames(
      (conflicts ? latest.summary.conflicts : latest.summary.merged) ?? [],
      notebookSectionCells(context.model),
      trans
    );
    const where = names.length
      ? ' ' + trans.__('Where: %1.', names.join(' ; '))
      : '';
    const options = {
      autoClose: false as const,
      actions: [
        {
          label: trans.__('Reload'),
          caption: trans.__('Reload the document from the journal'),
          callback: () => {
            void context.revert();
          }
        }
      ]
    };
    if (conflicts) {
      Notification.warning(message + where, options);
    } else {
      Notification.info(message + where, options);
    }
  }

  private _trans: TranslationBundle;
  private _notified = new Map<number, number>();
  private _retryNotices = new Map<string, string>();
}
