import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

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
