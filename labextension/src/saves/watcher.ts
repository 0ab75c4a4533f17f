import { Notification } from '@jupyterlab/apputils';
import { DocumentRegistry } from '@jupyterlab/docregistry';
import { INotebookModel, NotebookPanel } from '@jupyterlab/notebook';
import { Contents } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';

import { cellNames, notebookSectionCells } from '../cells/sections';
import { journalMetadata } from '../common/metadata';
import { requestAPI } from '../request';
import { IRevisionList } from '../tokens';
import { reloadInPlace } from './reload';

type NotebookContext = DocumentRegistry.IContext<INotebookModel>;

/**
 * What JupyterLab 4's document context does when the document changed on the
 * server since it was loaded: ask "File Changed: Overwrite or Revert?". Not
 * part of its public interface, hence optional here.
 */
interface IConflictAsking {
  _raiseConflict?: (
    model: Contents.IModel,
    options: Partial<Contents.IModel>
  ) => Promise<Contents.IModel>;
  _contentProviderId?: string;
}

/**
 * Saving a journal notebook merges with what others saved meanwhile: nothing
 * is overwritten, so JupyterLab's "File Changed" question (whose *Revert*
 * throws the unsaved text away) is not asked for it; the save goes ahead.
 * Other notebooks keep the question. Returns false where the context has no
 * such question to replace (another JupyterLab version).
 */
export function saveWithoutAsking(
  context: NotebookContext,
  contents: Contents.IManager
): boolean {
  const internals = context as unknown as IConflictAsking;
  const ask = internals._raiseConflict;
  if (typeof ask !== 'function') {
    return false;
  }
  internals._raiseConflict = async (model, options) => {
    if (journalMetadata(context.model) === null) {
      return ask.call(context, model, options);
    }
    const provider = { contentProviderId: internals._contentProviderId };
    const saved = await contents.save(context.path, {
      ...options,
      ...provider
    });
    // As after any save, the context keeps the new hash, to compare with next time.
    const stored = await contents.get(context.path, {
      content: false,
      hash: true,
      ...provider
    });
    return {
      ...saved,
      hash: stored.hash,
      hash_algorithm: stored.hash_algorithm
    };
  };
  return true;
}

/**
 * Tells the user, after saving a journal notebook, when others' changes were
 * merged in or a passage both changed now holds both versions, and shows
 * them: the notebook is loaded again in place.
 */
export class SaveWatcher {
  constructor(trans: TranslationBundle, contents: Contents.IManager) {
    this._trans = trans;
    this._contents = contents;
  }

  /**
   * Follow the saves of one notebook.
   */
  watch(panel: NotebookPanel): void {
    const context = panel.context;
    saveWithoutAsking(context, this._contents);
    context.saveState.connect((_, state) => {
      if (state === 'completed') {
        this.dismissRetry(context);
        void this.check(panel);
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
  offerRetry(context: NotebookContext): void {
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
  dismissRetry(context: NotebookContext): void {
    const id = this._retryNotices.get(context.path);
    if (id !== undefined) {
      Notification.dismiss(id);
      this._retryNotices.delete(context.path);
    }
  }

  /**
   * Look at the newest revision of the saved document; if merging did
   * anything, show the merged notebook and say what happened.
   */
  async check(panel: NotebookPanel): Promise<void> {
    const context = panel.context;
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
    // Names are read before reloading: they describe the cells the user saw.
    const names = cellNames(
      (conflicts ? latest.summary.conflicts : latest.summary.merged) ?? [],
      notebookSectionCells(context.model),
      trans
    );
    if (!this._reloading.has(panel)) {
      this._reloading.add(panel);
      try {
        await reloadInPlace(panel);
      } catch (error) {
        console.warn('journal_ext: cannot reload the merged notebook.', error);
      } finally {
        this._reloading.delete(panel);
      }
    }
    const message = conflicts
      ? trans._n(
          'Saved, with a conflict in %1 cell: someone else changed the same passage at the same time. Both versions are now in the cell, between the conflict marks: keep what should stay.',
          'Saved, with conflicts in %1 cells: someone else changed the same passages at the same time. Both versions are now in each cell, between the conflict marks: keep what should stay.',
          conflicts
        )
      : trans._n(
          'Saved and merged with changes made meanwhile by someone else (%1 cell): their text is now shown too.',
          'Saved and merged with changes made meanwhile by someone else (%1 cells): their text is now shown too.',
          merged
        );
    const where = names.length
      ? ' ' + trans.__('Where: %1.', names.join(' ; '))
      : '';
    const options = { autoClose: false as const };
    if (conflicts) {
      Notification.warning(message + where, options);
    } else {
      Notification.info(message + where, options);
    }
  }

  private _trans: TranslationBundle;
  private _contents: Contents.IManager;
  private _reloading = new WeakSet<NotebookPanel>();
  private _notified = new Map<number, number>();
  private _retryNotices = new Map<string, string>();
}
