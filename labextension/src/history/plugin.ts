import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  Dialog,
  ICommandPalette,
  IToolbarWidgetRegistry,
  Notification,
  showDialog,
  showErrorMessage
} from '@jupyterlab/apputils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { ITranslator } from '@jupyterlab/translation';

import { showPassage } from '../common/passage';
import { addToPalette, commandArgs, paletteIcon } from '../common/palette';
import { notebookSectionCells, sectionHeadings } from '../cells/sections';
import { journalTranslation } from '../common/language';
import { journalDocumentId } from '../common/metadata';
import {
  addSidePanel,
  followCurrentNotebook,
  onNotebookSaved
} from '../common/panel';
import { addJournalToolbarButton } from '../common/toolbar';
import { errorText } from '../failures';
import { historyIcon } from '../icons';
import { CommandIDs, IJournalModel } from '../tokens';
import { HistoryModel } from './model';
import { HistoryPanel } from './panel';
import { reloadInPlace } from '../saves/reload';

/**
 * The History panel in the right area, its command, toolbar button and palette entry.
 */
export const historyPlugin: JupyterFrontEndPlugin<void> = {
  id: 'journal_ext:history',
  description:
    'A History panel for journal notebooks: revisions with their authors, what each changed, restoring one.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [
    ILayoutRestorer,
    ICommandPalette,
    ITranslator,
    IToolbarWidgetRegistry,
    IJournalModel
  ],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null,
    toolbarRegistry: IToolbarWidgetRegistry | null,
    journal: IJournalModel | null
  ): void => {
    const trans = journalTranslation(translator);
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
        await reloadInPlace(panel);
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
          errorText(error)
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
      restore,
      showCell: cellId => {
        const notebook = shown;
        if (notebook && !notebook.isDisposed) {
          app.shell.activateById(notebook.id);
          void showPassage(notebook, { cellId });
        }
      }
    });
    // Others' saves appear as the journal is read again.
    journal?.refreshed.connect(() => panel.refreshQuietly());
    addSidePanel(app, restorer, panel, {
      area: 'right',
      rank: 650,
      type: 'Journal History'
    });

    const follow = (notebook: NotebookPanel | null): void => {
      const id = journalDocumentId(notebook);
      shown = id === null ? null : notebook;
      panel.follow(id);
    };
    const show = (notebook: NotebookPanel | null): void => {
      follow(notebook);
      app.shell.activateById(panel.id);
    };
    followCurrentNotebook(tracker, follow);
    onNotebookSaved(tracker, notebook => {
      if (notebook === shown) {
        panel.follow(journalDocumentId(notebook));
      }
    });

    const caption = trans.__(
      'Show the revisions of this journal document: who saved what, when; restore an earlier one'
    );
    app.commands.addCommand(CommandIDs.showHistory, {
      label: trans.__('History'),
      describedBy: commandArgs({}, { palette: true }),
      caption,
      icon: paletteIcon(historyIcon),
      isEnabled: () => journalDocumentId(tracker.currentWidget) !== null,
      execute: () => show(tracker.currentWidget)
    });
    addToPalette(palette, trans, CommandIDs.showHistory);

    if (toolbarRegistry) {
      addJournalToolbarButton(toolbarRegistry, {
        name: 'journalHistory',
        button: notebook => ({
          className: 'jp-JournalHistory-toolbarButton',
          icon: historyIcon,
          label: trans.__('History'),
          tooltip: caption,
          onClick: () => show(notebook)
        })
      });
    }
  }
};
