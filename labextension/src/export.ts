import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  Dialog,
  ICommandPalette,
  Notification,
  showDialog,
  ToolbarButton
} from '@jupyterlab/apputils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import { downloadIcon } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';

import { requestAPI, requestFile } from './request';
import { CommandIDs } from './tokens';

/**
 * A file format an export can be made in.
 */
export type ExportFormat = 'docx' | 'html' | 'pdf';

/**
 * One format as the server offers it (`GET exports/formats`).
 */
export interface IExportFormat {
  id: ExportFormat;
  available: boolean;
  /** Why it isn't available and what to install, when it isn't. */
  message?: string | null;
}

/**
 * What the person chose in the export dialog.
 */
export interface IExportChoice {
  format: ExportFormat;
  prompts: boolean;
  authors: boolean;
  /** The comments (annotations) one may read, as Word comments or notes. */
  annotations: boolean;
}

/**
 * What is exported: one document, a group's documents, a learner's journal.
 */
export type ExportTarget =
  | { kind: 'document'; id: number; title: string }
  | { kind: 'group'; id: number; title: string }
  | { kind: 'journal'; user: string; title: string }
  | { kind: 'passport'; user: string; title: string };

/**
 * The API path and query of an export.
 */
export function exportEndpoint(
  target: ExportTarget,
  choice: IExportChoice,
  language: string
): string {
  const query = new URLSearchParams({
    format: choice.format,
    prompts: String(choice.prompts),
    authors: String(choice.authors),
    annotations: String(choice.annotations)
  });
  if (language === 'fr' || language === 'en') {
    query.set('lang', language);
  }
  const path =
    target.kind === 'document'
      ? `documents/${target.id}/export`
      : target.kind === 'group'
        ? `groups/${target.id}/export`
        : target.kind === 'journal'
          ? `journals/${encodeURIComponent(target.user)}/export`
          : `passports/${encodeURIComponent(target.user)}/export`;
  return `${path}?${query.toString()}`;
}

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

/**
 * Offer a file to the browser's downloads.
 */
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * The formats the server can make, or DOCX and HTML when it cannot tell.
 */
async function fetchFormats(): Promise<IExportFormat[]> {
  try {
    const answer = await requestAPI<{ formats: IExportFormat[] }>(
      'exports/formats'
    );
    if (Array.isArray(answer?.formats)) {
      return answer.formats;
    }
  } catch (error) {
    console.warn('journal_ext: cannot read the export formats.', error);
  }
  return [
    { id: 'docx', available: true },
    { id: 'html', available: true }
  ];
}

/**
 * Ask for the format and options, then export and offer the file, showing progress.
 *
 * Resolves to the file name, or null when the person cancelled.
 */
export async function exportWithDialog(
  target: ExportTarget,
  trans: TranslationBundle,
  language: string,
  formats: () => Promise<IExportFormat[]>
): Promise<string | null> {
  const form = new ExportOptionsForm(await formats(), trans);
  const result = await showDialog<IExportChoice>({
    title: trans.__('Export “%1”', target.title),
    body: form,
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Export') })
    ],
    focusNodeSelector: 'input[type=radio]:checked'
  });
  if (!result.button.accept || !result.value) {
    return null;
  }
  const choice = result.value;
  const download = requestFile(
    exportEndpoint(target, choice, language),
    `export.${choice.format}`
  ).then(file => {
    saveFile(file.blob, file.filename);
    return file.filename;
  });
  Notification.promise(download, {
    pending: {
      message: trans.__('Exporting “%1”…', target.title),
      options: { autoClose: false }
    },
    success: {
      message: (filename: unknown) =>
        trans.__('Exported: %1 is in your downloads.', String(filename)),
      options: { autoClose: 5000 }
    },
    error: {
      message: (error: unknown) =>
        trans.__(
          'Cannot export “%1”: %2',
          target.title,
          error instanceof Error ? error.message : String(error)
        ),
      options: { autoClose: false }
    }
  });
  try {
    return await download;
  } catch (error) {
    // Already told in the notification.
    return null;
  }
}

/**
 * The journal document id and title of a notebook, if it is a journal notebook.
 */
