import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { ExportFormat, IExportChoice, IExportFormat } from './model';

/**
 * The dialog's form: the format (unavailable ones disabled, with the reason) and the options.
 */
export class ExportOptionsForm extends Widget {
  constructor(formats: IExportFormat[], trans: TranslationBundle) {
    super();
    this.addClass('jp-JournalExport-form');
    const names: Record<ExportFormat, string> = {
      docx: trans.__('Word (DOCX)'),
      html: trans.__('Web page (HTML)'),
      pdf: trans.__('PDF')
    };
    const fieldset = document.createElement('fieldset');
    const legend = document.createElement('legend');
    legend.textContent = trans.__('Format');
    fieldset.append(legend);
    let checked = false;
    for (const format of formats) {
      const label = document.createElement('label');
      label.className = 'jp-JournalExport-choice';
      const input = document.createElement('input');
      input.type = 'radio';
      input.name = 'jp-JournalExport-format';
      input.value = format.id;
      input.disabled = !format.available;
      if (format.available && !checked) {
        input.checked = true;
        checked = true;
      }
      label.append(input, ' ', names[format.id] ?? format.id);
      fieldset.append(label);
      if (!format.available && format.message) {
        const why = document.createElement('p');
        why.className = 'jp-JournalExport-unavailable';
        why.id = `jp-JournalExport-why-${format.id}`;
        // The server's message (in English) names the packages; say it in the user's language.
        why.textContent =
          format.id === 'pdf'
            ? trans.__(
                'Not available on this server: PDF needs LibreOffice (soffice) or WeasyPrint installed there. Word and HTML need neither.'
              )
            : trans.__('Not available on this server.');
        why.title = format.message;
        input.setAttribute('aria-describedby', why.id);
        fieldset.append(why);
      }
    }
    this._fieldset = fieldset;
    this._prompts = this._checkbox(
      trans.__('Include the prompts (consignes)'),
      false
    );
    this._authors = this._checkbox(
      trans.__('Show who wrote each section'),
      true
    );
    this._annotations = this._checkbox(
      trans.__('Include the comments (as Word comments, or notes)'),
      false
    );
    this.node.append(
      fieldset,
      this._prompts.parentElement!,
      this._authors.parentElement!,
      this._annotations.parentElement!
    );
  }

  /**
   * The choice as the form holds it now.
   */
  getValue(): IExportChoice {
    const selected = this._fieldset.querySelector<HTMLInputElement>(
      'input[type=radio]:checked'
    );
    return {
      format: (selected?.value as ExportFormat) ?? 'docx',
      prompts: this._prompts.checked,
      authors: this._authors.checked,
      annotations: this._annotations.checked
    };
  }

  private _checkbox(text: string, checked: boolean): HTMLInputElement {
    const label = document.createElement('label');
    label.className = 'jp-JournalExport-option';
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.checked = checked;
    label.append(input, ' ', text);
    return input;
  }

  private _fieldset: HTMLFieldSetElement;
  private _prompts: HTMLInputElement;
  private _authors: HTMLInputElement;
  private _annotations: HTMLInputElement;
}
