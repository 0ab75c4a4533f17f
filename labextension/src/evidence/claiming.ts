import { Dialog, Notification, showErrorMessage } from '@jupyterlab/apputils';
import { NotebookPanel } from '@jupyterlab/notebook';
import { CommandRegistry } from '@lumino/commands';

import {
  ISelectionAction,
  savedSelection,
  showDialogInPlace
} from '../annotations/selection';
import { errorText, reportFailure } from '../failures';
import { fetchPassport } from '../passport/model';
import { isBusy } from '../request';
import { CommandIDs, IWhoAmI } from '../tokens';
import { ClaimForm, IClaimValues } from './form';
import { claimEvidence, competenceGroups, isLearner } from './model';

/**
 * What claiming a selection needs besides the notebook.
 */
export interface IClaiming extends ISelectionAction {
  commands: CommandRegistry;
  /** Who the user is, or null when the server cannot say (it decides then). */
  known: Promise<IWhoAmI | null>;
  /** Who the user is, asked again when it was not known. */
  whoAmI: () => Promise<IWhoAmI>;
  /** Why someone who is not a learner cannot claim evidence. */
  notLearner: string;
}

/**
 * Claim the passage selected in a journal notebook as evidence of a
 * competence: ask for the competence and why in a dialog (shown again, as
 * filled in, while the journal is busy), then say so, offering the passport.
 */
export async function claimSelection(
  notebook: NotebookPanel,
  options: IClaiming
): Promise<void> {
  const { commands, trans } = options;
  const who = await options.known;
  if (who && !isLearner(who)) {
    void showErrorMessage(
      trans.__('Cannot Claim Evidence'),
      options.notLearner
    );
    return;
  }
  try {
    const selection = await savedSelection(notebook, options);
    if (!selection) {
      return;
    }
    const { documentId, cell, passage } = selection;
    const user = who?.user ?? (await options.whoAmI()).user;
    const groups = competenceGroups(await fetchPassport(user));
    let values: IClaimValues = { competence: '', justification: '' };
    let problem: string | null = null;
    for (;;) {
      const result = await showDialogInPlace(notebook, cell, {
        title: trans.__('Claim the Passage as Evidence'),
        body: new ClaimForm(passage.exact, groups, trans, values, problem),
        focusNodeSelector: 'select',
        buttons: [
          Dialog.cancelButton({ label: trans.__('Cancel') }),
          Dialog.okButton({ label: trans.__('Claim') })
        ]
      });
      if (!result.button.accept || !result.value) {
        return;
      }
      values = result.value;
      if (!values.competence) {
        problem = trans.__(
          'Choose the competence this passage is evidence of.'
        );
        continue;
      }
      try {
        await claimEvidence(documentId, {
          cell_id: cell.model.id,
          ...passage,
          competence: values.competence,
          justification: values.justification
        });
        break;
      } catch (error) {
        if (!isBusy(error)) {
          throw error;
        }
        // The journal was busy: the form comes back as filled in, with the reason.
        problem = errorText(error);
      }
    }
    Notification.success(
      trans.__(
        'The passage is now evidence of %1 in your Competence Passport.',
        values.competence
      ),
      {
        autoClose: 8000,
        actions: [
          {
            label: trans.__('Show the passport'),
            callback: () =>
              void commands.execute(CommandIDs.showPassport, {
                learner: user
              })
          }
        ]
      }
    );
    if (commands.hasCommand(CommandIDs.refreshPassport)) {
      await commands.execute(CommandIDs.refreshPassport);
    }
  } catch (error) {
    reportFailure(trans, trans.__('Cannot Claim This Passage'), error);
  }
}
