import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  Dialog,
  ICommandPalette,
  IToolbarWidgetRegistry,
  showDialog
} from '@jupyterlab/apputils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { ITranslator } from '@jupyterlab/translation';

import { addToPalette, commandArgs, paletteIcon } from '../common/palette';
import { showPassage } from '../common/passage';
import { journalTranslation } from '../common/language';
import { journalDocumentId } from '../common/metadata';
import {
  addSidePanel,
  followCurrentNotebook,
  onNotebookSaved
} from '../common/panel';
import { addJournalToolbarButton } from '../common/toolbar';
import { commentIcon } from '../icons';
import { CommandIDs, IAnnotation, IJournalModel } from '../tokens';
import { commentSelection, ICommenting } from './commenting';
import { highlightAnnotations } from './highlights';
import { AnnotationsModel } from './model';
import { AnnotationsPanel } from './panel';
import { selectionKeeper } from './selection';

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
      app.shell.activateById(notebook.id);
      void showPassage(notebook, {
        cellId: annotation.cell_id,
        text: annotation.quote.exact,
        start: annotation.anchor?.start
      });
    };

    const panel = new AnnotationsPanel({ model, trans, confirmDelete, reveal });
    // What the user wrote or resolved may leave or join the sidebar's inbox.
    model.written.connect(() => {
      if (app.commands.hasCommand(CommandIDs.refreshInbox)) {
        void app.commands.execute(CommandIDs.refreshInbox);
      }
    });
    addSidePanel(app, restorer, panel, {
      area: 'right',
      rank: 660,
      type: 'Journal Comments'
    });

    // Each journal notebook highlights the passages of the annotations shown.
    highlightAnnotations(tracker, model, annotationId => {
      void app.commands.execute(CommandIDs.showAnnotations, { annotationId });
    });

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
    // Others' comments and replies appear as the journal is read again.
    journal?.refreshed.connect(() => {
      if (panel.isVisible) {
        panel.refreshQuietly();
      } else if (shown && model.documentId !== null) {
        // The highlights in the notebook.
        void model.load(model.documentId, true);
      }
    });
    // Saving moves anchors: the panel reads them again.
    onNotebookSaved(tracker, notebook => {
      if (notebook === shown) {
        const id = journalDocumentId(notebook);
        panel.follow(id);
        if (!panel.isVisible) {
          void model.load(id);
        }
      }
    });

    const commenting: ICommenting = {
      model,
      keeper: selectionKeeper(tracker),
      trans,
      nothingSelected: trans.__(
        'Select the passage to comment on in a cell (its text or its editor), then choose Comment.'
      ),
      created: (notebook, annotation) => {
        follow(notebook);
        app.shell.activateById(panel.id);
        panel.focusThread(annotation.id);
      }
    };

    app.commands.addCommand(CommandIDs.showAnnotations, {
      label: trans.__('Comments'),
      describedBy: commandArgs(
        {
          documentId: { type: 'number', description: 'The journal document' },
          annotationId: {
            type: 'number',
            description: 'The thread to put the keyboard focus on'
          }
        },
        { palette: true }
      ),
      caption: trans.__('Show the comments on the passages of this document'),
      icon: paletteIcon(commentIcon),
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
    const caption = trans.__('Comment on the passage selected in a cell');
    app.commands.addCommand(CommandIDs.commentSelection, {
      label: trans.__('Comment'),
      describedBy: commandArgs({}, { palette: true }),
      caption,
      icon: paletteIcon(commentIcon),
      isEnabled: () => journalDocumentId(tracker.currentWidget) !== null,
      isVisible: () => journalDocumentId(tracker.currentWidget) !== null,
      execute: () => {
        const notebook = tracker.currentWidget;
        if (notebook) {
          return commentSelection(notebook, commenting);
        }
      }
    });
    for (const command of [
      CommandIDs.showAnnotations,
      CommandIDs.commentSelection
    ]) {
      addToPalette(palette, trans, command);
    }
    app.contextMenu.addItem({
      command: CommandIDs.commentSelection,
      selector: '.jp-Notebook .jp-Cell',
      rank: 0
    });

    if (toolbarRegistry) {
      addJournalToolbarButton(toolbarRegistry, {
        name: 'journalComment',
        button: notebook => ({
          className: 'jp-JournalAnnotations-toolbarButton',
          icon: commentIcon,
          label: trans.__('Comment'),
          tooltip: caption,
          // Keep the selection: the button does not take the focus.
          noFocusOnClick: true,
          onClick: () => void commentSelection(notebook, commenting)
        })
      });
    }
  }
};
