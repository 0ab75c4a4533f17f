import {
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
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import { ToolbarButton } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';

import { savedSelection, selectionKeeper } from './annotations';
import { passportIcon } from './icons';
import { journalDocumentId } from './panel';
import { IEvidence, IPassport } from './passport';
import { errorText, reportFailure } from './failures';
import { isBusy, requestAPI } from './request';
import { CommandIDs, IEvidenceClaim, IWhoAmI } from './tokens';

/**
 * A competence domain of the learner's framework, with its competences, for the picker.
 */
export interface ICompetenceGroup {
  code: string;
  title: string;
  competences: { code: string; title: string }[];
}

/**
 * The competences of a passport, grouped by domain in the framework's order (DC1 to DC4).
 */
export function competenceGroups(passport: IPassport): ICompetenceGroup[] {
  return passport.domains
    .map(domain => ({
      code: domain.code,
      title: domain.title,
      competences: domain.competences.map(c => ({
        code: c.code,
        title: c.title
      }))
    }))
    .filter(group => group.competences.length > 0);
}

/**
 * Whether the user learns in a group, so has a passport to claim evidence in.
 */
export function isLearner(me: IWhoAmI): boolean {
  return me.groups.some(group => group.role === 'learner');
}

/**
 * Claim a passage of a journal document as evidence (`POST documents/<id>/evidence`).
 * Rejects with the server's reason (not the user's writing, a passage changed, …).
 */
export function claimEvidence(
  documentId: number,
  claim: IEvidenceClaim
): Promise<IEvidence> {
  return requestAPI<IEvidence>(`documents/${documentId}/evidence`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(claim)
  });
}

/**
 * What the claim form holds.
 */
export interface IClaimValues {
  competence: string;
  justification: string;
}

/**
 * The claim dialog's form: the quoted passage, the competence it shows (by
 * domain), and why. `problem` says what to fix in an earlier try.
 */
export class ClaimForm extends Widget {
  constructor(
    passage: string,
    groups: ICompetenceGroup[],
    trans: TranslationBundle,
    values: IClaimValues = { competence: '', justification: '' },
    problem: string | null = null
  ) {
    super();
    this.addClass('jp-JournalEvidence-form');
    const quote = document.createElement('blockquote');
    quote.className = 'jp-JournalAnnotations-quote';
    quote.setAttribute('aria-label', trans.__('Quoted passage'));
    quote.textContent = passage;
    this.node.appendChild(quote);

    this._competence = document.createElement('select');
    this._competence.className = 'jp-mod-styled jp-JournalEvidence-competence';
    this._competence.required = true;
    const none = document.createElement('option');
    none.value = '';
    none.textContent = trans.__('Choose a competence…');
    this._competence.appendChild(none);
    for (const group of groups) {
      const optgroup = document.createElement('optgroup');
      optgroup.label = trans.__('%1 — %2', group.code, group.title);
      for (const competence of group.competences) {
        const option = document.createElement('option');
        option.value = competence.code;
        option.textContent = trans.__(
          '%1 — %2',
          competence.code,
          competence.title
        );
        optgroup.appendChild(option);
      }
      this._competence.appendChild(optgroup);
    }
    this._competence.value = values.competence;
    this.node.appendChild(
      this._labelled(
        trans.__('Evidence of the competence'),
        this._competence
      )
    );

    this._justification = document.createElement('textarea');
    this._justification.className = 'jp-JournalAnnotations-bodyInput';
    this._justification.rows = 4;
    this._justification.value = values.justification;
    this.node.appendChild(
      this._labelled(
        trans.__('Why this passage shows it (optional)'),
        this._justification
      )
    );

    const hint = document.createElement('p');
    hint.className = 'jp-JournalEvidence-hint';
    hint.textContent = trans.__(
      'The passage joins your Competence Passport; ask for its assessment there when it is ready.'
    );
    this.node.appendChild(hint);

    if (problem) {
      const alert = document.createElement('p');
      alert.className = 'jp-JournalEvidence-problem';
      alert.setAttribute('role', 'alert');
      alert.textContent = problem;
      this.node.appendChild(alert);
    }
  }

