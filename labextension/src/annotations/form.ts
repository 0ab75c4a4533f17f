import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import {
  choiceList,
  labelledField,
  quotedPassage,
  textArea
} from '../common/forms';
import { Audience, Motivation } from '../tokens';
import { audienceLabel, motivationLabel } from './words';

/**
 * The dialog's form: the comment, and for those offered a choice its motivation and audience.
 */
export class CommentForm extends Widget {
  constructor(
    passage: string,
    motivations: Motivation[],
    audiences: Audience[],
    trans: TranslationBundle
  ) {
    super();
    this.addClass('jp-JournalAnnotations-form');
    this.node.appendChild(quotedPassage(passage));
    this._body = textArea(5);
    this.node.appendChild(labelledField(trans.__('Your comment'), this._body));
    if (motivations.length > 1) {
      this._motivation = choiceList(
        motivations.map(m => [m, motivationLabel(m, trans)])
      );
      this.node.appendChild(labelledField(trans.__('Kind'), this._motivation));
    }
    if (audiences.length > 1) {
      this._audience = choiceList(
        audiences.map(a => [a, audienceLabel(a, trans)])
      );
      this.node.appendChild(
        labelledField(trans.__('Who reads it'), this._audience)
      );
    }
  }

  getValue(): {
    body: string;
    motivation?: Motivation;
    audience?: Audience;
  } {
    return {
      body: this._body.value,
      motivation: this._motivation?.value as Motivation | undefined,
      audience: this._audience?.value as Audience | undefined
    };
  }

  private _body: HTMLTextAreaElement;
  private _motivation?: HTMLSelectElement;
  private _audience?: HTMLSelectElement;
}
