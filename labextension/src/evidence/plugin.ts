import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, IToolbarWidgetRegistry } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ITranslator } from '@jupyterlab/translation';

import { addToPalette, commandArgs, paletteIcon } from '../common/palette';
import { selectionKeeper } from '../annotations/selection';
import { journalTranslation } from '../common/language';
import { journalDocumentId } from '../common/metadata';
import { addJournalToolbarButton } from '../common/toolbar';
import { passportIcon } from '../icons';
import { CommandIDs, IJournalModel, IWhoAmI } from '../tokens';
import { claimSelection, IClaiming } from './claiming';
import { isLearner } from './model';

/**
 * Claiming the passage selected in a journal notebook as evidence of a
 * competence, from the toolbar, the cells' context menu and the palette.
 * Learners only: others are told they assess evidence in the passport panel.
 */
export const evidencePlugin: JupyterFrontEndPlugin<void> = {
  id: 'journal_ext:evidence',
  description:
    'Claim a passage of a journal notebook as evidence of a competence, for the Competence Passport.',
  autoStart: true,
  requires: [IJournalModel, INotebookTracker],
  optional: [ICommandPalette, ITranslator, IToolbarWidgetRegistry],
  activate: (
    app: JupyterFrontEnd,
    journal: IJournalModel,
    tracker: INotebookTracker,
    palette: ICommandPalette | null,
    translator: ITranslator | null,
    toolbarRegistry: IToolbarWidgetRegistry | null
  ): void => {
    const trans = journalTranslation(translator);
    // Who the user is; null until known, or when the server cannot say (it decides then).
    let me: IWhoAmI | null = null;
    const claiming: IClaiming = {
      commands: app.commands,
      keeper: selectionKeeper(tracker),
      trans,
      nothingSelected: trans.__(
        'Select the passage to claim in a cell (its text or its editor), then choose Claim as Evidence.'
      ),
      known: journal.whoAmI().then(
        answer => {
          me = answer;
          app.commands.notifyCommandChanged(CommandIDs.claimEvidence);
          return answer;
        },
        error => {
          console.warn('journal_ext: cannot tell who the user is.', error);
          return null;
        }
      ),
      whoAmI: () => journal.whoAmI(),
      notLearner: trans.__(
        'Only the learners of a group claim evidence for their passport; tutors and coordinators assess it in the Competence Passport panel.'
      )
    };
    const mayClaim = (): boolean => me === null || isLearner(me);
    const inJournal = (): boolean =>
      journalDocumentId(tracker.currentWidget) !== null;
    const caption = trans.__(
      'Claim the passage selected in a cell as evidence of a competence, for your Competence Passport'
    );

    app.commands.addCommand(CommandIDs.claimEvidence, {
      label: trans.__('Claim as Evidence…'),
      describedBy: commandArgs({}, { palette: true }),
      caption: () => (mayClaim() ? caption : claiming.notLearner),
      icon: paletteIcon(passportIcon),
      // In the palette a tutor sees it greyed with the reason; elsewhere it is hidden.
      isVisible: args => inJournal() && (mayClaim() || !!args.isPalette),
      isEnabled: () => inJournal() && mayClaim(),
      execute: () => {
        const notebook = tracker.currentWidget;
        if (notebook) {
          return claimSelection(notebook, claiming);
        }
      }
    });
    addToPalette(palette, trans, CommandIDs.claimEvidence, {
      isPalette: true
    });
    app.contextMenu.addItem({
      command: CommandIDs.claimEvidence,
      selector: '.jp-Notebook .jp-Cell',
      rank: 1
    });

    if (toolbarRegistry) {
      addJournalToolbarButton(toolbarRegistry, {
        name: 'journalEvidence',
        button: notebook => ({
          className: 'jp-JournalEvidence-toolbarButton',
          icon: passportIcon,
          // Short: the notebook toolbar is full at common widths; the tooltip says it all.
          label: trans.__('Evidence'),
          tooltip: caption,
          // Keep the selection: the button does not take the focus.
          noFocusOnClick: true,
          onClick: () => void claimSelection(notebook, claiming)
        }),
        // A tutor or coordinator has no passport: no button for them.
        offered: async () => {
          const who = await claiming.known;
          return !who || isLearner(who);
        }
      });
    }
  }
};