function journalDocument(
  panel: NotebookPanel | null
): { id: number; title: string } | null {
  const journal = panel?.model?.getMetadata('journal') as
    | { document_id?: unknown; title?: unknown }
    | undefined;
  if (typeof journal?.document_id !== 'number') {
    return null;
  }
  const title =
    typeof journal.title === 'string'
      ? journal.title
      : panel!.context.path.split('/').pop()!.replace(/\.ipynb$/, '');
  return { id: journal.document_id, title };
}

/**
 * Export commands (a document, a group, a learner's journal) and a toolbar button in journal notebooks.
 */
export const exportPlugin: JupyterFrontEndPlugin<void> = {
  id: 'journal_ext:export',
  description:
    'Exports journal documents, a group’s documents or a learner’s journal to Word, HTML or PDF.',
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
    const language = ((translator ?? nullTranslator).languageCode ?? 'en')
      .slice(0, 2)
      .toLowerCase();
    let formats: Promise<IExportFormat[]> | null = null;
    const knownFormats = (): Promise<IExportFormat[]> =>
      (formats ??= fetchFormats());
    const run = (target: ExportTarget) =>
      exportWithDialog(target, trans, language, knownFormats);

    app.commands.addCommand(CommandIDs.exportDocument, {
      label: args =>
        args.title
          ? trans.__('Export “%1”…', args.title as string)
          : trans.__('Export the Journal Document…'),
      caption: trans.__(
        'Export to Word, HTML or PDF, to hand in or to print'
      ),
      icon: args => (args.isPalette ? undefined : downloadIcon),
      isEnabled: args =>
        typeof args.documentId === 'number' ||
        journalDocument(tracker.currentWidget) !== null,
      execute: args => {
        const current = journalDocument(tracker.currentWidget);
        const id =
          typeof args.documentId === 'number' ? args.documentId : current?.id;
        if (id === undefined) {
          return null;
        }
        const title =
          (args.title as string | undefined) ?? current?.title ?? String(id);
        return run({ kind: 'document', id, title });
      }
    });
    app.commands.addCommand(CommandIDs.exportGroup, {
      label: args =>
        trans.__('Export the Documents of %1…', (args.title as string) ?? ''),
      caption: trans.__(
        'The group’s documents you may read, in one file'
      ),
      icon: downloadIcon,
      execute: args =>
        run({
          kind: 'group',
          id: args.groupId as number,
          title: (args.title as string) ?? ''
        })
    });
    app.commands.addCommand(CommandIDs.exportJournal, {
      label: args =>
        trans.__('Export the Journal of %1…', (args.title as string) ?? ''),
      caption: trans.__(
        'Journal entries and field observations you may read, by date, in one file'
      ),
      icon: downloadIcon,
      execute: args =>
        run({
          kind: 'journal',
          user: args.user as string,
          title: (args.title as string) ?? (args.user as string)
        })
    });
    app.commands.addCommand(CommandIDs.exportPassport, {
      label: args =>
        trans.__('Export the Passport of %1…', (args.title as string) ?? ''),
      caption: trans.__(
        'The competence passport with its figure and the evidence quoted, to Word, HTML or PDF'
      ),
      icon: downloadIcon,
      execute: args =>
        run({
          kind: 'passport',
          user: args.user as string,
          title: (args.title as string) ?? (args.user as string)
        })
    });
    palette?.addItem({
      command: CommandIDs.exportDocument,
      category: trans.__('Journal'),
      args: { isPalette: true }
    });

    tracker.widgetAdded.connect((_, notebook) => {
      void notebook.context.ready.then(() => {
        if (notebook.isDisposed || journalDocument(notebook) === null) {
          return;
        }
        const button = new ToolbarButton({
          className: 'jp-JournalExport-toolbarButton',
          icon: downloadIcon,
          label: trans.__('Export'),
          tooltip: trans.__(
            'Export to Word, HTML or PDF, to hand in or to print'
          ),
          onClick: () => {
            const document = journalDocument(notebook);
            if (document) {
              void run({ kind: 'document', ...document });
            }
          }
        });
        const name = 'journalExport';
        if (!notebook.toolbar.insertAfter('journalHistory', name, button)) {
          notebook.toolbar.addItem(name, button);
        }
      });
    });
  }
};
