import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { displayTitle, readerLanguageCode } from '../common/language';
import { errorText } from '../failures';
import { requestFile } from '../request';
import { ExportOptionsForm } from './form';
import {
  ExportTarget,
  exportEndpoint,
  IExportChoice,
  IExportFormat
} from './model';

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
 * The export dialog's title, saying what is exported: a document by its
 * title, a group's documents, a learner's journal or competence passport.
 */
export function dialogTitle(
  target: ExportTarget,
  trans: TranslationBundle
): string {
  const title = displayTitle(target.title, readerLanguageCode());
  switch (target.kind) {
    case 'group':
      return trans.__('Export the Documents of %1', title);
    case 'journal':
      return trans.__('Export the Journal of %1', title);
    case 'passport':
      return trans.__('Export the Competence Passport of %1', title);
    default:
      return trans.__('Export “%1”', title);
  }
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
  const form = new ExportOptionsForm(await formats(), trans, target.kind);
  const result = await showDialog<IExportChoice>({
    title: dialogTitle(target, trans),
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
      message: trans.__(
        'Exporting “%1”…',
        displayTitle(target.title, readerLanguageCode())
      ),
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
          displayTitle(target.title, readerLanguageCode()),
          errorText(error)
        ),
      options: { autoClose: false }
    }
  });
  try {
    return await download;
  } catch {
    // Already told in the notification.
    return null;
  }
}