  getValue(): IClaimValues {
    return {
      competence: this._competence.value,
      justification: this._justification.value
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

  private _competence: HTMLSelectElement;
  private _justification: HTMLTextAreaElement;
}

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
  requires: [INotebookTracker],
  optional: [ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('journal_ext');
    const keeper = selectionKeeper(tracker);
    const notLearner = trans.__(
      'Only the learners of a group claim evidence for their passport; tutors and coordinators assess it in the Competence Passport panel.'
    );
    // Who the user is; null until known, or when the server cannot say (it decides then).
    let me: IWhoAmI | null = null;
    const known = requestAPI<IWhoAmI>('me').then(
      answer => {
        me = answer;
        app.commands.notifyCommandChanged(CommandIDs.claimEvidence);
        return answer;
      },
      error => {
        console.warn('journal_ext: cannot tell who the user is.', error);
        return null;
      }
    );
    const mayClaim = (): boolean => me === null || isLearner(me);

    const claimSelection = async (notebook: NotebookPanel): Promise<void> => {
      const documentId = journalDocumentId(notebook);
      if (documentId === null) {
        return;
      }
      const who = await known;
      if (who && !isLearner(who)) {
        void showErrorMessage(trans.__('Cannot Claim Evidence'), notLearner);
        return;
      }
      try {
        const selection = await savedSelection(
          notebook,
          keeper,
          trans,
          trans.__(
            'Select the passage to claim in a cell (its text or its editor), then choose Claim as Evidence.'
          )
        );
        if (!selection) {
          return;
        }
        const { cell, passage } = selection;
        const user = who?.user ?? (await requestAPI<IWhoAmI>('me')).user;
        const passport = await requestAPI<IPassport>(
          `passports/${encodeURIComponent(user)}`
        );
        const groups = competenceGroups(passport);
        let values: IClaimValues = { competence: '', justification: '' };
        let problem: string | null = null;
        for (;;) {
          const result = await showDialog({
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
                  void app.commands.execute(CommandIDs.showPassport, {
                    learner: user
                  })
              }
            ]
          }
        );
        if (app.commands.hasCommand(CommandIDs.refreshPassport)) {
          await app.commands.execute(CommandIDs.refreshPassport);
        }
      } catch (error) {
        reportFailure(trans, trans.__('Cannot Claim This Passage'), error);
      }
    };

    const inJournal = (): boolean =>
      journalDocumentId(tracker.currentWidget) !== null;
    app.commands.addCommand(CommandIDs.claimEvidence, {
      label: trans.__('Claim as Evidence…'),
      caption: () =>
        mayClaim()
          ? trans.__(
              'Claim the passage selected in a cell as evidence of a competence, for your Competence Passport'
            )
          : notLearner,
      icon: args => (args.isPalette ? undefined : passportIcon),
      // In the palette a tutor sees it greyed with the reason; elsewhere it is hidden.
      isVisible: args => inJournal() && (mayClaim() || !!args.isPalette),
      isEnabled: () => inJournal() && mayClaim(),
      execute: () => {
        const notebook = tracker.currentWidget;
        if (notebook) {
          return claimSelection(notebook);
        }
      }
    });
    palette?.addItem({
      command: CommandIDs.claimEvidence,
      category: trans.__('Journal'),
      args: { isPalette: true }
    });
    app.contextMenu.addItem({
      command: CommandIDs.claimEvidence,
      selector: '.jp-Notebook .jp-Cell',
      rank: 1
    });

    tracker.widgetAdded.connect((_, notebook) => {
      void Promise.all([notebook.context.ready, known]).then(([, who]) => {
        if (
          notebook.isDisposed ||
          journalDocumentId(notebook) === null ||
          (who && !isLearner(who))
        ) {
          return;
        }
        const button = new ToolbarButton({
          className: 'jp-JournalEvidence-toolbarButton',
          icon: passportIcon,
          // Short: the notebook toolbar is full at common widths; the tooltip says it all.
          label: trans.__('Evidence'),
          tooltip: trans.__(
            'Claim the passage selected in a cell as evidence of a competence, for your Competence Passport'
          ),
          // Keep the selection: the button does not take the focus.
          noFocusOnClick: true,
          onClick: () => void claimSelection(notebook)
        });
        const name = 'journalEvidence';
        if (!notebook.toolbar.insertAfter('journalComment', name, button)) {
          notebook.toolbar.addItem(name, button);
        }
      });
    });
  }
};
