import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

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
    const quote = document.createElement('blockquote');
    quote.className = 'jp-JournalAnnotations-quote';
    quote.textContent = passage;
    this.node.appendChild(quote);
    this._body = document.createElement('textarea');
    this._body.className = 'jp-JournalAnnotations-bodyInput';
    this._body.rows = 5;
    this.node.appendChild(this._labelled(trans.__('Your comment'), this._body));
    if (motivations.length > 1) {
      this._motivation = this._choice(
        motivations.map(m => [m, motivationLabel(m, trans)])
      );
      this.node.appendChild(this._labelled(trans.__('Kind'), this._motivation));
    }
    if (audiences.length > 1) {
      this._audience = this._choice(
        audiences.map(a => [a, audienceLabel(a, trans)])
      );
      this.node.appendChild(
        this._labelled(trans.__('Who reads it'), this._audience)
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

  private _labelled(text: string, control: HTMLElement): HTMLElement {
    const label = document.createElement('label');
    label.className = 'jp-JournalAnnotations-field';
    const span = document.createElement('span');
    span.textContent = text;
    label.append(span, control);
    return label;
  }

  private _choice(options: [string, string][]): HTMLSelectElement {
    const select = document.createElement('select');
    select.className = 'jp-mod-styled';
    for (const [value, text] of options) {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = text;
      select.appendChild(option);
    }
    return select;
  }

  private _body: HTMLTextAreaElement;
  private _motivation?: HTMLSelectElement;
  private _audience?: HTMLSelectElement;
}
