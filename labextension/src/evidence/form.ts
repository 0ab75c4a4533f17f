import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import {
  choiceList,
  choiceOption,
  labelledField,
  quotedPassage,
  textArea
} from '../common/forms';
import { ICompetenceGroup } from './model';

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
    this.node.appendChild(quotedPassage(passage, trans.__('Quoted passage')));

    this._competence = choiceList(
      [['', trans.__('Choose a competence…')]],
      'jp-mod-styled jp-JournalEvidence-competence'
    );
    this._competence.required = true;
    for (const group of groups) {
      const optgroup = document.createElement('optgroup');
      optgroup.label = trans.__('%1 — %2', group.code, group.title);
      optgroup.append(
        ...group.competences.map(competence =>
          choiceOption(
            competence.code,
            trans.__('%1 — %2', competence.code, competence.title)
          )
        )
      );
      this._competence.appendChild(optgroup);
    }
    this._competence.value = values.competence;
    this.node.appendChild(
      labelledField(trans.__('Evidence of the competence'), this._competence)
    );

    this._justification = textArea(4, values.justification);
    this.node.appendChild(
      labelledField(
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

  private _competence: HTMLSelectElement;
  private _justification: HTMLTextAreaElement;
}
