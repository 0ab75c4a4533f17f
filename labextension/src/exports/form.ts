import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import {
  ExportFormat,
  ExportKind,
  IExportChoice,
  IExportFormat,
  PDF_VARIANTS,
  PdfVariant
} from './model';

/**
 * An option of the export, a box to tick.
 */
type ExportOption = 'prompts' | 'authors' | 'annotations';

/**
 * The options that mean something for what is exported: a passport has none
 * (no prompts, authors or comments in it), a learner's journal has one author.
 */
const OPTIONS: Record<ExportKind, ReadonlyArray<ExportOption>> = {
  document: ['prompts', 'authors', 'annotations'],
  group: ['prompts', 'authors', 'annotations'],
  journal: ['prompts', 'annotations'],
  passport: []
};

/**
 * The dialog's form: the format (unavailable ones disabled, with the reason
 * in plain words), the kind of PDF when PDF is chosen, and the options that
 * apply to what is exported.
 */
export class ExportOptionsForm extends Widget {
  constructor(
    formats: IExportFormat[],
    trans: TranslationBundle,
    kind: ExportKind = 'document'
  ) {
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
        // The server's message names system packages, for an administrator;
        // the person exporting is told what it means for them.
        why.textContent =
          format.id === 'pdf'
            ? trans.__(
                'PDF cannot be made on this server: a program it needs is not installed there. Ask your administrator; meanwhile Word and the web page work.'
              )
            : trans.__('Not available on this server.');
        input.setAttribute('aria-describedby', why.id);
        fieldset.append(why);
      }
    }
    this._fieldset = fieldset;
    this._variant = this._variantSelect(
      formats.find(format => format.id === 'pdf'),
      trans
    );
    // Held apart: the dialog's styling wraps the select in a div of its own.
    this._variantLabel = this._variant.parentElement!;
    fieldset.addEventListener('change', () => this._showVariant());
    const texts: Record<ExportOption, [string, boolean]> = {
      prompts: [trans.__('Include the prompts (consignes)'), false],
      authors: [trans.__('Show who wrote each section'), true],
      annotations: [
        trans.__('Include the comments (as Word comments, or notes)'),
        false
      ]
    };
    this.node.append(fieldset, this._variantLabel);
    for (const option of OPTIONS[kind]) {
      const [text, checked] = texts[option];
      const box = this._checkbox(text, checked);
      box.dataset.option = option;
      this._options.set(option, box);
      this.node.append(box.parentElement!);
    }
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
      prompts: this._checked('prompts', false),
      authors: this._checked('authors', true),
      annotations: this._checked('annotations', false),
      pdfVariant: this._variant.value as PdfVariant
    };
  }

  /**
   * The kind of PDF, shown only while PDF is the chosen format.
   */
  private _variantSelect(
    pdf: IExportFormat | undefined,
    trans: TranslationBundle
  ): HTMLSelectElement {
    const names: Record<PdfVariant, string> = {
      'pdf/a-3b': trans.__('PDF/A-3b, for archiving (fonts embedded)'),
      pdf: trans.__('Tagged PDF')
    };
    const label = document.createElement('label');
    label.className = 'jp-JournalExport-variant';
    const select = document.createElement('select');
    select.className = 'jp-JournalExport-variantSelect';
    const offered = pdf?.variants?.filter(v => PDF_VARIANTS.includes(v));
    for (const variant of offered?.length ? offered : PDF_VARIANTS) {
      const option = document.createElement('option');
      option.value = variant;
      option.textContent = names[variant];
      select.append(option);
    }
    select.value = pdf?.default_variant ?? 'pdf/a-3b';
    label.append(trans.__('Kind of PDF'), ' ', select);
    label.hidden = true;
    return select;
  }

  private _showVariant(): void {
    this._variantLabel.hidden = this.getValue().format !== 'pdf';
  }

  protected onAfterAttach(): void {
    this._showVariant();
  }

  /**
   * Whether an option is ticked; its default when the form does not offer it.
   */
  private _checked(option: ExportOption, absent: boolean): boolean {
    return this._options.get(option)?.checked ?? absent;
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
  private _variant: HTMLSelectElement;
  private _variantLabel: HTMLElement;
  private _options = new Map<ExportOption, HTMLInputElement>();
}
